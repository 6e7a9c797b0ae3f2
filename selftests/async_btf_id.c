// SPDX-License-Identifier: GPL-2.0
/*
 * KF_ARG_PTR_TO_BTF_ID callback arguments: a pointer to a kernel struct that
 * is not a struct of scalars (task_struct) becomes PTR_TO_BTF_ID in the
 * callback, readable field by field, not writable, bounded by the struct.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "harness_test.h"
#include "async_kfuncs.h"

char _license[] SEC("license") = "GPL";

__callback int reads_pid(struct task_struct *task)
{
	harness_read(task->pid);
	return 0;
}

SEC("tc")
__description("__async BTF_ID arg: reading task->pid is allowed")
__success
int task_read_pid(struct __sk_buff *skb)
{
	bpf_async_test_task(reads_pid);
	return 0;
}

SEC("syscall")
__description("__async BTF_ID arg: reading task->pid, armed from a syscall program")
__success
int task_read_pid_syscall(void *ctx)
{
	bpf_async_test_task(reads_pid);
	return 0;
}

__naked __callback int reads_far_past_task(void)
{
	asm volatile ("r0 = *(u32 *)(r1 + 32000);"
		      "r0 = 0;"
		      "exit;" ::: __clobber_all);
}

SEC("tc")
__description("__async BTF_ID arg: reading past the end of task_struct is rejected")
__failure
__msg("access beyond struct task_struct at off 32000 size 4")
int task_read_beyond(struct __sk_buff *skb)
{
	bpf_async_test_task((void *)reads_far_past_task);
	return 0;
}

__callback int writes_pid(struct task_struct *task)
{
	task->pid = 0;
	return 0;
}

SEC("tc")
__description("__async BTF_ID arg: writing a task_struct field is rejected")
__failure
int task_write_pid(struct __sk_buff *skb)
{
	bpf_async_test_task(writes_pid);
	return 0;
}

__naked __callback int uses_r2(void)
{
	asm volatile ("r0 = r2; r0 = 0; exit;" ::: __clobber_all);
}

SEC("tc")
__description("__async BTF_ID arg: a one-argument callback has no R2")
__failure
__msg("R2 !read_ok")
int task_callback_reads_r2(struct __sk_buff *skb)
{
	bpf_async_test_task((void *)uses_r2);
	return 0;
}
