// SPDX-License-Identifier: GPL-2.0
/*
 * harness-loader, loading with test_loader's flags and modes: the flags this
 * kernel accepts (testing_prog_flags() of testing_helpers.c), the job's flags
 * and log level on the program (prepare_case()), unprivileged mode
 * (drop_capabilities(), is_unpriv_capable_map()), the auxiliary programs, and
 * one child process per job (run_subtest()), so a load that oopses the kernel
 * kills the child, not the run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "harness-loader.h"

#define MAX_LOG_SIZE (512u << 20)
#define LOG_LEVEL_STATS 4
#define LOG_LEVEL_REJECT (1 | LOG_LEVEL_STATS)

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

/* testing_prog_flags(): the test flags a socket filter loads with here. */
unsigned int probe_testing_prog_flags(void)
{
	static const unsigned int flags[] = { BPF_F_TEST_RND_HI32, BPF_F_TEST_REG_INVARIANTS };
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	unsigned int accepted = 0;

	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		LIBBPF_OPTS(bpf_prog_load_opts, opts, .prog_flags = flags[i]);
		int fd = bpf_prog_load(BPF_PROG_TYPE_SOCKET_FILTER, "flag-test", "GPL", insns, 2, &opts);

		if (fd >= 0) {
			accepted |= flags[i];
			close(fd);
		}
	}
	return accepted;
}

/* kernel.unprivileged_bpf_disabled (0, 1 or 2), -1 when it cannot be read. */
int read_unpriv_disabled(void)
{
	FILE *f = fopen("/proc/sys/kernel/unprivileged_bpf_disabled", "r");
	int value = -1;

	if (f) {
		if (fscanf(f, "%d", &value) != 1)
			value = -1;
		fclose(f);
	}
	return value;
}

/* cap_disable_effective()/cap_enable_effective() of cap_helpers.c, without libcap. */
static int set_effective_caps(unsigned long long drop, unsigned long long *old, const unsigned long long *restore)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &hdr, data) != 0)
		return -errno;
	if (old)
		*old = (unsigned long long)data[1].effective << 32 | data[0].effective;
	if (restore) {
		data[0].effective = (unsigned int)*restore;
		data[1].effective = (unsigned int)(*restore >> 32);
	} else {
		data[0].effective &= ~(unsigned int)drop;
		data[1].effective &= ~(unsigned int)(drop >> 32);
	}
	return syscall(SYS_capset, &hdr, data) == 0 ? 0 : -errno;
}

static const unsigned long long unpriv_caps_dropped =
	1ULL << CAP_SYS_ADMIN | 1ULL << CAP_NET_ADMIN | 1ULL << CAP_PERFMON | 1ULL << CAP_BPF;

/* The map types test_loader lets an unprivileged load create (is_unpriv_capable_map()). */
static bool is_unpriv_capable_map(struct bpf_map *map)
{
	switch (bpf_map__type(map)) {
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_HASH_OF_MAPS:
		return !(bpf_map__map_flags(map) & BPF_F_ZERO_SEED);
	case BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE:
	case BPF_MAP_TYPE_ARRAY:
	case BPF_MAP_TYPE_RINGBUF:
	case BPF_MAP_TYPE_PROG_ARRAY:
	case BPF_MAP_TYPE_CGROUP_ARRAY:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
	case BPF_MAP_TYPE_USER_RINGBUF:
	case BPF_MAP_TYPE_ARRAY_OF_MAPS:
	case BPF_MAP_TYPE_CGROUP_STORAGE:
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY:
		return true;
	default:
		return false;
	}
}

static bool is_aux(const struct job *job, const char *name)
{
	for (size_t i = 0; i < job->aux_count; i++)
		if (strcmp(job->aux[i], name) == 0)
			return true;
	return false;
}

/* One attempt: opens the object, autoloads the job's program and auxiliaries,
 * sets flags and `level` and loads. Returns the object (the caller closes it;
 * NULL when it could not be opened) with *err = 0 or -errno, *target the
 * job's program (NULL when missing), *saw_verifier whether the kernel got to
 * it (its log buffer was written). */
