// SPDX-License-Identifier: GPL-2.0
/*
 * harness-loader: load BPF programs one at a time and report the verifier's
 * verdict as one JSON line per program.
 *
 *   harness-loader [--log-level N] [--flags N] [--timeout SEC] [--log-size BYTES]
 *                  [--hold-before OBJ:PROG] [--prog OBJ:PROG:LOGLEVEL:FLAGS]... [OBJ...]
 *
 * Every program of every OBJ is loaded alone: the object is opened afresh and
 * only that program (plus programs tagged __auxiliary) is autoloaded, with a
 * verifier log buffer at log level 1|4 so the log ends with the stats line
 * "processed N insns ... peak_states ...". Log level and flags come from the
 * program's BTF decl tags (comment:test_log_level=, comment:test_prog_flags=,
 * as the kernel's test_loader reads them), then from --prog, then from the
 * command line defaults. --prog also adds a program to the run on its own.
 *
 * Each load runs in a child process: a verifier bug that oopses the kernel
 * kills the child, not the run; the parent reports that program as "error"
 * and goes on. Output, one line per program, flushed after each:
 *
 *   {"object":"a.bpf.o","program":"p","section":"tc","verdict":"accept",
 *    "errno":0,"error":"","insns_processed":23,"peak_states":2,
 *    "total_states":3,"max_states_per_insn":0,"verify_usec":120,"log":"..."}
 *
 * verdict: accept (loaded), reject (the kernel refused the program), error
 * (it never got to the verifier, or the loader died: "error" says why).
 * Stats the log does not have are -1. Each line ends with "kmsg": the kernel
 * messages (/dev/kmsg) logged while that program loaded, so an oops, BUG,
 * WARNING or KASAN report is pinned to the program that caused it (empty
 * when nothing was logged or /dev/kmsg cannot be read). Exit 0 when it ran,
 * whatever the verdicts; 2 on bad usage.
 *
 * --hold-before OBJ:PROG (OBJ by its file name) stops before that program:
 * the loader writes its pid and the program to /tmp/harness-hold and waits
 * until that file is removed, printing a line that starts with "#" twice a
 * second meanwhile (not a result: it tells the reader the loader is alive and
 * held). Time to ssh in and set up tracing before one load, or, in the fault
 * tests, to inject a fault at a known program instead of racing the loader.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#define DEFAULT_LOG_SIZE (16u << 20)
#define MAX_LOG_SIZE (512u << 20)
#define LOG_LEVEL_STATS 4
#define UNSET INT_MIN
#define HOLD_FILE "/tmp/harness-hold"
#define HOLD_TICK_USEC 500000

/* One program to load, with the settings that apply to it. */
struct job {
	const char *object_path;
	char *program;
	int log_level; /* UNSET: from tags, else the default */
	int flags;     /* UNSET: from tags, else the default */
};

struct options {
	int log_level;
	int flags;
	unsigned int timeout_sec;
	size_t log_size;
	const char *hold_before; /* OBJ:PROG, OBJ by file name; NULL: never */
};

/* ---- growing string buffer ------------------------------------------- */

struct buf {
	char *data;
	size_t len, cap;
};

static void buf_reserve(struct buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 4096;
	while (cap < b->len + extra + 1)
		cap *= 2;
	b->data = realloc(b->data, cap);
	if (!b->data) {
		perror("harness-loader: realloc");
		_exit(3);
	}
	b->cap = cap;
}

static void buf_append(struct buf *b, const char *s, size_t n)
{
	buf_reserve(b, n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	buf_reserve(b, n);
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, n + 1, fmt, ap);
	va_end(ap);
	b->len += n;
}

/* JSON string: quotes, backslashes and control bytes escaped; bytes >= 0x80
 * are escaped as \u00XX so a stray non-UTF-8 byte cannot break the line. */
