/* SPDX-License-Identifier: GPL-2.0-only */
/* Debug console: printing, listing, filtering and counting trace records. */
#include "hv/console/console.h"
#include "hv/console/debug_commands.h"
#include "hv/trace/printer.h"

static void trace(char *const *args, unsigned n)
{
	bool handled;
	const char *why;
	if (n == 0) {
		trace_list_config();
	} else if (n == 1 && word_is(args[0], "on")) {
		trace_set_printing(true);
		con_printf("trace printing on\n");
	} else if (n == 1 && word_is(args[0], "off")) {
		trace_set_printing(false);
		con_printf("trace printing off\n");
	} else if (n == 1 && word_is(args[0], "show")) {
		trace_show();
	} else if (n == 1 && word_is(args[0], "top")) {
		trace_top();
	} else if ((why = trace_config_command(args, n, &handled)) || handled) {
		if (why)
			con_printf("error: %s\n", why);
		else
			trace_list_config();
	} else {
		debug_cmd_usage(&debug_cmds_trace[0]);
	}
}

const struct debug_cmd debug_cmds_trace[] = {
	{ "trace", "[on|off|show|top|filter ...|limit N|off]",
	  "print traced accesses as they happen, or not; list the recent ones;\n"
	  "top: the registers accessed most since the last top;\n"
	  "filter [not] rule N|port SPAN|mmio SPAN|pci|in|out|cpu N|value V...:\n"
	  "print only (not) what matches; filter clear; limit: lines per\n"
	  "register per second; no argument: list filters and limit",
	  0, DEBUG_MAX_WORDS - 1, trace },
	{ 0 },
};