static struct bpf_object *load_once(const struct job *job, const struct options *opt, int level, char *log,
				    size_t log_size, struct bpf_program **target, int *err, bool *saw_verifier,
				    struct buf *why)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_map *map;
	unsigned int flags;

	*target = NULL;
	*saw_verifier = false;
	LIBBPF_OPTS(bpf_object_open_opts, open_opts, .btf_custom_path = job->btf_path);

	obj = bpf_object__open_file(job->object_path, &open_opts);
	if (!obj) {
		*err = -errno;
		buf_printf(why, "cannot open %s: %s", job->object_path, strerror(-*err));
		return NULL;
	}
	bpf_object__for_each_program(prog, obj) {
		bool is_target = strcmp(bpf_program__name(prog), job->program) == 0;

		bpf_program__set_autoload(prog, is_target || is_aux(job, bpf_program__name(prog)));
		if (is_target)
			*target = prog;
	}
	if (!*target) {
		buf_printf(why, "no program '%s' in %s", job->program, job->object_path);
		*err = -ENOENT;
		return obj;
	}
	if (job->unpriv)
		bpf_object__for_each_map(map, obj)
			bpf_map__set_autocreate(map, is_unpriv_capable_map(map));

	log[0] = '\0';
	bpf_program__set_log_buf(*target, log, log_size);
	bpf_program__set_log_level(*target, level);
	flags = (opt->probed_flags | job->flags_set) & ~job->flags_clear;
	bpf_program__set_flags(*target, bpf_program__flags(*target) | flags);

	*err = bpf_object__load(obj);
	*saw_verifier = log[0] != '\0' || bpf_program__fd(*target) >= 0 ||
			strstr(libbpf_messages.data ? libbpf_messages.data : "", "BPF program load failed") != NULL;
	return obj;
}

/* Loads at `level`, growing the log on ENOSPC (a full log fails even a good program). */
static struct bpf_object *load(const struct job *job, const struct options *opt, int level, char **log,
			       size_t *log_size, struct bpf_program **target, int *err, bool *saw_verifier,
			       struct buf *why)
{
	struct bpf_object *obj;

	for (;;) {
		*log = realloc(*log, *log_size);
		if (!*log) {
			perror("harness-loader: log buffer");
			_exit(3);
		}
		buf_clear(why);
		buf_clear(&libbpf_messages);
		obj = load_once(job, opt, level, *log, *log_size, target, err, saw_verifier, why);
		if (*err == -ENOSPC && *saw_verifier && *log_size < MAX_LOG_SIZE) {
			bpf_object__close(obj);
			*log_size *= 2;
			continue;
		}
		return obj;
	}
}