static void buf_json_string(struct buf *b, const char *s)
{
	buf_append(b, "\"", 1);
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		switch (*p) {
		case '"': buf_append(b, "\\\"", 2); break;
		case '\\': buf_append(b, "\\\\", 2); break;
		case '\n': buf_append(b, "\\n", 2); break;
		case '\t': buf_append(b, "\\t", 2); break;
		case '\r': buf_append(b, "\\r", 2); break;
		default:
			if (*p < 0x20 || *p >= 0x7f)
				buf_printf(b, "\\u%04x", *p);
			else
				buf_append(b, (const char *)p, 1);
		}
	}
	buf_append(b, "\"", 1);
}

/* ---- libbpf messages ---------------------------------------------------- */

/* The last warnings libbpf printed in this child: the "why" of an error
 * verdict (a kfunc missing from the kernel's BTF, a map it could not create). */
static struct buf libbpf_messages;

static int capture_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[1024];

	if (level == LIBBPF_DEBUG)
		return 0;
	vsnprintf(line, sizeof(line), fmt, ap);
	/* Keep libbpf's own lines, not the verifier log it echoes on failure. */
	if (strncmp(line, "libbpf: ", 8) != 0)
		return 0;
	if (libbpf_messages.len > 8192) {
		libbpf_messages.len = 0;
		libbpf_messages.data[0] = '\0';
	}
	buf_append(&libbpf_messages, line, strlen(line));
	return 0;
}

/* ---- BTF decl tags (the kernel selftest convention) ---------------------- */

struct tags {
	int log_level; /* UNSET if absent */
	int flags;     /* UNSET if absent */
	bool auxiliary;
};

static int parse_flag(const char *name, int *value)
{
	static const struct { const char *name; int value; } known[] = {
		{ "BPF_F_STRICT_ALIGNMENT", BPF_F_STRICT_ALIGNMENT },
		{ "BPF_F_ANY_ALIGNMENT", BPF_F_ANY_ALIGNMENT },
		{ "BPF_F_TEST_RND_HI32", BPF_F_TEST_RND_HI32 },
		{ "BPF_F_TEST_STATE_FREQ", BPF_F_TEST_STATE_FREQ },
		{ "BPF_F_SLEEPABLE", BPF_F_SLEEPABLE },
		{ "BPF_F_XDP_HAS_FRAGS", BPF_F_XDP_HAS_FRAGS },
		{ "BPF_F_TEST_REG_INVARIANTS", BPF_F_TEST_REG_INVARIANTS },
	};
	char *end;

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(name, known[i].name) == 0) {
			*value = known[i].value;
			return 0;
		}
	*value = (int)strtol(name, &end, 0);
	return *end == '\0' && end != name ? 0 : -1;
}

static struct tags read_tags(struct bpf_object *obj, const char *program)
{
	struct tags tags = { .log_level = UNSET, .flags = UNSET };
	const struct btf *btf = bpf_object__btf(obj);
	int func_id;

	if (!btf)
		return tags;
	func_id = btf__find_by_name_kind(btf, program, BTF_KIND_FUNC);
	if (func_id < 0)
		return tags;
	for (unsigned int id = 1; id < btf__type_cnt(btf); id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *s, *v;
		int flag;

		if (!btf_is_decl_tag(t) || t->type != (unsigned int)func_id ||
		    btf_decl_tag(t)->component_idx != -1)
			continue;
		s = btf__str_by_offset(btf, t->name_off);
		if (strcmp(s, "comment:test_auxiliary") == 0) {
			tags.auxiliary = true;
		} else if (strncmp(s, "comment:test_log_level=", 23) == 0) {
			tags.log_level = (int)strtol(s + 23, NULL, 0);
		} else if (strncmp(s, "comment:test_prog_flags=", 24) == 0) {
			bool clear = s[24] == '!';

			v = s + 24 + clear;
			if (parse_flag(v, &flag) != 0)
				continue;
			if (tags.flags == UNSET)
				tags.flags = 0;
			tags.flags = clear ? tags.flags & ~flag : tags.flags | flag;
		}
	}
	return tags;
}

/* ---- the verifier's stats line ------------------------------------------ */

struct stats {
	long insns, max_states_per_insn, total_states, peak_states, verify_usec;
};

static struct stats parse_stats(const char *log)
{
	struct stats st = { -1, -1, -1, -1, -1 };
	const char *p, *last = NULL;

