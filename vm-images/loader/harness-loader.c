// SPDX-License-Identifier: GPL-2.0
/*
 * harness-loader: load BPF programs one at a time, as the kernel's
 * tools/testing/selftests/bpf/test_loader.c run_subtest() loads one subtest,
 * and report what the kernel did as one JSON line per job.
 *
 *   harness-loader [--timeout SEC] [--log-size BYTES] [--hold-before KEY]
 *                  [--jobs FILE]... [--prog OBJ:PROG]... [OBJ...]
 *
 * The host decides, the loader obeys: the host reads the programs' BTF decl
 * tags (__log_level, __flag, __auxiliary, __retval, __xlated, *_unpriv) and
 * writes one job per load into FILE, one line each, fields separated by one
 * tab, in this order:
 *
 *   OBJPATH PROG mode=priv|unpriv log_level=N set=0xHEX clear=0xHEX aux=A,B run=0|1 xlated=0|1 jited=0|1
 *   btf=PATH maps=MAP:OFF=U32,OFF=U32;MAP2:...
 *
 * btf= (empty: none) opens OBJPATH with that btf_custom_path (__btf_path);
 * maps= (empty: none) writes, after an accept and before the test run, one
 * element at key 0 of each named map: zeroes with the given 32-bit words at
 * the given byte offsets, in the guest's byte order (what the pre-execution
 * callbacks of the tree's prog_tests/verifier.c do for a few files).
 *
 * Each job opens OBJPATH afresh, autoloads PROG and the aux programs (empty
 * aux=: none), and loads with the program's own flags | ((F | set) & ~clear),
 * F being the test flags this kernel accepts (BPF_F_TEST_RND_HI32,
 * BPF_F_TEST_REG_INVARIANTS, probed once at start as testing_prog_flags()
 * does), at log level log_level | 4 (4: the stats line "processed N insns ...
 * peak_states ..."). A load that fails at a log_level without 1 or 2 is made
 * again at 1|4, so a reject has its verifier log (libbpf does the same at
 * level 0); a log that does not fit (ENOSPC) is grown and the load made again.
 * mode=unpriv drops CAP_SYS_ADMIN, CAP_NET_ADMIN, CAP_PERFMON and CAP_BPF from
 * the effective set for the load and creates only the maps test_loader lets an
 * unprivileged load create; the capabilities are back before what follows an
 * accept: run=1 BPF_PROG_TEST_RUN (64 zero bytes in, once), xlated=1 the
 * translated program as "N: insn" lines (the tree's own disassembler),
 * jited=1 the JIT image's bytes. --prog OBJ:PROG and OBJ (every program of
 * it) are privileged jobs with nothing set, for hand use.
 *
 * Each job runs in a child process: a verifier bug that oopses the kernel
 * kills the child, not the run; the parent reports that job as "error" and
 * goes on. Output, one line per job, flushed after each:
 *
 *   {"object":"a.bpf.o","program":"p","section":"tc","verdict":"accept",
 *    "errno":0,"error":"","insns_processed":23,"peak_states":2,
 *    "total_states":3,"max_states_per_insn":0,"verify_usec":120,"log":"...",
 *    "mode":"priv","retval":2,"xlated":"0: r0 = 2\n1: exit\n",
 *    "jited_hex":null,"kmsg":"","wall_usec":5400}
 *
 * verdict: accept (loaded), reject (the kernel refused the program), error
 * (it never got to the verifier, or the loader died: "error" says why).
 * Stats the log does not have are -1. "mode" is priv or unpriv; an unpriv
 * line also has "unpriv_disabled": the value of
 * kernel.unprivileged_bpf_disabled (test_loader skips such loads when it is
 * not 0; the loader loads them anyway and says so). "retval" is the test run's
 * return value, null when not asked, not loaded or when the run failed (then
 * "run_errno" and "run_error" say why). "xlated" and "jited_hex" are null when
 * not asked, not loaded or not available. "kmsg": the kernel messages
 * (/dev/kmsg) logged while that job ran, so an oops, BUG, WARNING or KASAN
 * report is pinned to the program that caused it. "wall_usec": the job's wall
 * time in the guest, fork to reaped child. Before the first job one
 * note: "# unprivileged_bpf_disabled=N". Exit 0 when it ran, whatever the
 * verdicts; 2 on bad usage or a bad job file.
 *
 * --hold-before KEY (OBJ:PROG, OBJ by its file name, "@unpriv" appended for
 * an unprivileged job) stops before that job: the loader writes its pid and
 * the key to /tmp/harness-hold and waits until that file is removed, printing
 * a line that starts with "#" twice a second meanwhile (not a result: it tells
 * the reader the loader is alive and held). Time to ssh in and set up tracing
 * before one load, or, in the fault tests, to inject a fault at a known
 * program instead of racing the loader.
 *
 * Files: jobs.c (arguments, job list, hold), load.c (flags, modes, the child
 * per job), inspect.c (test run, xlated, jited), output.c (the JSON line),
 * kmsg.c (kernel messages per job).
 */
#define _GNU_SOURCE
#include <stdio.h>

#include "harness-loader.h"

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

int main(int argc, char **argv)
{
	struct options opt;

	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	libbpf_set_print(quiet);
	parse_arguments(argc, argv, &opt);
	opt.probed_flags = probe_testing_prog_flags();
	opt.unpriv_disabled = read_unpriv_disabled();
	printf("# unprivileged_bpf_disabled=%d\n", opt.unpriv_disabled);
	kmsg_open();
	for (size_t i = 0; i < job_count; i++) {
		hold_if_asked(&jobs[i], &opt);
		run_job(&jobs[i], &opt);
	}
	return 0;
}
