// SPDX-License-Identifier: GPL-2.0
/*
 * __s_async callbacks run in a sleepable context and may call sleepable
 * kfuncs; __async callbacks may not, whatever the program that arms them.
 * In 6.12 in_sleepable() is "prog->sleepable || state->in_sleepable": without
 * RFC patch 1/8 an __async callback armed from a sleepable program (syscall)
 * inherits the program's sleepability. The expectations below state the
 * intended semantics; the overlay marks that deviation.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "harness_test.h"
#include "async_kfuncs.h"

char _license[] SEC("license") = "GPL";

__callback int calls_sleepable(int *v)
{
	bpf_async_test_sleepable();
	return 0;
}

SEC("tc")
__description("sleepable kfunc from an __s_async callback armed in tc")
__success
int sleepable_from_s_async_tc(struct __sk_buff *skb)
{
	bpf_async_test_mem_s(calls_sleepable);
	return 0;
}

SEC("tc")
__description("sleepable kfunc from an __async callback armed in tc is rejected")
__failure
__msg("program must be sleepable to call sleepable kfunc bpf_async_test_sleepable")
int sleepable_from_async_tc(struct __sk_buff *skb)
{
	bpf_async_test_mem(calls_sleepable);
	return 0;
}

SEC("syscall")
__description("sleepable kfunc from an __s_async callback armed in a sleepable program")
__success
int sleepable_from_s_async_syscall(void *ctx)
{
	bpf_async_test_mem_s(calls_sleepable);
	return 0;
}

SEC("syscall")
__description("sleepable kfunc from an __async callback armed in a sleepable program is rejected (needs RFC 1/8)")
__failure
__msg("program must be sleepable to call sleepable kfunc bpf_async_test_sleepable")
int sleepable_from_async_syscall(void *ctx)
{
	bpf_async_test_mem(calls_sleepable);
	return 0;
}

__callback int arms_async_that_sleeps(int *v)
{
	bpf_async_test_mem(calls_sleepable);
	return 0;
}

SEC("tc")
__description("an __async callback armed inside an __s_async one does not inherit sleepability")
__failure
__msg("program must be sleepable to call sleepable kfunc bpf_async_test_sleepable")
int sleepable_from_async_in_s_async(struct __sk_buff *skb)
{
	bpf_async_test_mem_s(arms_async_that_sleeps);
	return 0;
}

__callback int arms_s_async_that_sleeps(int *v)
{
	bpf_async_test_mem_s(calls_sleepable);
	return 0;
}

SEC("tc")
__description("an __s_async callback armed inside an __async one is sleepable")
__success
int sleepable_from_s_async_in_async(struct __sk_buff *skb)
{
	bpf_async_test_mem(arms_s_async_that_sleeps);
	return 0;
}
