// SPDX-License-Identifier: GPL-2.0
/*
 * Controls that do not depend on the seed: they pin down what the tree's own
 * async machinery (bpf_timer, bpf_wq) does, so a change here points at the
 * kernel or the harness rather than at the series under test.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "harness_test.h"
#include "async_kfuncs.h"

char _license[] SEC("license") = "GPL";

struct timer_elem {
	struct bpf_timer timer;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct timer_elem);
} timer_map SEC(".maps");

struct wq_elem {
	struct bpf_wq work;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct wq_elem);
} wq_map SEC(".maps");

SEC("tc")
__description("a plain tc program")
__success
int baseline_plain(struct __sk_buff *skb)
{
	return 0;
}

SEC("tc")
__description("calling a test kfunc without callbacks")
__success
int baseline_ret_kfunc(struct __sk_buff *skb)
{
	return bpf_async_test_ret() & 0;
}

SEC("tc")
__description("a non-sleepable program may not call a sleepable kfunc")
__failure
__msg("program must be sleepable to call sleepable kfunc bpf_async_test_sleepable")
int baseline_sleepable_in_tc(struct __sk_buff *skb)
{
	bpf_async_test_sleepable();
	return 0;
}

SEC("syscall")
__description("a sleepable program may call a sleepable kfunc")
__success
int baseline_sleepable_in_syscall(void *ctx)
{
	bpf_async_test_sleepable();
	return 0;
}

static int timer_returns_one(void *map, int *key, struct bpf_timer *timer)
{
	return 1;
}

SEC("tc")
__description("a bpf_timer callback returning 1 is rejected (the message async callbacks get)")
__failure
__msg("At async callback return the register R0 has smin=1 smax=1 should have been in [0, 0]")
int baseline_timer_ret_one(struct __sk_buff *skb)
{
	int key = 0;
	struct timer_elem *elem = bpf_map_lookup_elem(&timer_map, &key);

	if (elem)
		bpf_timer_set_callback(&elem->timer, timer_returns_one);
	return 0;
}

static int wq_returns_zero(void *map, int *key, void *value)
{
	bpf_async_test_sleepable();
	return 0;
}

SEC("tc")
__description("a bpf_wq callback (upstream, sleepable) may call a sleepable kfunc")
__success
int baseline_wq_callback_sleeps(struct __sk_buff *skb)
{
	int key = 0;
	struct wq_elem *elem = bpf_map_lookup_elem(&wq_map, &key);

	if (elem) {
		bpf_wq_init(&elem->work, &wq_map, 0);
		bpf_wq_set_callback_impl(&elem->work, wq_returns_zero, 0, NULL);
	}
	return 0;
}

static int wq_returns_one(void *map, int *key, void *value)
{
	return 1;
}

SEC("tc")
__description("a bpf_wq callback returning 1 is rejected")
__failure
__msg("At async callback return the register R0 has smin=1 smax=1 should have been in [0, 0]")
int baseline_wq_ret_one(struct __sk_buff *skb)
{
	int key = 0;
	struct wq_elem *elem = bpf_map_lookup_elem(&wq_map, &key);

	if (elem) {
		bpf_wq_init(&elem->work, &wq_map, 0);
		bpf_wq_set_callback_impl(&elem->work, wq_returns_one, 0, NULL);
	}
	return 0;
}
