/* SPDX-License-Identifier: GPL-2.0-only */
#include <stdbool.h>
#include "boot/config_parse.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Splits one line (NUL-terminated, no '\n') into words in place. Returns NULL on
 * success or the reason the line is malformed. */
static const char *split_line(char *p, struct cfg_line *out)
{
	out->argc = 0;
	for (;;) {
		while (is_blank(*p))
			p++;
		if (!*p || *p == '#')
			return NULL;
		if (out->argc == CFG_MAX_WORDS)
			return "too many words on one line";

		char *word = p, *w = p;
		bool quoted = false;
		for (; *p; p++) {
			if (*p == '"') {
				quoted = !quoted;
				continue;
			}
			if (!quoted && (is_blank(*p) || *p == '#'))
				break;
			*w++ = *p;
		}
		if (quoted)
			return "unterminated quote";
		char stop = *p;
		*w = '\0';
		out->argv[out->argc++] = word;
		if (!stop || stop == '#')
			return NULL;
		p++;
	}
}

unsigned cfg_parse(char *buf, size_t len, const struct cfg_sink *sink)
{
	/* The line is split in place, so a copy keeps what was written for the
	 * error path. */
	char copy[CFG_MAX_LINE];
	unsigned errors = 0, line_no = 0;
	size_t pos = 0;

	buf[len] = '\0';
	while (pos < len) {
		char *line = buf + pos;
		size_t n = 0;
		while (pos + n < len && line[n] != '\n')
			n++;
		pos += n + 1;
		line[n] = '\0';
		line_no++;

		const char *why = NULL;
		for (size_t i = 0; i < n && !why; i++) {
			unsigned char c = (unsigned char)line[i];
			if (c < 0x20 && c != '\t' && c != '\r')
				why = "control character in line";
		}
		size_t shown = n < sizeof(copy) - 1 ? n : sizeof(copy) - 1;
		for (size_t i = 0; i < shown; i++)
			copy[i] = line[i];
		copy[shown] = '\0';
		if (n >= sizeof(copy))
			why = "line too long";

		struct cfg_line parsed = { .line_no = line_no, .text = copy };
		if (!why)
			why = split_line(line, &parsed);
		if (why) {
			errors++;
			if (sink->error)
				sink->error(sink->ctx, line_no, copy, why);
		} else if (parsed.argc && sink->line) {
			sink->line(sink->ctx, &parsed);
		}
	}
	return errors;
}
