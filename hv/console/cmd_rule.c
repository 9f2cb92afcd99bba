/* SPDX-License-Identifier: GPL-2.0-only */
/* Debug console: rules at run time (hv/rules/rule.h, hv/dev/rules.h). */
#include "hv/console/console.h"
#include "hv/console/debug_commands.h"
#include "hv/dev/rules.h"
#include "hv/number.h"
#include "hv/rules/rule_parse.h"

static const char *state_name(uint8_t s)
{
	return s == RULE_ON ? "on" : "off";
}

static void list_rules(char *const *args, unsigned n)
{
	unsigned shown = 0;
	for (unsigned no = 1; no <= rules_table.count; no++) {
		const struct rule_slot *s = rule_table_get(&rules_table, no);
		if (!s)
			continue;
		shown++;
		con_printf("rule %u", no);
		if (s->r.line)
			con_printf(" (line %u)", s->r.line);
		con_printf(" %s: %s\n    %lu hits:", state_name(s->state), s->r.text,
			   (unsigned long)rule_hits(s));
		for (unsigned k = 0; k < s->r.nactions; k++)
			con_printf(" %s %lu", rule_action_name(s->r.act[k].kind),
				   (unsigned long)rule_action_hits(s, k));
		con_printf("\n");
	}
	if (!shown)
		con_printf("no rules\n");
}

static bool rule_number(const char *w, unsigned *no)
{
	uint64_t v;
	if (!parse_number(w, &v) || v > RULES_MAX || !rule_table_get(&rules_table, (unsigned)v)) {
		con_printf("error: no rule %s (see 'rules')\n", w);
		return false;
	}
	*no = (unsigned)v;
	return true;
}

static void rule(char *const *args, unsigned n)
{
	unsigned no;
	if (word_is(args[0], "add") && n > 1) {
		struct rule r;
		char err[96];
		if (!rule_parse(args + 1, n - 1, &r, err, sizeof(err))) {
			con_printf("error: %s\n", err);
			return;
		}
		no = rules_add(&r, err, sizeof(err));
		if (no)
			con_printf("rule %u on: %s\n", no, r.text);
		else
			con_printf("error: %s: not installed\n", err);
	} else if (word_is(args[0], "del") && n == 2) {
		if (rule_number(args[1], &no) && rules_delete(no))
			con_printf("rule %u deleted\n", no);
	} else if ((word_is(args[0], "on") || word_is(args[0], "off")) && n == 2) {
		bool on = word_is(args[0], "on");
		if (rule_number(args[1], &no) && rules_switch(no, on))
			con_printf("rule %u %s\n", no, on ? "on" : "off");
	} else {
		debug_cmd_usage(&debug_cmds_rule[0]);
	}
}

const struct debug_cmd debug_cmds_rule[] = {
	{ "rule", "add RULE | del N | on N | off N",
	  "add: a rule in the configuration file's language, e.g.\n"
	  "  rule add port 0x80 w value=0x55 stop\n"
	  "  rule add mmio 0xfed40000+0x1000 w log write=drop\n"
	  "  rule add hide pci 00:03.0\n"
	  "It traps its ports and pages on every CPU if no device does. del: remove\n"
	  "rule N (what only it trapped goes back to the guest); on/off: switch it",
	  1, DEBUG_MAX_WORDS - 1, rule },
	{ "rules", "", "list the rules with their hits, per rule and per action", 0, 0,
	  list_rules },
	{ 0 },
};