	/* The stats come last; a log can mention "processed" earlier too. */
	for (p = log; (p = strstr(p, "processed ")); p++)
		last = p;
	if (last)
		sscanf(last, "processed %ld insns (limit %*d) max_states_per_insn %ld "
			     "total_states %ld peak_states %ld",
		       &st.insns, &st.max_states_per_insn, &st.total_states, &st.peak_states);
	p = strstr(log, "verification time ");
	if (p)
		sscanf(p, "verification time %ld usec", &st.verify_usec);
	return st;
}

/* ---- one load, in a child process ---------------------------------------- */

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static void emit_line(struct buf *out, const char *object, const char *program,
		      const char *section, const char *verdict, int err,
		      const char *error, const struct stats *st, const char *log)
{
	buf_append(out, "{\"object\":", 10);
	buf_json_string(out, base_name(object));
	buf_append(out, ",\"program\":", 11);
	buf_json_string(out, program);
	buf_append(out, ",\"section\":", 11);
	buf_json_string(out, section);
	buf_printf(out, ",\"verdict\":\"%s\",\"errno\":%d,\"error\":", verdict, err);
	buf_json_string(out, error);
	buf_printf(out, ",\"insns_processed\":%ld,\"peak_states\":%ld,\"total_states\":%ld,"
			"\"max_states_per_insn\":%ld,\"verify_usec\":%ld,\"log\":",
		   st->insns, st->peak_states, st->total_states, st->max_states_per_insn,
		   st->verify_usec);
	buf_json_string(out, log);
	buf_append(out, "}\n", 2);
}

/* Opens the object, keeps only `job->program` (and auxiliaries) autoloaded and
 * loads it. Returns 0 or -errno from bpf_object__load; *loaded_target says
 * whether the kernel saw the program (its log buffer got written). */
static int load_once(const struct job *job, const struct options *opt, char *log, size_t log_size,
		     char *section, size_t section_size, bool *loaded_target, struct buf *why)
{
	struct bpf_object *obj;
	struct bpf_program *prog, *target = NULL;
	int err, level, flags;
	struct tags tags;

	*loaded_target = false;
	obj = bpf_object__open_file(job->object_path, NULL);
	if (!obj) {
		err = -errno;
		buf_printf(why, "cannot open %s: %s", job->object_path, strerror(-err));
		return err;
	}
	bpf_object__for_each_program(prog, obj) {
		bool is_target = strcmp(bpf_program__name(prog), job->program) == 0;

		tags = read_tags(obj, bpf_program__name(prog));
		bpf_program__set_autoload(prog, is_target || tags.auxiliary);
		if (is_target)
			target = prog;
	}
	if (!target) {
		buf_printf(why, "no program '%s' in %s", job->program, job->object_path);
		bpf_object__close(obj);
		return -ENOENT;
	}
	snprintf(section, section_size, "%s", bpf_program__section_name(target));

	tags = read_tags(obj, job->program);
	level = job->log_level != UNSET ? job->log_level
		: tags.log_level != UNSET ? tags.log_level : opt->log_level;
	if ((level & 3) == 0)
		level |= 1;
	level |= LOG_LEVEL_STATS;
	flags = job->flags != UNSET ? job->flags : tags.flags != UNSET ? tags.flags : opt->flags;

	log[0] = '\0';
	bpf_program__set_log_buf(target, log, log_size);
	bpf_program__set_log_level(target, level);
	bpf_program__set_flags(target, bpf_program__flags(target) | flags);

	err = bpf_object__load(obj);
	*loaded_target = log[0] != '\0' || bpf_program__fd(target) >= 0 ||
			 strstr(libbpf_messages.data ? libbpf_messages.data : "",
				"BPF program load failed") != NULL;
	bpf_object__close(obj);
	return err;
}

