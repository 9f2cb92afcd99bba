/* SPDX-License-Identifier: GPL-2.0-only */
/* The debug console's line editor and command-line parsing: pure, unit-tested
 * on the host (test/unit/test_debug_console.c). */
#ifndef HV_DEBUG_CONSOLE_EDIT_H
#define HV_DEBUG_CONSOLE_EDIT_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/number.h"

#define DEBUG_LINE_MAX 79

struct line_editor {
	char buf[DEBUG_LINE_MAX + 1];
	unsigned len;
	bool after_cr; /* a LF right after CR is the same line end */
};

enum edit_action {
	EDIT_NONE,   /* nothing to show */
	EDIT_ECHO,   /* show the byte */
	EDIT_ERASE,  /* erase the last shown byte ("\b \b") */
	EDIT_SUBMIT, /* the line (buf, NUL-terminated) is complete */
	EDIT_CANCEL, /* Ctrl-C: the line is dropped */
	EDIT_BELL,   /* the line is full, or nothing to erase */
};

void editor_reset(struct line_editor *e);
/* Feeds one typed byte. After EDIT_SUBMIT the caller uses e->buf, then calls
 * editor_reset. */
enum edit_action editor_feed(struct line_editor *e, uint8_t c);

/* Splits a line into blank-separated words (in place); returns their number. */
#define DEBUG_MAX_WORDS 16
unsigned split_words(char *line, char *words[DEBUG_MAX_WORDS]);
/* Whether two words are equal. */
bool word_is(const char *a, const char *b);

#endif
