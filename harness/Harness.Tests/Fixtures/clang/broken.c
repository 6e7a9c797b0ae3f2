#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
char _license[] SEC("license") = "GPL";

SEC("tc")
int missing_semicolon(struct __sk_buff *skb)
{
	int x = skb->len
	return x;
}
