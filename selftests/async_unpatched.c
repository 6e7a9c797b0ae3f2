// SPDX-License-Identifier: GPL-2.0
/*
 * A kfunc callback parameter without __async/__s_async. In 6.12 only
 * bpf_rbtree_add_impl is "callback-calling": for any other kfunc the verifier
 * records the callback's subprogram and never verifies its body. The correct
 * semantics is that every callback the program hands out is verified.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "harness_test.h"
#include "async_kfuncs.h"

char _license[] SEC("license") = "GPL";

__callback int plain_reads(int *v)
{
	harness_read(*v);
	return 0;
}

SEC("tc")
__description("plain (unsuffixed) kfunc callback that is well-formed")
__success
int plain_callback_ok(struct __sk_buff *skb)
{
	bpf_async_test_plain(plain_reads);
	return 0;
}

__naked __callback int plain_reads_uninit_stack(void)
{
	asm volatile ("r0 = *(u64 *)(r10 - 8); r0 = 0; exit;" ::: __clobber_all);
}

SEC("tc")
__description("plain (unsuffixed) kfunc callback that reads uninitialized stack must be verified and rejected")
__failure
__msg("invalid read from stack")
int plain_callback_unverified(struct __sk_buff *skb)
{
	bpf_async_test_plain((void *)plain_reads_uninit_stack);
	return 0;
}
