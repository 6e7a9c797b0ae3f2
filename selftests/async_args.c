// SPDX-License-Identifier: GPL-2.0
/*
 * Callback prototypes beyond one pointer: no arguments, scalars, a size, too
 * many arguments. Review finding: the seed skips one level of BTF type for
 * every parameter (t->type), which for an INT is its size in bytes, so scalar
 * parameters are classified from an unrelated BTF type id. It also walks
 * btf_type_vlen() parameters into an args[5] array without a bound.
 * Register-level tests use naked callbacks so the instructions are exact.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "harness_test.h"
#include "async_kfuncs.h"

char _license[] SEC("license") = "GPL";

__callback int no_args(void)
{
	return 0;
}

SEC("tc")
__description("__async callback without arguments")
__success
int void_callback(struct __sk_buff *skb)
{
	bpf_async_test_void(no_args);
	return 0;
}

__naked __callback int no_args_reads_r1(void)
{
	asm volatile ("r0 = r1; r0 = 0; exit;" ::: __clobber_all);
}

SEC("tc")
__description("__async callback without arguments has no R1")
__failure
__msg("R1 !read_ok")
int void_callback_reads_r1(struct __sk_buff *skb)
{
	bpf_async_test_void(no_args_reads_r1);
	return 0;
}

__naked __callback int multiplies_scalar(void)
{
	asm volatile ("r1 *= 3; r0 = 0; exit;" ::: __clobber_all);
}

SEC("tc")
__description("__async scalar (int) arg is a scalar: arithmetic on it is allowed (finding: INT's size read as a type id)")
__success
int scalar_arithmetic(struct __sk_buff *skb)
{
	bpf_async_test_scalar((void *)multiplies_scalar);
	return 0;
}

__naked __callback int dereferences_scalar(void)
{
	asm volatile ("r0 = *(u32 *)(r1 + 0); r0 = 0; exit;" ::: __clobber_all);
}

SEC("tc")
__description("__async scalar (int) arg is not a pointer: dereferencing it is rejected (finding: INT's size read as a type id)")
__failure
__msg("R1 invalid mem access 'scalar'")
int scalar_dereference(struct __sk_buff *skb)
{
	bpf_async_test_scalar((void *)dereferences_scalar);
	return 0;
}

__naked __callback int multiplies_scalar64(void)
{
	asm volatile ("r1 *= 3; r0 = 0; exit;" ::: __clobber_all);
}

SEC("tc")
__description("__async scalar (u64) arg is a scalar: arithmetic on it is allowed (finding: INT's size read as a type id)")
__success
int scalar64_arithmetic(struct __sk_buff *skb)
{
	bpf_async_test_scalar64((void *)multiplies_scalar64);
	return 0;
}

__naked __callback int multiplies_size(void)
{
	asm volatile ("r2 *= 3; r0 = 0; exit;" ::: __clobber_all);
}

SEC("tc")
__description("__async (buf, buf__sz) callback: the size arg is a scalar (finding: scalar params misread)")
__success
int mem_sz_size_is_scalar(struct __sk_buff *skb)
{
	bpf_async_test_mem_sz((void *)multiplies_size);
	return 0;
}

__callback int five_args(int *a, int *b, int *c, int *d, int *e)
{
	return 0;
}

SEC("tc")
__description("__async callback prototype with 6 args (more than R1-R5) is rejected (finding: args[5] walked without a bound)")
__failure
int six_args_rejected(struct __sk_buff *skb)
{
	/* The kernel's prototype has six arguments; a BPF function can take five. */
	bpf_async_test_six((void *)five_args);
	return 0;
}
