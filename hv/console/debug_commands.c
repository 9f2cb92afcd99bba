/* SPDX-License-Identifier: GPL-2.0-only */
/* The debug console's dispatcher: finds a command in the topic tables
 * (debug_commands.h), checks its argument count, runs it. Output goes straight
 * to the console (the caller holds it). */
#include <stdarg.h>
#include "hv/console/console.h"
#include "hv/console/debug_commands.h"
#include "hv/console/debug_console.h"
#include "hv/console/debug_console_edit.h"
#include "hv/string.h"

static const struct debug_cmd *const tables[] = {
	debug_cmds_help, debug_cmds_iom, debug_cmds_cpus, debug_cmds_break, debug_cmds_trace,
	debug_cmds_inspect, debug_cmds_stats, debug_cmds_rule,
};

void debug_cmd_print(void *arg, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	con_vprintf(fmt, ap);
	va_end(ap);
}

void debug_cmd_usage(const struct debug_cmd *c)
{
	con_printf("error: usage: %s%s%s\n", c->name, *c->usage ? " " : "", c->usage);
}

/* "help": a command and its arguments in the first 24 columns, what it does
 * beside them (or under them, when they are longer). */
#define HELP_COLUMN 24

static void help_entry(const struct debug_cmd *c)
{
	unsigned used = 2 + strlen(c->name) + (*c->usage ? 1 + strlen(c->usage) : 0);
	con_printf("  %s%s%s", c->name, *c->usage ? " " : "", c->usage);
	if (used >= HELP_COLUMN)
		con_printf("\n"), used = 0;
	con_printf("%*s", (int)(HELP_COLUMN - used), "");
	for (const char *p = c->help; *p; p++) {
		if (*p == '\n')
			con_printf("\n%*s", HELP_COLUMN, "");
		else
			con_printf("%c", *p);
	}
	con_printf("\n");
}

static void help(char *const *args, unsigned n)
{
	con_printf("commands:\n");
	for (unsigned t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (const struct debug_cmd *c = tables[t]; c->name; c++)
			help_entry(c);
}

const struct debug_cmd debug_cmds_help[] = {
	{ "help", "", "this list", 0, 0, help },
	{ 0 },
};

static const struct debug_cmd *find(const char *name)
{
	for (unsigned t = 0; t < sizeof(tables) / sizeof(tables[0]); t++)
		for (const struct debug_cmd *c = tables[t]; c->name; c++)
			if (word_is(name, c->name))
				return c;
	return 0;
}

void debug_command(char *line)
{
	char *w[DEBUG_MAX_WORDS];
	unsigned n = split_words(line, w);
	if (!n)
		return;
	if (n > DEBUG_MAX_WORDS) {
		con_printf("error: too many words (at most %u)\n", DEBUG_MAX_WORDS);
		return;
	}
	const struct debug_cmd *c = find(w[0]);
	if (!c)
		con_printf("error: unknown command '%s' (type 'help')\n", w[0]);
	else if (n - 1 < c->min_args || n - 1 > c->max_args)
		debug_cmd_usage(c);
	else
		c->run(w + 1, n - 1);
}
