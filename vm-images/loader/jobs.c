// SPDX-License-Identifier: GPL-2.0
/*
 * harness-loader, arguments and the job list: the command line, the job file
 * (--jobs FILE, one job per line, the format in harness-loader.c), the
 * --prog and OBJ shorthands for hand use, and --hold-before.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness-loader.h"

#define DEFAULT_LOG_SIZE (16u << 20)
#define JOB_FIELDS 12
#define HOLD_FILE "/tmp/harness-hold"
#define HOLD_TICK_USEC 500000

struct job *jobs;
size_t job_count;
static size_t job_cap;

static void usage(void)
{
	fprintf(stderr,
		"usage: harness-loader [--timeout SEC] [--log-size BYTES] [--hold-before OBJ:PROG[@unpriv]]\n"
		"                      [--jobs FILE]... [--prog OBJ:PROG]... [OBJ...]\n"
		"Loads every job alone and prints one JSON line per job. A job file has one job a line:\n"
		"OBJPATH<TAB>PROG<TAB>mode=priv|unpriv<TAB>log_level=N<TAB>set=0xN<TAB>clear=0xN<TAB>aux=A,B<TAB>run=0|1<TAB>xlated=0|1<TAB>jited=0|1\n"
		"<TAB>btf=PATH<TAB>maps=MAP:OFF=U32,...;...\n"
		"--prog OBJ:PROG and OBJ (every program of it) are privileged loads with nothing set.\n");
	exit(2);
}

static void *must(void *p)
{
	if (!p) {
		perror("harness-loader: out of memory");
		exit(2);
	}
	return p;
}

static long parse_number(const char *s, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 0);
	if (*s == '\0' || *end != '\0' || errno) {
		fprintf(stderr, "harness-loader: %s '%s' is not a number\n", what, s);
		exit(2);
	}
	return v;
}

static struct job *add_job(const char *object_path, const char *program)
{
	struct job *job;

	if (job_count == job_cap) {
		job_cap = job_cap ? job_cap * 2 : 256;
		jobs = must(realloc(jobs, job_cap * sizeof(*jobs)));
	}
	job = &jobs[job_count++];
	*job = (struct job){ .object_path = must(strdup(object_path)), .program = must(strdup(program)) };
	return job;
}

/* "name=value" field `index` of a job line, or exit 2 naming the line. */
static const char *field(char **fields, int index, const char *name, const char *file, size_t line)
{
	size_t len = strlen(name);

	if (strncmp(fields[index], name, len) != 0 || fields[index][len] != '=') {
		fprintf(stderr, "harness-loader: %s:%zu: field %d must be %s=..., found '%s'\n",
			file, line, index + 1, name, fields[index]);
		exit(2);
	}
	return fields[index] + len + 1;
}

static bool bit(char **fields, int index, const char *name, const char *file, size_t line)
{
	const char *v = field(fields, index, name, file, line);

	if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0) {
		fprintf(stderr, "harness-loader: %s:%zu: %s must be 0 or 1, found '%s'\n", file, line, name, v);
		exit(2);
	}
	return v[0] == '1';
}

static void parse_job_line(char *text, const char *file, size_t line)
{
	char *fields[JOB_FIELDS], *save = NULL, *p = text, *aux;
	const char *mode;
	struct job *job;
	int n = 0;

	for (char *tab; n < JOB_FIELDS; p = tab + 1) {
		fields[n++] = p;
		tab = strchr(p, '\t');
		if (!tab)
			break;
		*tab = '\0';
	}
	if (n != JOB_FIELDS || strchr(fields[JOB_FIELDS - 1], '\t')) {
		fprintf(stderr, "harness-loader: %s:%zu: a job line has %d tab-separated fields, this one %d\n",
			file, line, JOB_FIELDS, n);
		exit(2);
	}
	job = add_job(fields[0], fields[1]);
	mode = field(fields, 2, "mode", file, line);
	if (strcmp(mode, "priv") != 0 && strcmp(mode, "unpriv") != 0) {
		fprintf(stderr, "harness-loader: %s:%zu: mode must be priv or unpriv, found '%s'\n", file, line, mode);
		exit(2);
	}
	job->unpriv = strcmp(mode, "unpriv") == 0;
	job->log_level = (int)parse_number(field(fields, 3, "log_level", file, line), "log_level");
	job->flags_set = (unsigned int)parse_number(field(fields, 4, "set", file, line), "set");
	job->flags_clear = (unsigned int)parse_number(field(fields, 5, "clear", file, line), "clear");
	aux = must(strdup(field(fields, 6, "aux", file, line)));
	for (char *name = strtok_r(aux, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		job->aux = must(realloc(job->aux, (job->aux_count + 1) * sizeof(char *)));
		job->aux[job->aux_count++] = name;
	}
	job->test_run = bit(fields, 7, "run", file, line);
	job->xlated = bit(fields, 8, "xlated", file, line);
	job->jited = bit(fields, 9, "jited", file, line);
	job->btf_path = *field(fields, 10, "btf", file, line) ? must(strdup(field(fields, 10, "btf", file, line))) : NULL;
	job->map_values = *field(fields, 11, "maps", file, line) ? must(strdup(field(fields, 11, "maps", file, line))) : NULL;
}

static void read_job_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t cap = 0, line = 0;
	ssize_t n;

	if (!f) {
		fprintf(stderr, "harness-loader: cannot open job file %s: %s\n", path, strerror(errno));
		exit(2);
	}
	while ((n = getline(&text, &cap, f)) >= 0) {
		line++;
		while (n && (text[n - 1] == '\n' || text[n - 1] == '\r'))
			text[--n] = '\0';
		if (n == 0)
			continue;
		parse_job_line(text, path, line);
	}
	free(text);
	fclose(f);
}

