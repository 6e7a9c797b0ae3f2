// SPDX-License-Identifier: GPL-2.0
/*
 * One small program per feature of the in-guest loader, written with the
 * tree's own bpf_misc.h tags so the host reads them as it reads the tree's
 * verifier_*.c (LoaderFeaturesEndToEndTests loads them on a real kernel):
 * __retval (BPF_PROG_TEST_RUN, also of a syscall program, which gets empty
 * options), __flag(BPF_F_TEST_RND_HI32) and __flag(!BPF_F_TEST_RND_HI32)
 * (the xlated text shows the verifier's random upper half, or its absence),
 * and a pointer leak that only an unprivileged load may not make.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bpf_misc.h"

char _license[] SEC("license") = "GPL";

SEC("socket")
__description("test run of a socket filter: returns 42")
__success __retval(42)
__naked void retval_socket(void)
{
	asm volatile ("r0 = 42; exit;" ::: __clobber_all);
}

SEC("syscall")
__description("test run of a syscall program (empty options): returns 7")
__success __retval(7)
__naked void retval_syscall(void)
{
	asm volatile ("r0 = 7; exit;" ::: __clobber_all);
}

/* w1's upper half is never read: with BPF_F_TEST_RND_HI32 the verifier fills it
 * with a random value (r11 is its scratch register, BPF_REG_AX). */
SEC("socket")
__description("BPF_F_TEST_RND_HI32 set: the xlated text poisons w1's upper half")
__success __flag(BPF_F_TEST_RND_HI32)
__xlated("0: w1 = 7")
__xlated("1: r11 = {{-?[0-9]+}}")
__xlated("2: r11 <<= 32")
__xlated("3: r1 |= r11")
__xlated("4: r0 = 0")
__xlated("5: exit")
__naked void rnd_hi32_set(void)
{
	asm volatile ("w1 = 7; r0 = 0; exit;" ::: __clobber_all);
}

SEC("socket")
__description("BPF_F_TEST_RND_HI32 cleared: the xlated text is the program as written")
__success __flag(!BPF_F_TEST_RND_HI32)
__xlated("0: w1 = 7")
__xlated("1: r0 = 0")
__xlated("2: exit")
__naked void rnd_hi32_cleared(void)
{
	asm volatile ("w1 = 7; r0 = 0; exit;" ::: __clobber_all);
}

SEC("socket")
__description("returning the frame pointer: a privileged load may leak it, an unprivileged one may not")
__success __failure_unpriv __msg_unpriv("R0 leaks addr as return value")
__naked void leak_frame_pointer(void)
{
	asm volatile ("r0 = r10; exit;" ::: __clobber_all);
}
