// SPDX-License-Identifier: GPL-2.0
/*
 * Return values of async callbacks. Timer and workqueue callbacks must return
 * 0 ("At async callback return the register R0 ... should have been in
 * [0, 0]"). Review finding: the seed marks its callbacks in_callback_fn
 * instead of in_async_callback_fn and sets no return range, so any scalar is
 * accepted and a pointer gets the subprogram message instead.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "harness_test.h"
#include "async_kfuncs.h"

char _license[] SEC("license") = "GPL";

__callback int returns_zero(int *v)
{
	return 0;
}

SEC("tc")
__description("__async callback returning 0 is accepted")
__success
int ret_zero_async(struct __sk_buff *skb)
{
	bpf_async_test_mem(returns_zero);
	return 0;
}

__callback int returns_one(int *v)
{
	return 1;
}

SEC("tc")
__description("__async callback returning 1 is rejected like a timer callback (finding: in_callback_fn, no return range)")
__failure
__msg("At async callback return the register R0 has smin=1 smax=1 should have been in [0, 0]")
int ret_one_async(struct __sk_buff *skb)
{
	bpf_async_test_mem(returns_one);
	return 0;
}

SEC("tc")
__description("__s_async callback returning 1 is rejected like a workqueue callback (finding: in_callback_fn, no return range)")
__failure
__msg("At async callback return the register R0 has smin=1 smax=1 should have been in [0, 0]")
int ret_one_s_async(struct __sk_buff *skb)
{
	bpf_async_test_mem_s(returns_one);
	return 0;
}

__callback int returns_loaded_value(int *v)
{
	return *v;
}

SEC("tc")
__description("__async callback returning an unknown value it read is rejected (finding: in_callback_fn, no return range)")
__failure
__msg("At async callback return the register R0 has")
__msg("should have been in [0, 0]")
int ret_unknown_async(struct __sk_buff *skb)
{
	bpf_async_test_mem(returns_loaded_value);
	return 0;
}

__naked __callback int returns_its_argument(void)
{
	asm volatile ("r0 = r1; exit;" ::: __clobber_all);
}

SEC("tc")
__description("__async callback returning a pointer gets the async callback message (finding: in_callback_fn)")
__failure
__msg("At async callback return the register R0 is not a known value (mem)")
int ret_pointer_async(struct __sk_buff *skb)
{
	bpf_async_test_mem((void *)returns_its_argument);
	return 0;
}

__callback int returns_kfunc_result(int *v)
{
	return bpf_async_test_ret();
}

SEC("syscall")
__description("__async callback returning a kfunc's unknown result, armed from a syscall program")
__failure
__msg("At async callback return the register R0 has")
__msg("should have been in [0, 0]")
int ret_kfunc_result_syscall(void *ctx)
{
	bpf_async_test_mem(returns_kfunc_result);
	return 0;
}
