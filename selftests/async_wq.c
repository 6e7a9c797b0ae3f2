// SPDX-License-Identifier: GPL-2.0
/*
 * KF_ARG_PTR_TO_WORKQUEUE callback arguments: a struct bpf_wq * becomes a
 * PTR_TO_MAP_VALUE of the map the kfunc was given (its __map argument).
 * Review finding: the seed takes that map from meta->map.ptr, which is NULL
 * when the kfunc has no map argument (bpf_async_test_wq_nomap); a verifier
 * that then dereferences the map oopses. Those programs are named *_null_map_*
 * so the overlay can mark them; the correct verdict is a clean rejection.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "harness_test.h"
#include "async_kfuncs.h"

char _license[] SEC("license") = "GPL";

struct wq_elem {
	struct bpf_wq work;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct wq_elem);
} wq_map SEC(".maps");

__callback int starts_wq(struct bpf_wq *wq)
{
	bpf_wq_start(wq, 0);
	return 0;
}

SEC("tc")
__description("__s_async WORKQUEUE arg: the callback may start the workqueue it is given")
__success
int wq_start_in_callback(struct __sk_buff *skb)
{
	bpf_async_test_wq(&wq_map, starts_wq);
	return 0;
}

__callback int loads_wq_directly(struct bpf_wq *wq)
{
	harness_read(*(__u64 *)wq);
	return 0;
}

SEC("tc")
__description("__s_async WORKQUEUE arg: a bpf_wq must not be read with a plain load")
__failure
__msg("bpf_wq cannot be accessed directly by load/store")
int wq_direct_load(struct __sk_buff *skb)
{
	bpf_async_test_wq(&wq_map, loads_wq_directly);
	return 0;
}

__callback int reads_past_wq_value(struct bpf_wq *wq)
{
	harness_read(((__u64 *)wq)[2]);
	return 0;
}

SEC("tc")
__description("__s_async WORKQUEUE arg: reading past the 16-byte map value is rejected")
__failure
__msg("invalid access to map value, value_size=16 off=16 size=8")
int wq_read_past_value(struct __sk_buff *skb)
{
	bpf_async_test_wq(&wq_map, reads_past_wq_value);
	return 0;
}

__callback int wq_sleeps(struct bpf_wq *wq)
{
	bpf_async_test_sleepable();
	return 0;
}

SEC("tc")
__description("__s_async WORKQUEUE callback may call a sleepable kfunc")
__success
int wq_callback_sleeps(struct __sk_buff *skb)
{
	bpf_async_test_wq(&wq_map, wq_sleeps);
	return 0;
}

SEC("tc")
__description("WORKQUEUE arg without a map: starting the wq needs the map the kfunc never got (finding: meta->map.ptr is NULL; may oops the RFC verifier)")
__failure
int wq_null_map_start(struct __sk_buff *skb)
{
	bpf_async_test_wq_nomap(starts_wq);
	return 0;
}

__callback int ignores_wq(struct bpf_wq *wq)
{
	return 0;
}

SEC("tc")
__description("WORKQUEUE arg without a map is rejected even if unused (finding: meta->map.ptr is NULL; may oops the RFC verifier)")
__failure
int wq_null_map_unused(struct __sk_buff *skb)
{
	bpf_async_test_wq_nomap(ignores_wq);
	return 0;
}