static void run_child(const struct job *job, const struct options *opt, int out_fd)
{
	struct buf out = { 0 }, why = { 0 };
	struct stats st = { -1, -1, -1, -1, -1 };
	char section[256] = "";
	size_t log_size = opt->log_size;
	char *log = NULL;
	bool loaded;
	int err;

	libbpf_set_print(capture_libbpf);
	buf_append(&libbpf_messages, "", 0);
	if (opt->timeout_sec)
		alarm(opt->timeout_sec);

	for (;;) {
		log = realloc(log, log_size);
		if (!log) {
			perror("harness-loader: log buffer");
			_exit(3);
		}
		why.len = 0;
		buf_append(&why, "", 0);
		libbpf_messages.len = 0;
		libbpf_messages.data[0] = '\0';
		err = load_once(job, opt, log, log_size, section, sizeof(section), &loaded, &why);
		/* A full log makes the kernel return ENOSPC even for a good program. */
		if (err == -ENOSPC && loaded && log_size < MAX_LOG_SIZE) {
			log_size *= 2;
			continue;
		}
		break;
	}

	if (loaded || err == 0)
		st = parse_stats(log);
	if (err == 0) {
		emit_line(&out, job->object_path, job->program, section, "accept", 0, "", &st, log);
	} else if (err == -ENOSPC && loaded) {
		buf_printf(&why, "verifier log larger than %zu bytes", log_size);
		emit_line(&out, job->object_path, job->program, section, "error", ENOSPC, why.data, &st, log);
	} else if (loaded) {
		emit_line(&out, job->object_path, job->program, section, "reject", -err, strerror(-err), &st, log);
	} else {
		if (why.len == 0)
			buf_printf(&why, "%s", libbpf_messages.len ? libbpf_messages.data : strerror(-err));
		while (why.len && why.data[why.len - 1] == '\n')
			why.data[--why.len] = '\0';
		emit_line(&out, job->object_path, job->program, section, "error", -err, why.data, &st, "");
	}
	if (write(out_fd, out.data, out.len) != (ssize_t)out.len)
		_exit(4);
	_exit(0);
}

/* ---- kernel messages logged during one load -------------------------------- */

#define KMSG_MAX (16u << 10)

/* /dev/kmsg opened at start and moved to its end: reading it after a load
 * yields exactly the records that load produced. -1 when unavailable. */
static int kmsg_fd = -1;

static void kmsg_open(void)
{
	kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kmsg_fd >= 0)
		lseek(kmsg_fd, 0, SEEK_END);
}

/* Appends the text of every record logged since the last call ("pri,seq,ts,
 * flags;text" -> "text"), one per line, keeping the first KMSG_MAX bytes:
 * the head of a splat says what broke. */
static void kmsg_drain(struct buf *into)
{
	char record[8192];
	ssize_t n;

	buf_append(into, "", 0);
	if (kmsg_fd < 0)
		return;
	for (;;) {
		n = read(kmsg_fd, record, sizeof(record) - 1);
		if (n < 0 && errno == EPIPE) /* records overwritten meanwhile: go on with the next */
			continue;
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		record[n] = '\0';
		char *text = strchr(record, ';');
		char *end;

		if (!text || into->len >= KMSG_MAX)
			continue;
		text++;
		end = strchr(text, '\n');
		if (end)
			*end = '\0';
		buf_append(into, text, strlen(text));
		buf_append(into, "\n", 1);
	}
}

/* Prints a result line with the kmsg field added before its closing brace. */
static void print_line_with_kmsg(struct buf *line, const char *kmsg)
{
	while (line->len && (line->data[line->len - 1] == '\n' || line->data[line->len - 1] == '}'))
		line->len--;
	line->data[line->len] = '\0';
	buf_append(line, ",\"kmsg\":", 8);
	buf_json_string(line, kmsg);
	buf_append(line, "}\n", 2);
	fwrite(line->data, 1, line->len, stdout);
}

/* Runs one job in a child and prints its line; a child that dies without a
 * complete line becomes an "error" line naming the signal or exit code. */
