/* SPDX-License-Identifier: GPL-2.0-only */
/* Debug console: printing and listing trace records. */
#include "hv/console/console.h"
#include "hv/console/debug_commands.h"
#include "hv/trace/printer.h"

static void trace(char *const *args, unsigned n)
{
	if (word_is(args[0], "on")) {
		trace_set_printing(true);
		con_printf("trace printing on\n");
	} else if (word_is(args[0], "off")) {
		trace_set_printing(false);
		con_printf("trace printing off\n");
	} else if (word_is(args[0], "show")) {
		trace_show();
	} else {
		debug_cmd_usage(&debug_cmds_trace[0]);
	}
}

const struct debug_cmd debug_cmds_trace[] = {
	{ "trace", "on|off|show",
	  "print traced accesses as they happen, or not; list the recent ones", 1, 1, trace },
	{ 0 },
};
