// SPDX-License-Identifier: GPL-2.0
/*
 * KF_ARG_PTR_TO_MAP callback arguments: the seed classifies a callback
 * parameter as a map when its *name* ends in __map, and then gives the
 * callback CONST_PTR_TO_MAP of the kfunc's map (meta->map.ptr). Kernel BTF
 * keeps no names for the parameters of function-pointer types, so that branch
 * is unreachable: bpf_async_test_map's callback parameter is classified from
 * the caller's R1 instead (the map: a PTR_TO_BTF_ID struct bpf_map). The
 * expectations state the intended semantics (a usable map pointer).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "harness_test.h"
#include "async_kfuncs.h"

char _license[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, int);
	__type(value, __u64);
} array_map SEC(".maps");

__callback int looks_up_in_map(struct bpf_map *map)
{
	int key = 0;

	bpf_map_lookup_elem(map, &key);
	return 0;
}

SEC("tc")
__description("__async MAP arg: the callback may look up in the map it is given (finding: __map on a callback param is unreachable)")
__success
int map_lookup_in_callback(struct __sk_buff *skb)
{
	bpf_async_test_map(&array_map, looks_up_in_map);
	return 0;
}

__callback int reads_max_entries(struct bpf_map *map)
{
	harness_read(map->max_entries);
	return 0;
}

SEC("tc")
__description("__async MAP arg: reading a field of struct bpf_map is allowed")
__success
int map_read_field(struct __sk_buff *skb)
{
	bpf_async_test_map(&array_map, reads_max_entries);
	return 0;
}

__callback int writes_max_entries(struct bpf_map *map)
{
	map->max_entries = 1;
	return 0;
}

SEC("tc")
__description("__async MAP arg: writing a field of the map is rejected")
__failure
__msg("only read from bpf_array is supported")
int map_write_field(struct __sk_buff *skb)
{
	bpf_async_test_map(&array_map, writes_max_entries);
	return 0;
}

__callback int ignores_map(struct bpf_map *map)
{
	return 0;
}

SEC("tc")
__description("callback as the kfunc's second argument, after a map (finding: the seed's inner 'int i' shadows the argument loop)")
__success
int map_callback_second_arg(struct __sk_buff *skb)
{
	bpf_async_test_map(&array_map, ignores_map);
	return 0;
}
