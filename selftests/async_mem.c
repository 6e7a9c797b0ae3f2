// SPDX-License-Identifier: GPL-2.0
/*
 * KF_ARG_PTR_TO_MEM callback arguments: a pointer to a scalar or to a struct
 * of scalars becomes PTR_TO_MEM in the callback. Its size must be the size of
 * the pointed-to type (review finding: the seed fixes mem_size at 8).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "harness_test.h"
#include "async_kfuncs.h"

char _license[] SEC("license") = "GPL";

__callback int read_first_int(int *v)
{
	harness_read(*v);
	return 0;
}

SEC("tc")
__description("__async MEM arg: reading the int it points to is allowed")
__success
int mem_read_in_bounds(struct __sk_buff *skb)
{
	bpf_async_test_mem(read_first_int);
	return 0;
}

__callback int write_first_int(int *v)
{
	*v = 42;
	return 0;
}

SEC("tc")
__description("__async MEM arg: the callback may write the int (the prototype is not const)")
__success
int mem_write_in_bounds(struct __sk_buff *skb)
{
	bpf_async_test_mem(write_first_int);
	return 0;
}

__callback int read_second_int(int *v)
{
	harness_read(v[1]);
	return 0;
}

SEC("tc")
__description("__async MEM arg: int * is 4 bytes, reading v[1] is out of bounds (finding: mem_size fixed at 8)")
__failure
__msg("invalid access to memory, mem_size=4 off=4 size=4")
int mem_read_past_int(struct __sk_buff *skb)
{
	bpf_async_test_mem(read_second_int);
	return 0;
}

__callback int read_third_int(int *v)
{
	harness_read(v[2]);
	return 0;
}

SEC("tc")
__description("__async MEM arg: reading 8 bytes past the pointer is rejected whatever the size model")
__failure
__msg("invalid access to memory, mem_size=")
__msg("off=8 size=4")
int mem_read_far_past_end(struct __sk_buff *skb)
{
	bpf_async_test_mem(read_third_int);
	return 0;
}

__callback int read_pair_second(struct harness_async_pair *p)
{
	harness_read(p->b);
	return 0;
}

SEC("tc")
__description("__async MEM arg: a 16-byte struct of scalars, reading its second u64 is in bounds (finding: mem_size fixed at 8)")
__success
int mem_pair_second_field(struct __sk_buff *skb)
{
	bpf_async_test_pair(read_pair_second);
	return 0;
}

__callback int read_past_pair(struct harness_async_pair *p)
{
	harness_read(((__u64 *)p)[2]);
	return 0;
}

SEC("tc")
__description("__async MEM arg: reading past the 16-byte struct is rejected")
__failure
__msg("invalid access to memory, mem_size=")
__msg("off=16 size=8")
int mem_pair_past_end(struct __sk_buff *skb)
{
	bpf_async_test_pair(read_past_pair);
	return 0;
}

SEC("tc")
__description("__s_async MEM arg: reading the int it points to is allowed")
__success
int mem_s_read_in_bounds(struct __sk_buff *skb)
{
	bpf_async_test_mem_s(read_first_int);
	return 0;
}

SEC("syscall")
__description("__async MEM arg armed from a sleepable syscall program")
__success
int mem_read_in_bounds_syscall(void *ctx)
{
	bpf_async_test_mem(read_first_int);
	return 0;
}

__callback int read_int_and_task(int *v, struct task_struct *task)
{
	harness_read(*v);
	harness_read(task->pid);
	return 0;
}

SEC("tc")
__description("two callback args: R1 is MEM (int), R2 is BTF_ID (task_struct)")
__success
int two_args_mem_and_task(struct __sk_buff *skb)
{
	bpf_async_test_two(read_int_and_task);
	return 0;
}
