// SPDX-License-Identifier: GPL-2.0
/*
 * harness-loader, kernel messages: /dev/kmsg opened at start and moved to its
 * end, drained after every job, so each result line carries exactly the
 * records its load produced ("kmsg"): an oops, BUG, WARNING or KASAN report is
 * pinned to the program that caused it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "harness-loader.h"

#define KMSG_MAX (16u << 10)

static int kmsg_fd = -1; /* -1 when unavailable */

void kmsg_open(void)
{
	kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kmsg_fd >= 0)
		lseek(kmsg_fd, 0, SEEK_END);
}

/* Appends the text of every record logged since the last call ("pri,seq,ts,
 * flags;text" -> "text"), one per line, keeping the first KMSG_MAX bytes:
 * the head of a splat says what broke. */
void kmsg_drain(struct buf *into)
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
void print_line_with_kmsg(struct buf *line, const char *kmsg, long wall_usec)
{
	while (line->len && (line->data[line->len - 1] == '\n' || line->data[line->len - 1] == '}'))
		line->len--;
	line->data[line->len] = '\0';
	buf_append(line, ",\"kmsg\":", 8);
	buf_json_string(line, kmsg);
	buf_printf(line, ",\"wall_usec\":%ld}\n", wall_usec);
	fwrite(line->data, 1, line->len, stdout);
}
