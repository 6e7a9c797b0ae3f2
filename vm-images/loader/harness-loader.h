/* SPDX-License-Identifier: GPL-2.0 */
/*
 * harness-loader: what the loader's files share (see harness-loader.c for what
 * the loader does and its input and output formats).
 */
#ifndef HARNESS_LOADER_H
#define HARNESS_LOADER_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <bpf/libbpf.h>

/* One load of one program in one mode: one line of the job file (jobs.c). */
struct job {
	char *object_path;
	char *program;
	bool unpriv;
	int log_level;          /* as test_loader sets it; the loader adds 4 (stats) */
	unsigned int flags_set; /* added to the probed testing_prog_flags() */
	unsigned int flags_clear;
	char **aux;             /* programs autoloaded with this one */
	size_t aux_count;
	bool test_run, xlated, jited;
	char *btf_path;         /* btf_custom_path for the open (__btf_path); NULL: the kernel's BTF */
	char *map_values;       /* "MAP:OFF=U32,...;MAP2:..." written at key 0 before the test run; NULL: none */
};

struct options {
	unsigned int timeout_sec;
	size_t log_size;
	const char *hold_before; /* job key OBJ:PROG[@unpriv], OBJ by file name; NULL: never */
	unsigned int probed_flags; /* testing_prog_flags(): what this kernel accepts */
	int unpriv_disabled;       /* /proc/sys/kernel/unprivileged_bpf_disabled, -1 unknown */
};

/* ---- output.c: growing strings, JSON, the result line ------------------- */

struct buf {
	char *data;
	size_t len, cap;
};

void buf_append(struct buf *b, const char *s, size_t n);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_clear(struct buf *b);
void buf_json_string(struct buf *b, const char *s);

struct stats {
	long insns, max_states_per_insn, total_states, peak_states, verify_usec;
};

#define NO_STATS ((struct stats){ -1, -1, -1, -1, -1 })

struct stats parse_stats(const char *log);

/* Everything one result line says. NULL strings print as null. */
struct result {
	const struct job *job;
	const char *section;
	const char *verdict; /* accept, reject, error */
	int err;             /* positive errno */
	const char *error;
	struct stats st;
	const char *log;
	bool ran;            /* BPF_PROG_TEST_RUN was attempted */
	int retval, run_errno;
	const char *xlated;    /* NULL: not asked or not loaded */
	const char *jited_hex; /* NULL: not asked, not loaded or not JITed */
	int unpriv_disabled;
};

void emit_result(struct buf *out, const struct result *r);
const char *base_name(const char *path);

/* libbpf's own warnings of this child: the "why" of an error verdict. */
extern struct buf libbpf_messages;
int capture_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap);

/* ---- kmsg.c: kernel messages logged during one load ---------------------- */

void kmsg_open(void);
void kmsg_drain(struct buf *into);
void print_line_with_kmsg(struct buf *line, const char *kmsg, long wall_usec);

/* ---- jobs.c: arguments and the job list ---------------------------------- */

extern struct job *jobs;
extern size_t job_count;

void parse_arguments(int argc, char **argv, struct options *opt);
char *job_key(const struct job *job); /* OBJ:PROG[@unpriv], malloc'd */
void hold_if_asked(const struct job *job, const struct options *opt);

/* ---- load.c: loading with test_loader's flags and modes ------------------ */

unsigned int probe_testing_prog_flags(void);
int read_unpriv_disabled(void);
void run_job(const struct job *job, const struct options *opt);

/* ---- inspect.c: after an accept: test run, xlated text, JIT image -------- */

int test_run(struct bpf_program *prog, int *retval);
int write_map_values(struct bpf_object *obj, const char *spec, struct buf *why);
char *xlated_text(int prog_fd);
char *jited_hex(int prog_fd);

#endif
