// SPDX-License-Identifier: GPL-2.0
/*
 * harness-loader, after an accept: the test run (do_prog_test_run() of
 * test_loader.c), the xlated text (get_xlated_program_text(), printed with the
 * tree's own disassembler: kernel/bpf/disasm.c and the selftests'
 * disasm_helpers.c are built into the loader) and the JIT image's bytes in hex
 * (the host disassembles them).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>

#include "harness-loader.h"

/* tools/testing/selftests/bpf/disasm_helpers.h */
struct bpf_insn *disasm_insn(struct bpf_insn *insn, char *buf, size_t buf_sz);

#define TEST_DATA_LEN 64

/* BPF_PROG_TEST_RUN as test_loader does it: 64 zero bytes in, room for 256
 * out, once; a BPF_PROG_TYPE_SYSCALL program gets empty options. Returns 0
 * with *retval, or the run's errno. */
int test_run(struct bpf_program *prog, int *retval)
{
	unsigned char out[TEST_DATA_LEN << 2] = { 0 }, in[TEST_DATA_LEN] = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		.data_in = in,
		.data_size_in = sizeof(in),
		.data_out = out,
		.data_size_out = sizeof(out),
		.repeat = 1,
	);

	if (bpf_program__type(prog) == BPF_PROG_TYPE_SYSCALL) {
		memset(&opts, 0, sizeof(opts));
		opts.sz = sizeof(opts);
	}
	if (bpf_prog_test_run_opts(bpf_program__fd(prog), &opts) != 0)
		return errno ? errno : EINVAL;
	*retval = (int)opts.retval;
	return 0;
}

/* get_xlated_program() of testing_helpers.c; NULL on failure. */
static __attribute__((unused)) struct bpf_insn *xlated_insns(int prog_fd, unsigned int *count)
{
	struct bpf_prog_info info = { 0 };
	unsigned int info_len = sizeof(info);
	struct bpf_insn *insns;

	if (bpf_prog_get_info_by_fd(prog_fd, &info, &info_len) != 0 ||
	    info.xlated_prog_len % sizeof(struct bpf_insn) != 0)
		return NULL;
	*count = info.xlated_prog_len / sizeof(struct bpf_insn);
	insns = calloc(*count ? *count : 1, sizeof(struct bpf_insn));
	if (!insns)
		return NULL;
	memset(&info, 0, sizeof(info));
	info.xlated_prog_len = *count * sizeof(struct bpf_insn);
	info.xlated_prog_insns = (unsigned long)insns;
	if (bpf_prog_get_info_by_fd(prog_fd, &info, &info_len) != 0) {
		free(insns);
		return NULL;
	}
	return insns;
}

/* "%d: %s\n" per instruction, as get_xlated_program_text() prints; NULL when
 * the kernel would not say, or the tree has no disassembler to build in
 * (HARNESS_NO_DISASM). */
char *xlated_text(int prog_fd)
{
#ifdef HARNESS_NO_DISASM
	return NULL;
#else
	struct bpf_insn *start, *insn, *end;
	struct buf text = { 0 };
	unsigned int count = 0;
	char line[64];

	start = xlated_insns(prog_fd, &count);
	if (!start)
		return NULL;
	buf_append(&text, "", 0);
	end = start + count;
	for (insn = start; insn < end;) {
		int index = insn - start;

		insn = disasm_insn(insn, line, sizeof(line));
		buf_printf(&text, "%d: %s\n", index, line);
	}
	free(start);
	return text.data;
#endif
}

/* The JIT image as lowercase hex; NULL when not JITed or the kernel would not say. */
char *jited_hex(int prog_fd)
{
	struct bpf_prog_info info = { 0 };
	unsigned int info_len = sizeof(info), len;
	unsigned char *image;
	struct buf hex = { 0 };

	if (bpf_prog_get_info_by_fd(prog_fd, &info, &info_len) != 0 || info.jited_prog_len == 0)
		return NULL;
	len = info.jited_prog_len;
	image = calloc(len, 1);
	if (!image)
		return NULL;
	memset(&info, 0, sizeof(info));
	info.jited_prog_len = len;
	info.jited_prog_insns = (unsigned long)image;
	if (bpf_prog_get_info_by_fd(prog_fd, &info, &info_len) != 0) {
		free(image);
		return NULL;
	}
	buf_append(&hex, "", 0);
	for (unsigned int i = 0; i < len; i++)
		buf_printf(&hex, "%02x", image[i]);
	free(image);
	return hex.data;
}

/* maps=MAP:OFF=U32,...;MAP2:... of a job: each map's element at key 0 becomes
 * zeroes with those 32-bit words. On failure, why says which map and part. */
int write_map_values(struct bpf_object *obj, const char *spec, struct buf *why)
{
	char *copy = strdup(spec), *save = NULL;
	int err = 0;

	if (!copy)
		return -ENOMEM;
	for (char *one = strtok_r(copy, ";", &save); one && !err; one = strtok_r(NULL, ";", &save)) {
		char *colon = strchr(one, ':'), *words, *wsave = NULL;
		struct bpf_map *map;
		void *key = NULL, *value = NULL;
		size_t value_size;

		if (!colon) {
			buf_printf(why, "maps: '%s' has no MAP: part", one);
			err = -EINVAL;
			break;
		}
		*colon = '\0';
		words = colon + 1;
		map = bpf_object__find_map_by_name(obj, one);
		if (!map || bpf_map__fd(map) < 0) {
			buf_printf(why, "maps: no map '%s' was created in this object", one);
			err = -ENOENT;
			break;
		}
		value_size = bpf_map__value_size(map);
		key = calloc(1, bpf_map__key_size(map));
		value = calloc(1, value_size);
		if (!key || !value)
			err = -ENOMEM;
		for (char *w = strtok_r(words, ",", &wsave); w && !err; w = strtok_r(NULL, ",", &wsave)) {
			char *end;
			unsigned long off = strtoul(w, &end, 0), v;
			__u32 word;

			if (*end != '=' || off + sizeof(word) > value_size) {
				buf_printf(why, "maps: '%s' of map '%s' is not OFF=U32 inside its %zu-byte value", w, one, value_size);
				err = -EINVAL;
				break;
			}
			v = strtoul(end + 1, NULL, 0);
			word = (__u32)v;
			memcpy((char *)value + off, &word, sizeof(word));
		}
		if (!err && bpf_map_update_elem(bpf_map__fd(map), key, value, 0) != 0) {
			err = -errno;
			buf_printf(why, "maps: updating map '%s' at key 0: %s", one, strerror(errno));
		}
		free(key);
		free(value);
	}
	free(copy);
	return err;
}
