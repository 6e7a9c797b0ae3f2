// SPDX-License-Identifier: GPL-2.0
/*
 * harness-loader, output: growing strings, JSON escaping, the verifier's stats
 * line, libbpf's messages, and the one JSON result line per job (its fields are
 * listed in harness-loader.c).
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness-loader.h"

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

void buf_append(struct buf *b, const char *s, size_t n)
{
	buf_reserve(b, n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void buf_printf(struct buf *b, const char *fmt, ...)
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

void buf_clear(struct buf *b)
{
	b->len = 0;
	buf_append(b, "", 0);
}

/* JSON string: quotes, backslashes and control bytes escaped; bytes >= 0x80
 * are escaped as \u00XX so a stray non-UTF-8 byte cannot break the line. */
void buf_json_string(struct buf *b, const char *s)
{
	if (!s) {
		buf_append(b, "null", 4);
		return;
	}
	buf_append(b, "\"", 1);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
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

struct stats parse_stats(const char *log)
{
	struct stats st = NO_STATS;
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

const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

void emit_result(struct buf *out, const struct result *r)
{
	const struct job *job = r->job;

	buf_append(out, "{\"object\":", 10);
	buf_json_string(out, base_name(job->object_path));
	buf_append(out, ",\"program\":", 11);
	buf_json_string(out, job->program);
	buf_append(out, ",\"section\":", 11);
	buf_json_string(out, r->section ? r->section : "");
	buf_printf(out, ",\"verdict\":\"%s\",\"errno\":%d,\"error\":", r->verdict, r->err);
	buf_json_string(out, r->error ? r->error : "");
	buf_printf(out, ",\"insns_processed\":%ld,\"peak_states\":%ld,\"total_states\":%ld,"
			"\"max_states_per_insn\":%ld,\"verify_usec\":%ld,\"log\":",
		   r->st.insns, r->st.peak_states, r->st.total_states, r->st.max_states_per_insn,
		   r->st.verify_usec);
	buf_json_string(out, r->log ? r->log : "");
	buf_printf(out, ",\"mode\":\"%s\"", job->unpriv ? "unpriv" : "priv");
	if (job->unpriv)
		buf_printf(out, ",\"unpriv_disabled\":%d", r->unpriv_disabled);
	if (r->ran && r->run_errno == 0)
		buf_printf(out, ",\"retval\":%d", r->retval);
	else
		buf_append(out, ",\"retval\":null", 14);
	if (r->ran && r->run_errno) {
		buf_printf(out, ",\"run_errno\":%d,\"run_error\":", r->run_errno);
		buf_json_string(out, strerror(r->run_errno));
	}
	buf_append(out, ",\"xlated\":", 10);
	buf_json_string(out, r->xlated);
	buf_append(out, ",\"jited_hex\":", 13);
	buf_json_string(out, r->jited_hex);
	buf_append(out, "}\n", 2);
}

struct buf libbpf_messages;

int capture_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[1024];

	if (level == LIBBPF_DEBUG)
		return 0;
	vsnprintf(line, sizeof(line), fmt, ap);
	/* Keep libbpf's own lines, not the verifier log it echoes on failure. */
	if (strncmp(line, "libbpf: ", 8) != 0)
		return 0;
	if (libbpf_messages.len > 8192)
		buf_clear(&libbpf_messages);
	buf_append(&libbpf_messages, line, strlen(line));
	return 0;
}
