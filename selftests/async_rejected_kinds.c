// SPDX-License-Identifier: GPL-2.0
/*
 * Callback argument kinds the seed refuses in async callbacks:
 * "argument #N of type KF_ARG_PTR_TO_... is not supported in async callbacks",
 * then "kfunc ... failed callback verification". CONST_STR is in that list
 * too, but the seed finds it from the parameter name (__str), which kernel
 * BTF does not keep for function-pointer parameters (finding).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "harness_test.h"
#include "async_kfuncs.h"

char _license[] SEC("license") = "GPL";

__callback int takes_ctx(struct __sk_buff *ctx) { return 0; }
__callback int takes_dynptr(struct bpf_dynptr *p) { return 0; }
__callback int takes_list_head(struct bpf_list_head *h) { return 0; }
__callback int takes_list_node(struct bpf_list_node *n) { return 0; }
__callback int takes_rb_root(struct bpf_rb_root *r) { return 0; }
__callback int takes_rb_node(struct bpf_rb_node *n) { return 0; }
__callback int takes_callback(int (*inner)(void)) { return 0; }
__callback int takes_string(const char *s) { return 0; }

SEC("tc")
__description("__async callback taking the program context (struct __sk_buff *) is rejected")
__failure
__msg("argument #0 of type KF_ARG_PTR_TO_CTX is not supported in async callbacks")
__msg("failed callback verification")
int reject_ctx(struct __sk_buff *skb)
{
	bpf_async_test_ctx(takes_ctx);
	return 0;
}

SEC("tc")
__description("__async callback taking a struct bpf_dynptr * is rejected")
__failure
__msg("argument #0 of type KF_ARG_PTR_TO_DYNPTR is not supported in async callbacks")
__msg("failed callback verification")
int reject_dynptr(struct __sk_buff *skb)
{
	bpf_async_test_dynptr(takes_dynptr);
	return 0;
}

SEC("tc")
__description("__async callback taking a struct bpf_list_head * is rejected")
__failure
__msg("argument #0 of type KF_ARG_PTR_TO_LIST_HEAD is not supported in async callbacks")
__msg("failed callback verification")
int reject_list_head(struct __sk_buff *skb)
{
	bpf_async_test_list_head(takes_list_head);
	return 0;
}

SEC("tc")
__description("__async callback taking a struct bpf_list_node * is rejected")
__failure
__msg("argument #0 of type KF_ARG_PTR_TO_LIST_NODE is not supported in async callbacks")
__msg("failed callback verification")
int reject_list_node(struct __sk_buff *skb)
{
	bpf_async_test_list_node(takes_list_node);
	return 0;
}

SEC("tc")
__description("__async callback taking a struct bpf_rb_root * is rejected")
__failure
__msg("argument #0 of type KF_ARG_PTR_TO_RB_ROOT is not supported in async callbacks")
__msg("failed callback verification")
int reject_rb_root(struct __sk_buff *skb)
{
	bpf_async_test_rb_root(takes_rb_root);
	return 0;
}

SEC("tc")
__description("__async callback taking a struct bpf_rb_node * is rejected")
__failure
__msg("argument #0 of type KF_ARG_PTR_TO_RB_NODE is not supported in async callbacks")
__msg("failed callback verification")
int reject_rb_node(struct __sk_buff *skb)
{
	bpf_async_test_rb_node(takes_rb_node);
	return 0;
}

SEC("tc")
__description("__async callback taking another callback is rejected")
__failure
__msg("argument #0 of type KF_ARG_PTR_TO_CALLBACK is not supported in async callbacks")
__msg("failed callback verification")
int reject_callback(struct __sk_buff *skb)
{
	bpf_async_test_callback(takes_callback);
	return 0;
}

SEC("tc")
__description("__async callback taking a const string (s__str) is rejected (finding: name suffixes of callback params are not in BTF)")
__failure
__msg("argument #0 of type KF_ARG_PTR_TO_CONST_STR is not supported in async callbacks")
int reject_const_str(struct __sk_buff *skb)
{
	bpf_async_test_str(takes_string);
	return 0;
}