/* --prog OBJ:PROG: one privileged job, nothing set. */
static void add_prog_option(const char *spec)
{
	const char *colon = strrchr(spec, ':');
	char *object;

	if (!colon || colon == spec || !colon[1]) {
		fprintf(stderr, "harness-loader: --prog wants OBJ:PROG\n");
		exit(2);
	}
	object = must(strndup(spec, colon - spec));
	add_job(object, colon + 1);
	free(object);
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

/* OBJ: every program of it, privileged, nothing set (no tags are read: an
 * auxiliary program is loaded as a program of its own). */
static void add_object(const char *path)
{
	libbpf_print_fn_t old = libbpf_set_print(quiet);
	struct bpf_object *obj = bpf_object__open_file(path, NULL);
	struct bpf_program *prog;

	libbpf_set_print(old);
	if (!obj) {
		/* The load reports it as an error line of its own. */
		add_job(path, "");
		return;
	}
	bpf_object__for_each_program(prog, obj)
		add_job(path, bpf_program__name(prog));
	bpf_object__close(obj);
}

void parse_arguments(int argc, char **argv, struct options *opt)
{
	*opt = (struct options){ .timeout_sec = 600, .log_size = DEFAULT_LOG_SIZE, .unpriv_disabled = -1 };
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			usage();
		else if (strcmp(a, "--timeout") == 0 && i + 1 < argc)
			opt->timeout_sec = (unsigned int)parse_number(argv[++i], "--timeout");
		else if (strcmp(a, "--log-size") == 0 && i + 1 < argc)
			opt->log_size = (size_t)parse_number(argv[++i], "--log-size");
		else if (strcmp(a, "--jobs") == 0 && i + 1 < argc)
			read_job_file(argv[++i]);
		else if (strcmp(a, "--prog") == 0 && i + 1 < argc)
			add_prog_option(argv[++i]);
		else if (strcmp(a, "--hold-before") == 0 && i + 1 < argc)
			opt->hold_before = argv[++i];
		else if (a[0] == '-')
			usage();
		else
			add_object(a);
	}
	if (job_count == 0)
		usage();
	if (opt->log_size < 4096)
		opt->log_size = 4096;
}

char *job_key(const struct job *job)
{
	char *key;

	if (asprintf(&key, "%s:%s%s", base_name(job->object_path), job->program,
		     job->unpriv ? "@unpriv" : "") < 0)
		must(NULL);
	return key;
}

/* Waits before the job until HOLD_FILE is gone, printing a "#" note twice a
 * second (the reader sees the loader is alive and held, not hung). */
void hold_if_asked(const struct job *job, const struct options *opt)
{
	struct buf logged_while_held = { 0 };
	char *key = job_key(job);
	FILE *f;

	if (!opt->hold_before || strcmp(opt->hold_before, key) != 0) {
		free(key);
		return;
	}
	f = fopen(HOLD_FILE, "w");
	if (!f || fprintf(f, "%d %s\n", (int)getpid(), key) < 0 || fclose(f) != 0) {
		perror("harness-loader: " HOLD_FILE);
		exit(2);
	}
	printf("# held before %s: remove " HOLD_FILE " in the guest to go on\n", key);
	fflush(stdout);
	while (access(HOLD_FILE, F_OK) == 0) {
		usleep(HOLD_TICK_USEC);
		printf("# still held before %s\n", key);
		fflush(stdout);
	}
	/* Whatever the kernel logged while held is not the program's doing. */
	kmsg_drain(&logged_while_held);
	free(logged_while_held.data);
	free(key);
}
