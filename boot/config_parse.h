/* SPDX-License-Identifier: GPL-2.0-only */
/* Splitting configuration text into directives.
 *
 * The configuration file (\EFI\iomvisor\iomvisor.cfg) holds one directive per line:
 * a keyword and its argument words, separated by blanks. '#' starts a comment that
 * runs to the end of the line; a word in double quotes may hold blanks and '#'.
 * Load options are one line of the same words, where "key=value" stands for
 * "key value" (boot/settings.c). Pure C: it builds into the unit tests too. */
#ifndef BOOT_CONFIG_PARSE_H
#define BOOT_CONFIG_PARSE_H

#include <stddef.h>

#define CFG_MAX_WORDS 32
#define CFG_MAX_LINE 512 /* characters, without the newline */

struct cfg_line {
	unsigned line_no;	   /* 1-based */
	const char *text;	   /* the whole line as written, for error messages */
	unsigned argc;
	char *argv[CFG_MAX_WORDS]; /* argv[0] is the keyword */
};

struct cfg_sink {
	void *ctx;
	/* A non-empty line, split into words. */
	void (*line)(void *ctx, const struct cfg_line *line);
	/* A line that could not be split; it is skipped. */
	void (*error)(void *ctx, unsigned line_no, const char *text, const char *msg);
};

/* Parses buf[0..len) in place (words become NUL-terminated strings inside buf,
 * so buf needs one spare byte past len). Returns the number of lines in error. */
unsigned cfg_parse(char *buf, size_t len, const struct cfg_sink *sink);

#endif
