/* SPDX-License-Identifier: GPL-2.0-only */
/* Debug console: watchpoints ("break"), a shorthand for post rules
 * (hv/rules/rule.h): "break port 0x80 w 0x55 stop" adds the rule
 * "break port 0x80 w 0x55 stop" = "port 0x80 w value=0x55 post log stop",
 * which shows in "rules" with its hits and goes with "rule del". */
#include "hv/console/console.h"
#include "hv/console/debug_commands.h"
#include "hv/dev/rules.h"
#include "hv/number.h"
#include "hv/rules/rule_parse.h"

/* The watchpoints: the post rules not deleted. */
static void list_watches(void)
{
	unsigned n = 0;
	for (unsigned no = 1; no <= rules_table.count; no++) {
		const struct rule_slot *s = rule_table_get(&rules_table, no);
		if (!s || !s->r.m.post)
			continue;
		con_printf("rule %u %s: %s, %lu hits\n", no, s->state == RULE_ON ? "on" : "off",
			   s->r.text, (unsigned long)rule_hits(s));
		n++;
	}
	if (!n)
		con_printf("no watchpoints\n");
}

static void clear(char *const *words, unsigned n)
{
	uint64_t no;
	const struct rule_slot *s;
	if (n == 1) {
		for (unsigned k = 1; k <= rules_table.count; k++)
			if ((s = rule_table_get(&rules_table, k)) && s->r.m.post)
				rules_delete(k);
		con_printf("all watchpoints removed\n");
	} else if (n == 2 && parse_number(words[1], &no) && no <= RULES_MAX &&
		   (s = rule_table_get(&rules_table, (unsigned)no)) && s->r.m.post) {
		rules_delete((unsigned)no);
		con_printf("rule %u deleted\n", (unsigned)no);
	} else if (n == 2) {
		con_printf("error: no watchpoint %s (see 'break')\n", words[1]);
	} else {
		debug_cmd_usage(&debug_cmds_break[0]);
	}
}

static void brk(char *const *words, unsigned n)
{
	if (!n) {
		list_watches();
		return;
	}
	if (word_is(words[0], "clear")) {
		clear(words, n);
		return;
	}
	/* "break" and its words: the rule language's shorthand. */
	char *line[DEBUG_MAX_WORDS + 1];
	line[0] = "break";
	for (unsigned i = 0; i < n && i < DEBUG_MAX_WORDS; i++)
		line[i + 1] = words[i];
	struct rule r;
	char err[96];
	if (!rule_parse(line, n + 1, &r, err, sizeof(err))) {
		con_printf("break: %s\n", err);
		return;
	}
	unsigned no = rules_add(&r, err, sizeof(err));
	if (no)
		con_printf("rule %u on: %s\n", no, r.text);
	else
		con_printf("break: %s: not installed\n", err);
}

const struct debug_cmd debug_cmds_break[] = {
	{ "break", "[port|mmio ADDR [r|w|rw] [VALUE] [stop] | clear [N]]",
	  "no arguments: list the watchpoints and their hits.\n"
	  "port|mmio ADDR: watch guest accesses touching ADDR (reads, writes or both;\n"
	  "only those of VALUE, as the guest finally got or wrote it): print each at\n"
	  "once, and with 'stop' stop the vCPU after the access until 'continue'.\n"
	  "A watchpoint is a post rule ('rules' lists it, 'rule del' removes it): it\n"
	  "traps its port or page on every CPU if no device does.\n"
	  "clear [N]: remove watchpoint (rule) N, or all",
	  0, 6, brk },
	{ 0 },
};
