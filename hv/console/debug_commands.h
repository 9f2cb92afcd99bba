/* SPDX-License-Identifier: GPL-2.0-only */
/* The debug console's command table. Each topic keeps its commands in a file of
 * its own (hv/console/cmd_*.c) as a table ending with an empty entry; the
 * dispatcher (debug_commands.c) finds a command by its first word, checks the
 * number of arguments against the entry, and prints "help" from the tables. */
#ifndef HV_CONSOLE_DEBUG_COMMANDS_H
#define HV_CONSOLE_DEBUG_COMMANDS_H

#include <stdbool.h>
#include "hv/console/debug_console_edit.h" /* word_is */

struct debug_cmd {
	const char *name;
	const char *usage; /* the arguments, e.g. "port|mmio ADDR [r|w|rw]"; "" for none */
	const char *help;  /* what it does; may hold newlines */
	unsigned min_args, max_args;
	/* args: the words after the name (the console is held). */
	void (*run)(char *const *args, unsigned n);
};

extern const struct debug_cmd debug_cmds_help[]; /* the dispatcher's own, listed first */
extern const struct debug_cmd debug_cmds_iom[];
extern const struct debug_cmd debug_cmds_cpus[];
extern const struct debug_cmd debug_cmds_break[];
extern const struct debug_cmd debug_cmds_trace[];
extern const struct debug_cmd debug_cmds_inspect[];
extern const struct debug_cmd debug_cmds_stats[];
extern const struct debug_cmd debug_cmds_rule[];

/* Prints "error: usage: NAME USAGE" for a command given wrong arguments. */
void debug_cmd_usage(const struct debug_cmd *c);
/* A printf-like sink for the IOM's dumps (iom_dump_*), writing to the console. */
void debug_cmd_print(void *arg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