/* The child: run_subtest() for one job; writes its result line to out_fd. */
static void run_child(const struct job *job, const struct options *opt, int out_fd)
{
	struct buf out = { 0 }, why = { 0 };
	struct result r = { .job = job, .st = NO_STATS, .unpriv_disabled = opt->unpriv_disabled };
	struct bpf_program *target;
	struct bpf_object *obj;
	unsigned long long old_caps = 0;
	bool caps_dropped = false, saw_verifier;
	size_t log_size = opt->log_size;
	char *log = NULL, section[256] = "";
	int err, level = job->log_level | LOG_LEVEL_STATS;

	libbpf_set_print(capture_libbpf);
	buf_clear(&libbpf_messages);
	if (opt->timeout_sec)
		alarm(opt->timeout_sec);
	if (job->unpriv) {
		err = set_effective_caps(unpriv_caps_dropped, &old_caps, NULL);
		if (err) {
			buf_printf(&why, "cannot drop capabilities: %s", strerror(-err));
			r.verdict = "error";
			r.err = -err;
			r.error = why.data;
			goto emit;
		}
		caps_dropped = true;
	}

	obj = load(job, opt, level, &log, &log_size, &target, &err, &saw_verifier, &why);
	/* Like libbpf at log level 0: a reject gets its log, for the messages to match. */
	if (err && err != -ENOSPC && saw_verifier && (job->log_level & 3) == 0) {
		bpf_object__close(obj);
		obj = load(job, opt, LOG_LEVEL_REJECT, &log, &log_size, &target, &err, &saw_verifier, &why);
	}
	if (target)
		snprintf(section, sizeof(section), "%s", bpf_program__section_name(target));
	r.section = section;
	if (saw_verifier || err == 0)
		r.st = parse_stats(log);

	/* As test_loader: the kernel hides program info from the unprivileged, and
	 * test_verifier runs programs with every capability back. */
	if (caps_dropped && set_effective_caps(0, NULL, &old_caps) != 0) {
		perror("harness-loader: restoring capabilities");
		_exit(3);
	}
	if (err == 0) {
		int fd = bpf_program__fd(target);

		r.verdict = "accept";
		r.log = log;
		if (job->xlated)
			r.xlated = xlated_text(fd);
		if (job->jited)
			r.jited_hex = jited_hex(fd);
		/* prog_tests/verifier.c's pre-execution callback: map values the run reads. */
		if (job->map_values && write_map_values(obj, job->map_values, &why) != 0) {
			r.verdict = "error";
			r.err = EINVAL;
			r.error = why.data;
			goto emit;
		}
		if (job->test_run) {
			r.ran = true;
			r.run_errno = test_run(target, &r.retval);
		}
	} else if (err == -ENOSPC && saw_verifier) {
		buf_printf(&why, "verifier log larger than %zu bytes", log_size);
		r.verdict = "error";
		r.err = ENOSPC;
		r.error = why.data;
		r.log = log;
	} else if (saw_verifier) {
		r.verdict = "reject";
		r.err = -err;
		r.error = strerror(-err);
		r.log = log;
	} else {
		if (why.len == 0)
			buf_printf(&why, "%s", libbpf_messages.len ? libbpf_messages.data : strerror(-err));
		while (why.len && why.data[why.len - 1] == '\n')
			why.data[--why.len] = '\0';
		r.verdict = "error";
		r.err = -err;
		r.error = why.data;
	}
emit:
	emit_result(&out, &r);
	if (write(out_fd, out.data, out.len) != (ssize_t)out.len)
		_exit(4);
	_exit(0);
}

static long now_usec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}

/* Runs one job in a child and prints its line; a child that dies without a
 * complete line becomes an "error" line naming the signal or exit code. */
void run_job(const struct job *job, const struct options *opt)
{
	struct buf got = { 0 }, out = { 0 }, why = { 0 }, kmsg = { 0 };
	int fds[2], status = 0;
	char chunk[65536];
	ssize_t n;
	pid_t pid;
	/* The job's wall time, fork to reaped child: what a CI report calls the test's time. */
	long started = now_usec(), wall;

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
	wall = now_usec() - started;

	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && got.len && got.data[got.len - 1] == '\n') {
		print_line_with_kmsg(&got, kmsg.data, wall);
	} else {
		struct result r = { .job = job, .verdict = "error", .st = NO_STATS,
				    .unpriv_disabled = opt->unpriv_disabled };

		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
			buf_printf(&why, "timed out after %u s (loader child killed)", opt->timeout_sec);
		else if (WIFSIGNALED(status))
			buf_printf(&why, "loader child killed by signal %d (%s): a kernel oops in the verifier? see dmesg",
				   WTERMSIG(status), strsignal(WTERMSIG(status)));
		else
			buf_printf(&why, "loader child exited with status %d without a result",
				   WEXITSTATUS(status));
		r.error = why.data;
		emit_result(&out, &r);
		print_line_with_kmsg(&out, kmsg.data, wall);
	}
	fflush(stdout);
	free(kmsg.data);
	free(got.data);
	free(out.data);
	free(why.data);
}
