// SPDX-License-Identifier: GPL-2.0
/*
 * Where async callbacks are armed: nested in another async callback, in a
 * loop (the seed marks such calls as prune points in visit_insn), from a
 * bpf-to-bpf subprogram, and a broken callback armed on a path the verifier
 * must still explore.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "harness_test.h"
#include "async_kfuncs.h"

char _license[] SEC("license") = "GPL";

__callback int inner_reads(int *v)
{
	harness_read(*v);
	return 0;
}

__callback int outer_arms_inner(int *v)
{
	bpf_async_test_mem(inner_reads);
	return 0;
}

SEC("tc")
__description("an __async callback may arm another __async callback")
__success
int nested_async(struct __sk_buff *skb)
{
	bpf_async_test_mem(outer_arms_inner);
	return 0;
}

__callback int inner_reads_past_end(int *v)
{
	harness_read(v[2]);
	return 0;
}

__callback int outer_arms_broken_inner(int *v)
{
	bpf_async_test_mem(inner_reads_past_end);
	return 0;
}

SEC("tc")
__description("a broken callback armed by an async callback is verified too")
__failure
__msg("invalid access to memory")
int nested_async_broken_inner(struct __sk_buff *skb)
{
	bpf_async_test_mem(outer_arms_broken_inner);
	return 0;
}

SEC("tc")
__description("arming an __async callback in a bounded loop converges")
__success
int async_in_loop(struct __sk_buff *skb)
{
	int i;

	for (i = 0; i < 8; i++)
		bpf_async_test_mem(inner_reads);
	return 0;
}

static __attribute__((noinline)) int arm_from_subprog(struct __sk_buff *skb)
{
	bpf_async_test_mem(inner_reads);
	return skb->len;
}

SEC("tc")
__description("arming an __async callback from a static bpf-to-bpf subprogram")
__success
int async_from_subprog(struct __sk_buff *skb)
{
	return arm_from_subprog(skb) & 0;
}

SEC("tc")
__description("a broken callback armed only on one branch is still verified")
__failure
__msg("invalid access to memory")
int async_broken_on_branch(struct __sk_buff *skb)
{
	if (skb->len > 100)
		bpf_async_test_mem(inner_reads_past_end);
	return 0;
}
