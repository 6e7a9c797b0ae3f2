/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Expectation annotations for the harness's BPF selftests.
 *
 * Each macro attaches a BTF decl tag to a program's function. The tag strings
 * are the ones the kernel's own selftests use (tools/testing/selftests/bpf/
 * progs/bpf_misc.h, read by test_loader.c), so one expectation reader handles
 * our programs and the tree's verifier_*.c alike:
 *
 *   comment:test_expect_success            __success
 *   comment:test_expect_failure            __failure
 *   comment:test_expect_msg=<n>=<text>     __msg("text"), ordered by <n>
 *   comment:test_description=<text>        __description("text")
 *   comment:test_log_level=<n>             __log_level(n)
 *   comment:test_prog_flags=<flag>         __flag(BPF_F_SLEEPABLE) or a number
 *   comment:test_auxiliary                 __auxiliary
 *   comment:test_arch=<ARCH>               __arch_x86_64, __arch_arm64
 *
 * Why the counter in __msg: clang drops a repeated identical attribute, so two
 * equal messages would collapse into one. __COUNTER__ makes each tag unique and,
 * because it only grows through a file, also records the source order: the
 * messages must appear in the verifier log in that order.
 *
 * A message may contain {{regex}} parts (POSIX extended), as in test_loader.
 * Every program carries __success or __failure: the harness treats a program
 * without an expected verdict as an error, never as a pass.
 */
#ifndef HARNESS_TEST_H
#define HARNESS_TEST_H

#define HARNESS_STRINGIFY_(x) #x
#define HARNESS_STRINGIFY(x) HARNESS_STRINGIFY_(x)

#define HARNESS_TAG(text) __attribute__((btf_decl_tag(text)))

#define __success          HARNESS_TAG("comment:test_expect_success")
#define __failure          HARNESS_TAG("comment:test_expect_failure")
#define __msg(text)        HARNESS_TAG("comment:test_expect_msg=" HARNESS_STRINGIFY(__COUNTER__) "=" text)
#define __description(text) HARNESS_TAG("comment:test_description=" text)
#define __log_level(level) HARNESS_TAG("comment:test_log_level=" #level)
#define __flag(flag)       HARNESS_TAG("comment:test_prog_flags=" #flag)
#define __auxiliary        HARNESS_TAG("comment:test_auxiliary")
#define __arch(name)       HARNESS_TAG("comment:test_arch=" name)
#define __arch_x86_64      __arch("X86_64")
#define __arch_arm64       __arch("ARM64")

/*
 * Inline-assembly helpers for tests that must control registers exactly.
 * Declare naked functions with (void) and cast where they are passed: clang
 * writes a naked function's parameters into BTF without names, the kernel
 * rejects such BTF, and libbpf then loads the whole object without BTF
 * ("missing btf func_info" for every callback).
 */
#define __naked            __attribute__((naked))
#define __clobber_all      "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "memory"
#define __imm(name)        [name] "i"(name)
#define __imm_addr(name)   [name] "i"(&name)

/*
 * Callbacks are static and never inlined: the verifier checks them as their
 * own subprograms, which is the point of every test here.
 */
#define __callback         static __attribute__((noinline))

/*
 * Load a value and throw it away. The volatile access keeps the load in the
 * object (clang would drop "return *v & 0"), so the verifier sees the access
 * under test while the callback still returns 0.
 */
#define harness_read(lvalue) ((void)*(volatile __typeof__(lvalue) *)&(lvalue))

#endif /* HARNESS_TEST_H */