static void run_job(const struct job *job, const struct options *opt, const char *section)
{
	struct buf got = { 0 }, out = { 0 }, why = { 0 }, kmsg = { 0 };
	struct stats none = { -1, -1, -1, -1, -1 };
	int fds[2], status = 0;
	char chunk[65536];
	ssize_t n;
	pid_t pid;

	if (pipe(fds) != 0) {
		perror("harness-loader: pipe");
		exit(2);
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("harness-loader: fork");
		exit(2);
	}
	if (pid == 0) {
		close(fds[0]);
		run_child(job, opt, fds[1]);
	}
	close(fds[1]);
	while ((n = read(fds[0], chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		buf_append(&got, chunk, n);
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	kmsg_drain(&kmsg);

	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && got.len && got.data[got.len - 1] == '\n') {
		print_line_with_kmsg(&got, kmsg.data);
	} else {
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
			buf_printf(&why, "timed out after %u s (loader child killed)", opt->timeout_sec);
		else if (WIFSIGNALED(status))
			buf_printf(&why, "loader child killed by signal %d (%s): a kernel oops in the verifier? see dmesg",
				   WTERMSIG(status), strsignal(WTERMSIG(status)));
		else
			buf_printf(&why, "loader child exited with status %d without a result",
				   WEXITSTATUS(status));
		emit_line(&out, job->object_path, job->program, section, "error", 0, why.data, &none, "");
		print_line_with_kmsg(&out, kmsg.data);
	}
	fflush(stdout);
	free(kmsg.data);
	free(got.data);
	free(out.data);
	free(why.data);
}

/* ---- holding before a program ------------------------------------------- */

static const char *file_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static bool is_held_program(const struct job *job, const char *hold_before)
{
	const char *name = file_name(job->object_path);
	size_t len = strlen(name);

	return hold_before && strncmp(hold_before, name, len) == 0 && hold_before[len] == ':' &&
	       strcmp(hold_before + len + 1, job->program) == 0;
}

/* Waits before the program until HOLD_FILE is gone; see the top comment. */
static void hold(const struct job *job)
{
	const char *name = file_name(job->object_path);
	struct buf logged_while_held = { 0 };
	FILE *f = fopen(HOLD_FILE, "w");

	if (!f || fprintf(f, "%d %s:%s\n", (int)getpid(), name, job->program) < 0 || fclose(f) != 0) {
		perror("harness-loader: " HOLD_FILE);
		exit(2);
	}
	printf("# held before %s:%s: remove " HOLD_FILE " in the guest to go on\n", name, job->program);
	fflush(stdout);
	while (access(HOLD_FILE, F_OK) == 0) {
		usleep(HOLD_TICK_USEC);
		printf("# still held before %s:%s\n", name, job->program);
		fflush(stdout);
	}
	/* Whatever the kernel logged while held is not the program's doing. */
	kmsg_drain(&logged_while_held);
	free(logged_while_held.data);
}

/* ---- command line -------------------------------------------------------- */

static void usage(void)
{
	fprintf(stderr,
		"usage: harness-loader [--log-level N] [--flags N] [--timeout SEC] [--log-size BYTES]\n"
		"                      [--hold-before OBJ:PROG] [--prog OBJ:PROG:LOGLEVEL:FLAGS]... [OBJ...]\n"
		"Loads every program of every OBJ alone and prints one JSON line per program.\n"
		"LOGLEVEL and FLAGS in --prog may be empty (then tags, then defaults apply).\n");
	exit(2);
}

static int parse_number(const char *s, const char *what)
{
	char *end;
	long v = strtol(s, &end, 0);

	if (*s == '\0' || *end != '\0') {
		fprintf(stderr, "harness-loader: %s '%s' is not a number\n", what, s);
		exit(2);
	}
	return (int)v;
}

static struct job *jobs;
static size_t job_count, job_cap;

static struct job *find_job(const char *object_path, const char *program)
{
	for (size_t i = 0; i < job_count; i++)
		if (strcmp(jobs[i].object_path, object_path) == 0 && strcmp(jobs[i].program, program) == 0)
			return &jobs[i];
	return NULL;
}

static struct job *add_job(const char *object_path, const char *program)
{
	struct job *job = find_job(object_path, program);

	if (job)
		return job;
	if (job_count == job_cap) {
		job_cap = job_cap ? job_cap * 2 : 64;
		jobs = realloc(jobs, job_cap * sizeof(*jobs));
		if (!jobs) {
			perror("harness-loader: realloc");
			exit(2);
		}
	}
	job = &jobs[job_count++];
	*job = (struct job){ object_path, strdup(program), UNSET, UNSET };
	return job;
}

/* --prog OBJ:PROG:LOGLEVEL:FLAGS (the last two may be empty or absent) */
static void add_prog_option(char *spec)
{
	char *object = strtok(spec, ":");
	char *program = strtok(NULL, ":");
	char *level = strtok(NULL, ":");
	char *flags = strtok(NULL, ":");
	struct job *job;

	if (!object || !program) {
		fprintf(stderr, "harness-loader: --prog wants OBJ:PROG[:LOGLEVEL[:FLAGS]]\n");
		exit(2);
	}
	job = add_job(object, program);
	if (level && *level)
		job->log_level = parse_number(level, "--prog log level");
	if (flags && *flags)
		job->flags = parse_number(flags, "--prog flags");
}

/* Adds every program of an object; an object that cannot even be opened
 * still gets one "error" line so the run shows it. */
static void add_object(const char *path, const struct options *opt)
{
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bpf_program *prog;
	struct buf out = { 0 };
	struct stats none = { -1, -1, -1, -1, -1 };

	if (!obj) {
		char why[512];

		snprintf(why, sizeof(why), "cannot open %s: %s", path, strerror(errno));
		emit_line(&out, path, "", "", "error", errno, why, &none, "");
		fwrite(out.data, 1, out.len, stdout);
		fflush(stdout);
		free(out.data);
		return;
	}
	bpf_object__for_each_program(prog, obj)
		if (!read_tags(obj, bpf_program__name(prog)).auxiliary)
			add_job(path, bpf_program__name(prog));
	bpf_object__close(obj);
	(void)opt;
}

static const char *section_of(const struct job *job)
{
	static char section[256];
	struct bpf_object *obj = bpf_object__open_file(job->object_path, NULL);
	struct bpf_program *prog;

	section[0] = '\0';
	if (!obj)
		return section;
	prog = bpf_object__find_program_by_name(obj, job->program);
	if (prog)
		snprintf(section, sizeof(section), "%s", bpf_program__section_name(prog));
	bpf_object__close(obj);
	return section;
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

int main(int argc, char **argv)
{
	struct options opt = { .log_level = 1, .flags = 0, .timeout_sec = 600,
			       .log_size = DEFAULT_LOG_SIZE };
	char **objects = calloc(argc, sizeof(char *));
	size_t object_count = 0;

	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	libbpf_set_print(quiet);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			usage();
		else if (strcmp(a, "--log-level") == 0 && i + 1 < argc)
			opt.log_level = parse_number(argv[++i], "--log-level");
		else if (strcmp(a, "--flags") == 0 && i + 1 < argc)
			opt.flags = parse_number(argv[++i], "--flags");
		else if (strcmp(a, "--timeout") == 0 && i + 1 < argc)
			opt.timeout_sec = (unsigned int)parse_number(argv[++i], "--timeout");
		else if (strcmp(a, "--log-size") == 0 && i + 1 < argc)
			opt.log_size = (size_t)parse_number(argv[++i], "--log-size");
		else if (strcmp(a, "--prog") == 0 && i + 1 < argc)
			add_prog_option(argv[++i]);
		else if (strcmp(a, "--hold-before") == 0 && i + 1 < argc)
			opt.hold_before = argv[++i];
		else if (a[0] == '-')
			usage();
		else
			objects[object_count++] = argv[i];
	}
	if (object_count == 0 && job_count == 0)
		usage();
	if (opt.log_size < 4096)
		opt.log_size = 4096;

	for (size_t i = 0; i < object_count; i++)
		add_object(objects[i], &opt);
	kmsg_open();
	for (size_t i = 0; i < job_count; i++) {
		if (is_held_program(&jobs[i], opt.hold_before))
			hold(&jobs[i]);
		run_job(&jobs[i], &opt, section_of(&jobs[i]));
	}
	return 0;
}
