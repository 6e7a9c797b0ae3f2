// SPDX-License-Identifier: GPL-2.0
/* Fixture for BtfExpectationReaderTests: programs tagged in the kernel selftest convention
 * (tools/testing/selftests/bpf/progs/bpf_misc.h, 6.12), written as raw btf_decl_tag attributes
 * so the fixture depends on no header. Global data below exercises every BTF kind the reader
 * must skip. Rebuild with ./build.sh (clang-19); the .bpf.o files are committed. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define TAG(s) __attribute__((btf_decl_tag(s)))
#define __user_ptr __attribute__((btf_type_tag("user")))

/* Types that put INT, PTR, ARRAY, STRUCT, UNION, ENUM, ENUM64, FWD, TYPEDEF, VOLATILE, CONST,
 * RESTRICT, FUNC_PROTO, VAR, DATASEC, FLOAT and TYPE_TAG records into .BTF. */
struct opaque;
enum small { SMALL_A = 1, SMALL_B = 2 };
enum big { BIG_A = 0x100000000ULL, BIG_B = 0x200000000ULL };
typedef unsigned long long u64_t;
struct kinds {
	int i;
	union { char c[3]; short s; } u;
	enum small e;
	enum big e64;
	u64_t t;
	const volatile int cv;
	struct opaque *fwd;
	int __user_ptr *up;
	float f;
	double d;
	int (*fn)(int, char *);
	int bits : 3;
	char *restrict r;
};
struct kinds kinds_global TAG("a tag on a variable") = {};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, int);
	__type(value, struct kinds);
} kinds_map SEC(".maps");

/* A subprogram in .text is not a program, even when global. */
__attribute__((noinline)) int helper_subprog(int x TAG("a tag on a parameter"))
{
	return x + 1;
}

SEC("tc")
TAG("comment:test_description=accepts a plain return")
TAG("comment:test_expect_success")
TAG("comment:test_log_level=2")
int accept_simple(struct __sk_buff *skb)
{
	return helper_subprog(skb->len) > 0;
}

SEC("tc")
TAG("comment:test_expect_failure")
TAG("comment:test_expect_msg=0=first message")
TAG("comment:test_expect_msg=1=second message")
TAG("comment:test_expect_msg=2=third {{[0-9]+}} message")
TAG("comment:test_expect_msg=3=first message")
int reject_with_messages(struct __sk_buff *skb)
{
	return 0;
}

SEC("?tc")
TAG("comment:test_expect_success")
int optional_section(struct __sk_buff *skb)
{
	return 0;
}

SEC("syscall")
TAG("comment:test_expect_success")
TAG("comment:test_prog_flags=BPF_F_SLEEPABLE")
TAG("comment:test_prog_flags=!BPF_F_TEST_RND_HI32")
TAG("comment:test_prog_flags=0x100")
int sleepable_flags(void *ctx)
{
	return 0;
}

SEC("tc")
int no_expectations(struct __sk_buff *skb)
{
	return 0;
}

SEC("tc")
TAG("comment:test_expect_failure")
TAG("comment:test_expect_success_unpriv")
TAG("comment:test_expect_msg=4=priv message")
TAG("comment:test_expect_msg_unpriv=5=unpriv message")
TAG("comment:test_retval=42")
TAG("comment:test_retval_unpriv=INT_MIN")
int priv_and_unpriv(struct __sk_buff *skb)
{
	return 42;
}

SEC("tc")
TAG("comment:test_arch=X86_64")
TAG("comment:test_arch=ARM64")
TAG("comment:test_expect_success")
TAG("comment:test_expect_not_msg=6=must not appear")
TAG("comment:test_expect_xlated=7=r0 = 0")
TAG("comment:test_btf_path=btf__core_reloc.bpf.o")
int arch_limited(struct __sk_buff *skb)
{
	return 0;
}

SEC("tc")
TAG("comment:test_auxiliary")
int auxiliary_prog(struct __sk_buff *skb)
{
	return 0;
}

SEC("tc")
TAG("comment:test_expect_msg=8=only a message")
TAG("comment:test_log_level=1")
int message_without_verdict(struct __sk_buff *skb)
{
	return 0;
}

/* A global function in a program section with tags that are not selftest tags. */
SEC("tc")
TAG("some other tag")
int foreign_tags_only(struct __sk_buff *skb)
{
	return 0;
}

char _license[] SEC("license") = "GPL";
