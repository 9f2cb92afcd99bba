/* SPDX-License-Identifier: GPL-2.0-only */
#include "hv/console/debug_console_edit.h"

#define CTRL_C 0x03
#define BACKSPACE 0x08
#define DELETE 0x7F

void editor_reset(struct line_editor *e)
{
	e->len = 0;
	e->buf[0] = '\0';
}

enum edit_action editor_feed(struct line_editor *e, uint8_t c)
{
	bool after_cr = e->after_cr;
	e->after_cr = c == '\r';
	if (c == '\n' && after_cr)
		return EDIT_NONE;
	if (c == '\r' || c == '\n') {
		e->buf[e->len] = '\0';
		return EDIT_SUBMIT;
	}
	if (c == CTRL_C) {
		editor_reset(e);
		return EDIT_CANCEL;
	}
	if (c == BACKSPACE || c == DELETE) {
		if (!e->len)
			return EDIT_BELL;
		e->buf[--e->len] = '\0';
		return EDIT_ERASE;
	}
	if (c < 0x20 || c > 0x7E)
		return EDIT_NONE; /* other control bytes and 8-bit bytes are ignored */
	if (e->len == DEBUG_LINE_MAX)
		return EDIT_BELL;
	e->buf[e->len++] = (char)c;
	e->buf[e->len] = '\0';
	return EDIT_ECHO;
}

unsigned split_words(char *line, char *words[DEBUG_MAX_WORDS])
{
	unsigned n = 0;
	char *p = line;
	while (*p) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			break;
		if (n == DEBUG_MAX_WORDS)
			return n + 1; /* too many: the caller reports it */
		words[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	return n;
}

bool word_is(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}
