/* SPDX-License-Identifier: GPL-2.0-only */
/* hv/rules/: the rule parser (every error path) and the match/action engine. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "hv/rules/rule_parse.h"
#include "hv/rules/rule_table.h"

/* Splits a line into words in a static buffer (the console's way). */
static unsigned split(const char *line, char **w)
{
	static char buf[256];
	unsigned n = 0;
	snprintf(buf, sizeof(buf), "%s", line);
	for (char *p = strtok(buf, " "); p && n < 16; p = strtok(NULL, " "))
		w[n++] = p;
	return n;
}

static char err[128];

static bool parse(const char *line, struct rule *r)
{
	char *w[16];
	unsigned n = split(line, w);
	return rule_parse(w, n, r, err, sizeof(err));
}

static void parse_ok(const char *line, struct rule *r)
{
	if (!parse(line, r))
		fail_msg("'%s': %s", line, err);
}

static void parse_bad(const char *line, const char *why)
{
	struct rule r;
	if (parse(line, &r))
		fail_msg("'%s' was accepted", line);
	if (!strstr(err, why))
		fail_msg("'%s': '%s' does not say '%s'", line, err, why);
}

static void test_parse_match(void **state)
{
	struct rule r;
	parse_ok("rule port 0x70-0x71 r size=1,2 value=0x10/0xf0 cpu=0,2-3 log", &r);
	assert_int_equal(r.m.space, RULE_PORT);
	assert_int_equal(r.m.first, 0x70);
	assert_int_equal(r.m.last, 0x71);
	assert_int_equal(r.m.dirs, RULE_READ);
	assert_int_equal(r.m.sizes, 3);
	assert_true(r.m.has_value);
	assert_int_equal(r.m.value, 0x10);
	assert_int_equal(r.m.vmask, 0xf0);
	assert_int_equal(r.m.cpus, 0xd);
	assert_string_equal(r.text, "rule port 0x70-0x71 r size=1,2 value=0x10/0xf0 cpu=0,2-3 log");

	parse_ok("mmio 0xfed00001+0x10 w rip=0x1000-0x1fff value=0x55 stop", &r);
	assert_int_equal(r.m.space, RULE_MMIO);
	assert_int_equal(r.m.first, 0xfed00001);
	assert_int_equal(r.m.last, 0xfed00010);
	assert_int_equal(r.m.dirs, RULE_WRITE);
	assert_true(r.m.has_rip);
	assert_int_equal(r.m.rip_last, 0x1fff);
	assert_int_equal(r.m.vmask, ~0ull);
	assert_int_equal(r.m.cpus, ~0ull);

	parse_ok("port 0x80 count", &r);
	assert_int_equal(r.m.first, 0x80);
	assert_int_equal(r.m.last, 0x80);
	assert_int_equal(r.m.dirs, RULE_READ | RULE_WRITE);
	parse_ok("port 0xffff+1 log", &r);
}

static void test_parse_actions(void **state)
{
	struct rule r;
	/* nine actions written, eight fit */
	assert_false(parse("port 0x5a0 rw log count stop read=0x12 write=drop write=0x34 "
			   "write=or:0x1,and:0xfe pass", &r));
	assert_non_null(strstr(err, "too many actions"));

	parse_ok("port 0x5a0 log read=0x12 write=0x34 write=and:0xfe,or:0x1 pass", &r);
	assert_int_equal(r.nactions, 6);
	assert_int_equal(r.act[1].kind, RULE_ACT_READ);
	assert_int_equal(r.act[1].arg, 0x12);
	assert_int_equal(r.act[2].kind, RULE_ACT_WRITE_SET);
	assert_int_equal(r.act[3].kind, RULE_ACT_WRITE_AND);
	assert_int_equal(r.act[3].arg, 0xfe);
	assert_int_equal(r.act[4].kind, RULE_ACT_WRITE_OR);
	assert_int_equal(r.act[5].kind, RULE_ACT_PASS);
	assert_int_equal(rule_steers(&r), RULE_READ | RULE_WRITE);
	parse_ok("port 0x80 w log stop", &r);
	assert_int_equal(rule_steers(&r), 0);
	assert_string_equal(rule_action_name(RULE_ACT_WRITE_DROP), "write=drop");
	assert_string_equal(rule_action_name(RULE_ACT_WRITE_AND), "write=and:");
	assert_string_equal(rule_action_name(200), "?");
}

static void test_parse_shorthands(void **state)
{
	struct rule r;
	parse_ok("protect mmio 0xfed40000+0x1000", &r);
	assert_int_equal(r.m.dirs, RULE_WRITE);
	assert_int_equal(r.nactions, 2);
	assert_int_equal(r.act[0].kind, RULE_ACT_LOG);
	assert_int_equal(r.act[1].kind, RULE_ACT_WRITE_DROP);
	parse_ok("deny port 0x70-0x71", &r);
	assert_int_equal(r.act[0].kind, RULE_ACT_READ);
	assert_int_equal(r.act[0].arg, ~0ull);
	parse_ok("trace mmio 0x1000", &r);
	assert_int_equal(r.act[0].kind, RULE_ACT_LOG);
	parse_ok("hide pci 00:03.0", &r);
	assert_int_equal(r.m.space, RULE_PCI);
	assert_int_equal(r.m.first, 0x18);
	assert_int_equal(r.m.last, 0x18);
	parse_ok("hide pci 01:1f.7-02:00.0", &r);
	assert_int_equal(r.m.first, 0x1ff);
	assert_int_equal(r.m.last, 0x200);
	assert_true(rule_keyword("hide") && rule_keyword("rule") && !rule_keyword("next"));
}

static void test_parse_errors(void **state)
{
	parse_bad("", "needs port|mmio");
	parse_bad("rule", "needs port|mmio");
	parse_bad("rule disk 0x1 log", "expected port or mmio");
	parse_bad("protect", "expected port or mmio");
	parse_bad("port", "needs a range");
	parse_bad("port 0xfff0-0x10000 log", "runs past 0xFFFF");
	parse_bad("port 0xffff+2 log", "runs past 0xFFFF");
	parse_bad("mmio 0x10000000000000 log", "runs past the 52-bit");
	parse_bad("port zz log", "bad port range");
	parse_bad("mmio zz log", "bad address range");
	parse_bad("port 0x70-zz log", "bad end of range");
	parse_bad("port 0x70+0 log", "empty range");
	parse_bad("mmio 0xffffffffffffffff+2 log", "wraps around");
	parse_bad("port 0x71-0x70 log", "ends before it starts");
	parse_bad("port 0x70", "no action");
	parse_bad("port 0x70 bogus", "unknown word 'bogus'");
	parse_bad("port 0x70 size=3 log", "bad access size");
	parse_bad("port 0x70 size= log", "bad access size");
	parse_bad("port 0x70 value=x log", "bad value");
	parse_bad("port 0x70 value=1/x log", "bad value");
	parse_bad("port 0x70 cpu=a log", "bad CPU set");
	parse_bad("port 0x70 cpu=3-1 log", "bad CPU range");
	parse_bad("port 0x70 cpu=64 log", "past 63");
	parse_bad("port 0x70 rip=0x10 log", "bad RIP range");
	parse_bad("port 0x70 rip=0x10-0x1 log", "bad RIP range");
	parse_bad("port 0x70 read=x", "bad read value");
	parse_bad("port 0x70 write=x", "bad write action");
	parse_bad("port 0x70 write=or:1,xor:2", "bad write action");
	parse_bad("port 0x70 w read=1", "read= on a rule that matches only writes");
	parse_bad("port 0x70 r write=drop", "write= on a rule that matches only reads");
	parse_bad("protect port 0x70 log", "takes only a range");
	parse_bad("hide pci", "usage: hide pci");
	parse_bad("hide port 0x70", "usage: hide pci");
	parse_bad("hide pci 00:20.0", "bad PCI function");
	parse_bad("hide pci 00:03.8", "bad PCI function");
	parse_bad("hide pci 000:03.0", "bad PCI function");
	parse_bad("hide pci 00:03.0-", "bad PCI function");
	parse_bad("hide pci 00:03.0x", "bad PCI function");
	parse_bad("hide pci 00.03:0", "bad PCI function");
	parse_bad("hide pci 00:04.0-00:03.0", "ends before it starts");
	parse_bad("rule port 0x70 cpu=99999999999999999999999 log", "bad CPU set");
}

/* The engine. */
static struct rule_table table;
static unsigned logged, last_logged_rule;

static void on_log(void *arg, unsigned no, const struct rule_access *a)
{
	logged++;
	last_logged_rule = no;
}

static unsigned add(const char *line, unsigned line_no)
{
	struct rule r;
	parse_ok(line, &r);
	r.line = line_no;
	if (!rule_table_check(&table, &r, err, sizeof(err)))
		return 0;
	return rule_table_publish(&table, &r);
}

static int reset(void **state)
{
	memset(&table, 0, sizeof(table));
	logged = last_logged_rule = 0;
	return 0;
}

static uint64_t candidates(const struct rule_access *a)
{
	return rules_candidates(&table, a->space, a->addr, a->size);
}

static uint64_t answerers(const struct rule_access *a)
{
	return rules_answer_candidates(&table, a->space, a->addr, a->size);
}

static struct rule_access port_access(uint16_t port, bool write, unsigned size, uint64_t value)
{
	return (struct rule_access){ .space = RULE_PORT, .write = write, .size = (uint8_t)size,
				     .addr = port, .value = value, .cpu = 0 };
}

static void test_read_answer_and_write_steering(void **state)
{
	assert_int_equal(add("port 0x5a0 r read=0x1234 count", 1), 1);
	assert_int_equal(add("port 0x5a4 w write=drop", 2), 2);
	assert_int_equal(add("port 0x5a8 w write=or:0xf0,and:0x3f log", 3), 3);
	assert_true(rules_any(&table));

	struct rule_access a = port_access(0x5a0, false, 1, 0);
	assert_true(rules_read_answer(&table, answerers(&a), &a));
	assert_int_equal(a.value, 0x34); /* a byte read gets the low byte */
	struct rule_result res;
	rules_apply(&table, candidates(&a), &a, &res, on_log, NULL);
	assert_int_equal(a.value, 0x34);
	assert_int_equal(rule_hits(&table.slot[0]), 1);
	assert_int_equal(rule_action_hits(&table.slot[0], 0), 1); /* read= */
	assert_int_equal(rule_action_hits(&table.slot[0], 1), 1); /* count */

	a = port_access(0x5a4, true, 4, 7);
	assert_false(rules_read_answer(&table, answerers(&a), &a)); /* writes are never answered */
	rules_apply(&table, candidates(&a), &a, &res, on_log, NULL);
	assert_true(res.dropped);

	a = port_access(0x5a8, true, 1, 0x05);
	rules_apply(&table, candidates(&a), &a, &res, on_log, NULL);
	assert_false(res.dropped);
	assert_int_equal(a.value, 0x35);
	assert_int_equal(logged, 1);
	assert_int_equal(last_logged_rule, 3);

	/* A read of 0x5a8 and an access beside the rules match nothing. */
	a = port_access(0x5a8, false, 1, 0x99);
	assert_false(rules_read_answer(&table, answerers(&a), &a));
	rules_apply(&table, candidates(&a), &a, &res, on_log, NULL);
	assert_int_equal(a.value, 0x99);
	a = port_access(0x5a1, false, 2, 0x99);
	assert_false(rules_read_answer(&table, answerers(&a), &a));
	assert_int_equal(rule_hits(&table.slot[0]), 1);
	/* A word read at 0x59f touches 0x5a0: answered whole. */
	a = port_access(0x59f, false, 2, 0);
	assert_true(rules_read_answer(&table, answerers(&a), &a));
	assert_int_equal(a.value, 0x1234);
}

/* The counters: reads and writes per rule; an action counts what it acted on. */
static void test_action_hits(void **state)
{
	assert_int_equal(add("port 0x90 rw read=0x1 write=drop log", 1), 1);
	struct rule_result res;
	struct rule_access a = port_access(0x90, false, 1, 0);
	rules_apply(&table, candidates(&a), &a, &res, on_log, NULL);
	a = port_access(0x90, true, 1, 0);
	rules_apply(&table, candidates(&a), &a, &res, on_log, NULL);
	rules_apply(&table, candidates(&a), &a, &res, on_log, NULL);
	const struct rule_slot *s = rule_table_get(&table, 1);
	assert_int_equal(rule_hits(s), 3);
	assert_int_equal(rule_action_hits(s, 0), 1); /* read= */
	assert_int_equal(rule_action_hits(s, 1), 2); /* write=drop */
	assert_int_equal(rule_action_hits(s, 2), 3); /* log */
	assert_int_equal(rule_action_hits(s, 3), 3); /* past the actions: the rule's */
}

static void test_conditions(void **state)
{
	assert_int_equal(add("port 0x80 w value=0x55 stop", 1), 1);
	assert_int_equal(add("port 0x80 r size=2 cpu=1 count", 2), 2);
	assert_int_equal(add("mmio 0x1000+4 rw rip=0x100-0x1ff value=0x10/0xf0 log", 3), 3);
	struct rule_result res;

	struct rule_access a = port_access(0x80, true, 1, 0x54);
	rules_apply(&table, candidates(&a), &a, &res, on_log, NULL);
	assert_int_equal(res.stop, 0);
	a.value = 0x55;
	rules_apply(&table, candidates(&a), &a, &res, on_log, NULL);
	assert_int_equal(res.stop, 1);
	a = port_access(0x80, false, 1, 0x55); /* a read of 0x55: wrong direction */
	rules_apply(&table, candidates(&a), &a, &res, on_log, NULL);
	assert_int_equal(res.stop, 0);
	assert_int_equal(rule_hits(&table.slot[0]), 1);

	a = port_access(0x80, false, 2, 0);
	rules_apply(&table, candidates(&a), &a, &res, on_log, NULL); /* cpu 0 */
	a.cpu = 1;
	rules_apply(&table, candidates(&a), &a, &res, on_log, NULL);
	a.size = 1;
	rules_apply(&table, candidates(&a), &a, &res, on_log, NULL);
	a.cpu = 64;
	a.size = 2;
	rules_apply(&table, candidates(&a), &a, &res, on_log, NULL);
	assert_int_equal(rule_hits(&table.slot[1]), 1);

	a = (struct rule_access){ .space = RULE_MMIO, .size = 4, .addr = 0x1002, .value = 0x1f,
				  .rip = 0x150 };
	rules_apply(&table, candidates(&a), &a, &res, on_log, NULL);
	a.rip = 0x200;
	rules_apply(&table, candidates(&a), &a, &res, on_log, NULL);
	a.rip = 0x100;
	a.value = 0x20;
	rules_apply(&table, candidates(&a), &a, &res, on_log, NULL);
	a.value = 0x11;
	a.addr = 0x1004; /* just past the span */
	rules_apply(&table, candidates(&a), &a, &res, on_log, NULL);
	a.space = RULE_PORT;
	a.addr = 0x1000; /* the same number as a port */
	rules_apply(&table, candidates(&a), &a, &res, on_log, NULL);
	assert_int_equal(rule_hits(&table.slot[2]), 1);
	assert_int_equal(logged, 1);
}

static void test_value_conditioned_read_transforms(void **state)
{
	assert_int_equal(add("port 0x71 r value=0x10/0xf0 read=0x20", 1), 1);
	struct rule_access a = port_access(0x71, false, 1, 0);
	assert_false(rules_read_answer(&table, answerers(&a), &a)); /* needs the device's answer */
	struct rule_result res;
	a.value = 0x13;
	rules_apply(&table, candidates(&a), &a, &res, on_log, NULL);
	assert_int_equal(a.value, 0x20);
	a.value = 0x33;
	rules_apply(&table, candidates(&a), &a, &res, on_log, NULL);
	assert_int_equal(a.value, 0x33);
}

static void test_composition_order(void **state)
{
	/* Later rules act on what earlier ones left; log records the value
	 * where it stands in the action list. */
	assert_int_equal(add("port 0x60 w write=or:0x1", 1), 1);
	assert_int_equal(add("port 0x60 w log count stop", 2), 2);
	assert_int_equal(add("port 0x60-0x61 r stop", 3), 3);
	struct rule_access a = port_access(0x60, true, 1, 0x10);
	struct rule_result res;
	rules_apply(&table, candidates(&a), &a, &res, on_log, NULL);
	assert_int_equal(a.value, 0x11);
	assert_int_equal(res.stop, 2);
	assert_int_equal(last_logged_rule, 2);
}

static void test_clashes(void **state)
{
	assert_int_equal(add("port 0x70-0x71 r read=0x1", 3), 1);
	assert_int_equal(add("port 0x71 r read=0x2", 7), 0);
	assert_non_null(strstr(err, "clashes with line 3 (rule 1): both change reads of these ports"));
	/* Composable: log on the same port, a write rule, another CPU, another
	 * size, exclusive values, other space. */
	assert_int_equal(add("port 0x71 log stop", 8), 2);
	assert_int_equal(add("port 0x71 write=drop", 9), 3);
	assert_int_equal(add("port 0x71 cpu=1 write=0x4", 10), 0);
	assert_non_null(strstr(err, "line 9 (rule 3): both change writes"));
	assert_int_equal(add("mmio 0x71 read=0x5", 11), 4);
	assert_int_equal(add("port 0x90 value=0x1 write=0x4", 12), 5);
	assert_int_equal(add("port 0x90 value=0x2 write=0x5", 13), 6);
	assert_int_equal(add("port 0x90 value=0x3 write=0x5", 14), 7);
	assert_int_equal(add("port 0x90 write=0x5", 14), 0);
	assert_non_null(strstr(err, "clashes with line 12 (rule 5)"));
	assert_int_equal(add("port 0xa0 size=1 write=0x4", 15), 8);
	assert_int_equal(add("port 0xa0 size=2 write=0x4", 16), 9);
	assert_int_equal(add("port 0xb0 cpu=0 read=1", 17), 10);
	assert_int_equal(add("port 0xb0 cpu=1 read=1", 18), 11);
	/* From the console (no line): named by number. Deleted rules do not clash. */
	assert_int_equal(add("port 0x70 r read=0x9", 0), 0);
	assert_non_null(strstr(err, "clashes with line 3 (rule 1)"));
	assert_true(rule_table_set_state(&table, 1, RULE_DELETED));
	assert_int_equal(add("port 0x70 r read=0x9", 0), 12);
	assert_int_equal(add("port 0x70 r read=0x8", 0), 0);
	assert_non_null(strstr(err, "clashes with rule 12"));
}

static void test_states_and_full_table(void **state)
{
	assert_int_equal(add("port 0x80 count", 1), 1);
	struct rule_access a = port_access(0x80, true, 1, 0);
	struct rule_result res;
	assert_true(rule_table_set_state(&table, 1, RULE_OFF));
	assert_false(rules_any(&table));
	rules_apply(&table, candidates(&a), &a, &res, on_log, NULL);
	assert_int_equal(rule_hits(&table.slot[0]), 0);
	assert_true(rule_table_set_state(&table, 1, RULE_ON));
	assert_true(rule_table_set_state(&table, 1, RULE_ON)); /* twice: counted once */
	assert_int_equal(table.on, 1);
	rules_apply(&table, candidates(&a), &a, &res, on_log, NULL);
	assert_int_equal(rule_hits(&table.slot[0]), 1);
	assert_true(rule_table_set_state(&table, 1, RULE_DELETED));
	assert_false(rules_any(&table));
	assert_null(rule_table_get(&table, 1));
	assert_false(rule_table_set_state(&table, 1, RULE_ON));
	assert_false(rule_table_set_state(&table, 0, RULE_ON));
	assert_false(rule_table_set_state(&table, 2, RULE_ON));
	for (unsigned i = 2; i <= RULES_MAX; i++)
		assert_int_equal(add("port 0x80 count", i), i);
	assert_int_equal(add("port 0x80 count", 99), 0);
	assert_non_null(strstr(err, "table is full"));
	struct rule r;
	parse_ok("port 0x80 count", &r);
	assert_int_equal(rule_table_publish(&table, &r), 0);
}

static uint64_t ports(uint16_t port, unsigned size)
{
	return rules_candidates(&table, RULE_PORT, port, size);
}

static uint64_t mmio(uint64_t addr, unsigned size)
{
	return rules_candidates(&table, RULE_MMIO, addr, size);
}

/* The index the exit path starts from: per block of 256 ports, the rules
 * on there; the MMIO rules within their span; nothing else. */
static void test_index(void **state)
{
	assert_int_equal(ports(0, 1), 0);
	assert_int_equal(mmio(0, 1), 0);
	assert_int_equal(add("port 0x70-0x71 count", 1), 1);
	assert_int_equal(add("port 0x80 count", 2), 2);
	assert_int_equal(add("port 0x1ff-0x200 count", 3), 3);
	assert_int_equal(add("mmio 0x1000+4 r read=0x7", 4), 4);
	assert_int_equal(ports(0x70, 1), 0x3); /* block 0: rules 1 and 2 */
	assert_int_equal(ports(0x7f, 2), 0x3);
	assert_int_equal(ports(0x72, 4), 0);    /* beside them: no candidates */
	assert_int_equal(ports(0x6f, 1), 0);
	assert_int_equal(ports(0x300, 1), 0);
	assert_int_equal(ports(0x1fe, 4), 0x4); /* blocks 1 and 2: rule 3 */
	assert_int_equal(ports(0x200, 1), 0x4);
	assert_int_equal(ports(0xfffe, 4), 0);  /* the last ports: no wrap */
	assert_int_equal(mmio(0x1000, 4), 0x8);
	assert_int_equal(mmio(0xffd, 4), 0x8);
	assert_int_equal(mmio(0xffc, 4), 0);
	assert_int_equal(mmio(0x1004, 4), 0);
	assert_int_equal(mmio(0x70, 1), 0);
	assert_int_equal(table.answering, 0x8);
	assert_int_equal(rules_answer_candidates(&table, RULE_MMIO, 0x1000, 4), 0x8);
	assert_int_equal(rules_answer_candidates(&table, RULE_PORT, 0x70, 1), 0);
	/* Off or deleted: out of the index; on again: back. */
	assert_true(rule_table_set_state(&table, 2, RULE_OFF));
	assert_int_equal(ports(0x80, 1), 0);
	assert_int_equal(ports(0x70, 1), 0x1);
	assert_true(rule_table_set_state(&table, 2, RULE_ON));
	assert_int_equal(ports(0x80, 1), 0x3);
	assert_true(rule_table_set_state(&table, 1, RULE_DELETED));
	assert_int_equal(ports(0x80, 1), 0x2);
	assert_int_equal(ports(0x70, 1), 0); /* its ports' flags went with it */
	assert_true(rule_table_set_state(&table, 4, RULE_OFF));
	assert_int_equal(mmio(0x1000, 4), 0);
	assert_int_equal(table.answering, 0);
	/* A PCI rule: the data port's block, its functions' ECAM pages. */
	table.has_ecam = true;
	table.ecam_base = 0xb0000000;
	table.ecam_bus_last = 0xff;
	assert_int_equal(add("hide pci 00:03.0", 5), 5);
	assert_int_equal(ports(0xcfc, 4), 0x10);
	assert_int_equal(rules_answer_candidates(&table, RULE_PORT, 0xcfe, 2), 0x10);
	assert_int_equal(ports(0xcf8, 4), 0);
	assert_int_equal(mmio(0xb0018ffc, 4), 0x10);
	assert_int_equal(mmio(0xb0019000, 4), 0);
	assert_int_equal(mmio(0x1000, 4), 0);
	assert_true(rule_table_set_state(&table, 4, RULE_ON)); /* the span grows again */
	assert_int_equal(mmio(0x1000, 4), 0x18);
}

/* One port access through the general engine: the value the guest or the
 * device gets, and whether the device is reached. */
static bool general(struct rule_access *a)
{
	if (!a->write && rules_read_answer(&table, answerers(a), a)) {
		struct rule_result res;
		rules_apply(&table, candidates(a), a, &res, on_log, NULL);
		return false;
	}
	struct rule_result res;
	rules_apply(&table, candidates(a), a, &res, on_log, NULL);
	return !res.dropped;
}

/* The same through the port's plan (as hv/dev/rules.h uses it); false when
 * the access has no plan. */
static bool planned(struct rule_access *a, bool *reaches)
{
	struct rule_plan_use u;
	uint32_t mask = a->size >= 4 ? ~0u : (1u << (8 * a->size)) - 1;
	if (!rules_port_plan(&table, a->addr, a->size, a->write, &u))
		return false;
	rules_plan_count(&table, u.rules, a->write);
	if (a->write)
		a->value = (((uint32_t)a->value & u.wand) | u.wor) & mask;
	else if (u.steer)
		a->value = u.wand & mask;
	for (uint64_t l = u.logs; l; l &= l - 1)
		on_log(NULL, (unsigned)__builtin_ctzll(l) + 1, a);
	*reaches = !u.steer;
	return true;
}

static void hits_of(uint64_t h[RULES_MAX][2])
{
	for (unsigned i = 0; i < RULES_MAX; i++)
		h[i][0] = table.slot[i].hits[0], h[i][1] = table.slot[i].hits[1];
}

/* Every access of every size at every port near the rules: a plan, where
 * there is one, does what the general engine does (value, device reached,
 * each rule's counters). Returns how many accesses had a plan. */
static unsigned plans_agree(void)
{
	static const unsigned sizes[] = { 1, 2, 4 };
	unsigned with_plan = 0;
	for (unsigned port = 0x56; port <= 0x90; port++) {
		for (unsigned k = 0; k < 3; k++) {
			for (unsigned w = 0; w < 2; w++) {
				uint64_t value = 0x5a5a5a5a & ((UINT64_C(1) << (8 * sizes[k])) - 1);
				struct rule_access a = port_access((uint16_t)port, w, sizes[k], value);
				struct rule_access b = a;
				uint64_t before[RULES_MAX][2], after_plan[RULES_MAX][2], after[RULES_MAX][2];
				bool plan_reaches, reaches;
				unsigned logs = logged;
				hits_of(before);
				if (!planned(&b, &plan_reaches))
					continue;
				with_plan++;
				hits_of(after_plan);
				unsigned plan_logs = logged - logs, plan_last = last_logged_rule;
				logged = logs;
				for (unsigned i = 0; i < RULES_MAX; i++)
					table.slot[i].hits[0] = before[i][0], table.slot[i].hits[1] = before[i][1];
				reaches = general(&a);
				hits_of(after);
				if (a.value != b.value || reaches != plan_reaches ||
				    memcmp(after, after_plan, sizeof(after)) || logged - logs != plan_logs ||
				    (plan_logs && last_logged_rule != plan_last))
					fail_msg("port 0x%x size %u %s: plan 0x%lx %d, engine 0x%lx %d", port,
						 sizes[k], w ? "write" : "read", (unsigned long)b.value,
						 plan_reaches, (unsigned long)a.value, reaches);
			}
		}
	}
	return with_plan;
}

static void test_port_plans(void **state)
{
	static const char *const lines[] = {
		"port 0x60-0x63 count",
		"port 0x61 r read=0x1234",
		"port 0x62-0x64 w write=or:0xf0,and:0x3f write=or:0x100",
		"port 0x70 w write=drop",
		"port 0x70-0x71 r read=0x55 count",
		"port 0x80 w write=0x77",
		"port 0x58 rw size=1,2,4 count",
		"port 0x88 r log",
		/* Not plannable: the general engine takes them. */
		"port 0x89 value=0x1/0x1 count",
		"port 0x8a cpu=1 count",
		"port 0x8b size=1 count",
		"port 0x8c w stop",
		/* Logs: all of them in rule order, with the final value. */
		"port 0x84-0x85 log",
		"port 0x85 w write=drop log",
		"port 0x8e w write=or:1 log", /* not plannable: the log's value would depend on the order */
	};
	struct rule_plan_use u;
	for (unsigned i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		assert_int_equal(add(lines[i], i + 1), i + 1);
	/* Runs: 0x58, 0x60, 0x61, 0x62-0x63, 0x64, 0x70, 0x71, 0x80, 0x84, 0x85, 0x88. */
	assert_int_equal(table.nplans, 11);
	assert_true(rules_port_plan(&table, 0x61, 1, false, &u));
	assert_true(u.steer);
	assert_int_equal(u.wand, 0x1234);
	assert_int_equal(u.rules, 0x3);
	assert_true(rules_port_plan(&table, 0x62, 2, true, &u));
	assert_int_equal(u.rules, 0x5);
	assert_false(rules_port_plan(&table, 0x61, 2, false, &u)); /* crosses a run's edge */
	assert_false(rules_port_plan(&table, 0x65, 1, false, &u)); /* no rule */
	for (unsigned p = 0x89; p <= 0x8e; p++)
		assert_false(rules_port_plan(&table, p, 1, false, &u));
	assert_true(rules_port_plan(&table, 0x85, 1, true, &u));
	assert_int_equal(u.logs, 0x3000);
	assert_true(u.steer);
	assert_int_equal(plans_agree(), 26); /* 13 ports' reads and writes, 0x62's words */
	/* A plan follows its rules' states; a plan being rewritten is not used. */
	assert_true(rule_table_set_state(&table, 2, RULE_OFF));
	assert_true(rules_port_plan(&table, 0x60, 2, false, &u)); /* 0x60-0x61: one run now */
	assert_false(u.steer);
	assert_int_equal(u.rules, 0x1);
	plans_agree();
	assert_true(rule_table_set_state(&table, 9, RULE_DELETED));
	assert_true(rule_table_set_state(&table, 2, RULE_ON));
	plans_agree();
	unsigned id = table.port_near[0x70] >> RULE_NEAR_PLAN_SHIFT;
	assert_true(id != 0);
	table.plan[id].seq++;
	assert_false(rules_port_plan(&table, 0x70, 1, true, &u));
	table.plan[id].seq++;
	assert_true(rules_port_plan(&table, 0x70, 1, true, &u));
	assert_true(u.steer);
}

/* More runs than plans: the runs past the last plan take the general
 * engine, and every run's counters stay right. */
/* The window over a port access's flags (rule_port_window): an access is
 * near a rule when any of its 1, 2 or 4 bytes is, never through a byte past
 * its end; a planned read's answer is masked to the access's size. */
static void test_port_window(void **state)
{
	assert_int_equal(add("port 0x63 r read=0x12345678", 1), 1);
	assert_false(rules_port_near(&table, 0x60, 1, RULE_NEAR_ANY));
	assert_false(rules_port_near(&table, 0x62, 1, RULE_NEAR_ANY));
	assert_false(rules_port_near(&table, 0x61, 2, RULE_NEAR_ANY));
	assert_true(rules_port_near(&table, 0x62, 2, RULE_NEAR_ANSWER));
	assert_true(rules_port_near(&table, 0x60, 4, RULE_NEAR_ANY));
	assert_false(rules_port_near(&table, 0x5F, 4, RULE_NEAR_ANY));
	assert_true(rules_port_near(&table, 0x63, 1, RULE_NEAR_ANY));
	assert_false(rules_port_near(&table, 0x64, 4, RULE_NEAR_ANY));
	assert_int_equal(rules_port_mask(1), 0xFF);
	assert_int_equal(rules_port_mask(2), 0xFFFF);
	assert_int_equal(rules_port_mask(4), 0xFFFFFFFFu);
	assert_int_equal(add("port 0xFFFF r count", 2), 2); /* the index's last byte */
	assert_true(rules_port_near(&table, 0xFFFF, 4, RULE_NEAR_ANY));
	assert_true(rules_port_near(&table, 0xFFFE, 2, RULE_NEAR_ANY));
	assert_false(rules_port_near(&table, 0xFFFD, 2, RULE_NEAR_ANY));
}

static void test_port_plans_run_out(void **state)
{
	char line[32];
	struct rule_plan_use u;
	for (unsigned i = 0; i < RULES_MAX; i++) {
		snprintf(line, sizeof(line), "port 0x%x count", 0x1000 + 2 * i);
		assert_int_equal(add(line, i + 1), i + 1);
	}
	assert_int_equal(table.nplans, RULE_PLANS - 1);
	for (unsigned i = 0; i < RULES_MAX; i++) {
		uint16_t port = (uint16_t)(0x1000 + 2 * i);
		bool planned = rules_port_plan(&table, port, 1, false, &u);
		assert_int_equal(planned, i < RULE_PLANS - 1);
		if (planned)
			assert_int_equal(u.rules, UINT64_C(1) << i);
	}
}

/* break: a watchpoint is a post rule that logs (and maybe stops). */
static void test_parse_break(void **state)
{
	struct rule r;
	assert_true(rule_keyword("break"));
	parse_ok("break port 0x5a0", &r);
	assert_int_equal(r.m.space, RULE_PORT);
	assert_int_equal(r.m.first, 0x5a0);
	assert_int_equal(r.m.last, 0x5a0);
	assert_int_equal(r.m.dirs, RULE_READ | RULE_WRITE);
	assert_true(r.m.post);
	assert_false(r.m.has_value);
	assert_int_equal(r.nactions, 1);
	assert_int_equal(r.act[0].kind, RULE_ACT_LOG);
	assert_string_equal(r.text, "break port 0x5a0");
	parse_ok("break mmio 0xfe800000 r 0x41 stop", &r);
	assert_int_equal(r.m.space, RULE_MMIO);
	assert_int_equal(r.m.dirs, RULE_READ);
	assert_true(r.m.has_value);
	assert_int_equal(r.m.value, 0x41);
	assert_int_equal(r.m.vmask, ~UINT64_C(0));
	assert_int_equal(r.nactions, 2);
	assert_int_equal(r.act[1].kind, RULE_ACT_STOP);
	parse_ok("break port 0x80 w stop", &r);
	assert_int_equal(r.m.dirs, RULE_WRITE);
	assert_false(r.m.has_value);
	assert_int_equal(r.act[1].kind, RULE_ACT_STOP);
	parse_ok("break port 0x80 7", &r);
	assert_true(r.m.has_value);
	parse_ok("rule port 0x80 w post count", &r);
	assert_true(r.m.post);
	/* Each error names the word that is wrong and what was expected. */
	parse_bad("break port", "port needs a range");
	parse_bad("break disk 0x80", "'disk': expected port or mmio");
	parse_bad("break port 0x8o", "bad port range '0x8o'");
	parse_bad("break port 0x10000", "runs past 0xFFFF");
	parse_bad("break mmio 0x10000000000000", "runs past the 52-bit physical address space");
	parse_bad("break port 0x80 x", "'x': not a direction (r, w, rw), a value (e.g. 0x41) or 'stop'");
	parse_bad("break port 0x80 w x", "'x': not a value (e.g. 0x41) or 'stop'");
	parse_bad("break port 0x80 w 1 stop now", "'now': unexpected after the value or 'stop'");
	parse_bad("break port 0x80 w 1 2", "'2': unexpected after the value or 'stop'");
	/* A post rule only watches. */
	parse_bad("rule port 0x80 r post read=1", "a post rule only watches");
	parse_bad("rule port 0x80 w post write=drop", "a post rule only watches");
}

/* A post rule matches after every other rule, on the value they left. */
static void test_post_stage(void **state)
{
	assert_int_equal(add("port 0x71 r value=0x59 count", 1), 1); /* before read= */
	assert_int_equal(add("break port 0x71 r 0x59", 2), 2);
	/* With its value condition, read= replaces the device's answer in rule
	 * order (rule_table.h), so rule 1 sees what the device answered. */
	assert_int_equal(add("port 0x71 r value=0x00/0xf0 read=0x59", 3), 3);
	assert_int_equal(add("break port 0x80 w 0x55 stop", 4), 4);
	assert_int_equal(add("port 0x80 w write=or:0x50", 5), 5);
	struct rule_access a = port_access(0x71, false, 1, 0x00);
	struct rule_result res;
	assert_false(rules_read_answer(&table, answerers(&a), &a));
	rules_apply(&table, candidates(&a), &a, &res, on_log, NULL);
	assert_int_equal(a.value, 0x59);
	assert_int_equal(rule_hits(&table.slot[0]), 0); /* saw the device's 0 */
	assert_int_equal(rule_hits(&table.slot[1]), 1); /* saw the 0x59 the guest got */
	assert_int_equal(logged, 1);
	assert_int_equal(last_logged_rule, 2);
	a = port_access(0x80, true, 1, 0x05);
	rules_apply(&table, candidates(&a), &a, &res, on_log, NULL);
	assert_int_equal(a.value, 0x55);
	assert_int_equal(rule_hits(&table.slot[3]), 1); /* the 0x55 the port gets */
	assert_int_equal(res.stop, 4);
	a = port_access(0x80, true, 1, 0x25);
	rules_apply(&table, candidates(&a), &a, &res, on_log, NULL);
	assert_int_equal(rule_hits(&table.slot[3]), 1);
	assert_int_equal(res.stop, 0);
	/* A post rule's ports have no plan: the general engine orders them. */
	struct rule_plan_use u;
	assert_false(rules_port_plan(&table, 0x80, 1, true, &u));
	assert_false(rules_port_plan(&table, 0x71, 1, false, &u));
}

static void test_hide_pci(void **state)
{
	table.has_ecam = true;
	table.ecam_base = 0xb0000000;
	table.ecam_bus_first = 0;
	table.ecam_bus_last = 0xff;
	assert_int_equal(add("hide pci 00:03.0", 1), 1);
	uint64_t lo, hi;
	assert_true(rule_covers_pci_function(&table, &table.slot[0].r, &lo, &hi));
	assert_int_equal(lo, 0xb0018000);
	assert_int_equal(hi, 0xb0018fff);

	/* 0xCFC with 00:03.0 selected: vendor ID all ones, writes dropped. */
	struct rule_access a = port_access(0xcfc, false, 2, 0x1af4);
	a.cf8 = 0x80001800;
	assert_true(rules_read_answer(&table, answerers(&a), &a));
	assert_int_equal(a.value, 0xffff);
	a.write = true;
	struct rule_result res;
	rules_apply(&table, candidates(&a), &a, &res, on_log, NULL);
	assert_true(res.dropped);
	/* Another function, the enable bit clear, the address port itself. */
	a = port_access(0xcfc, false, 4, 0);
	a.cf8 = 0x80002000;
	assert_false(rules_read_answer(&table, answerers(&a), &a));
	a.cf8 = 0x00001800;
	assert_false(rules_read_answer(&table, answerers(&a), &a));
	a = port_access(0xcf8, false, 4, 0);
	a.cf8 = 0x80001800;
	assert_false(rules_read_answer(&table, answerers(&a), &a));
	/* ECAM. */
	a = (struct rule_access){ .space = RULE_MMIO, .size = 4, .addr = 0xb0018000 };
	assert_true(rules_read_answer(&table, answerers(&a), &a));
	assert_int_equal(a.value, 0xffffffff);
	a.addr = 0xb0019000;
	assert_false(rules_read_answer(&table, answerers(&a), &a));
	a.addr = 0xa0018000;
	assert_false(rules_read_answer(&table, answerers(&a), &a));
	/* Outside the window's buses; no window at all. */
	table.ecam_bus_last = 0;
	assert_int_equal(add("hide pci 02:00.0", 2), 2);
	assert_false(rule_covers_pci_function(&table, &table.slot[1].r, &lo, &hi));
	a.addr = 0xb0200000;
	assert_false(rules_read_answer(&table, answerers(&a), &a));
	table.has_ecam = false;
	assert_false(rule_covers_pci_function(&table, &table.slot[0].r, &lo, &hi));
	a.addr = 0xb0018000;
	assert_false(rules_read_answer(&table, answerers(&a), &a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_match),
		cmocka_unit_test(test_parse_actions),
		cmocka_unit_test(test_parse_shorthands),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test_setup(test_read_answer_and_write_steering, reset),
		cmocka_unit_test_setup(test_action_hits, reset),
		cmocka_unit_test_setup(test_conditions, reset),
		cmocka_unit_test_setup(test_value_conditioned_read_transforms, reset),
		cmocka_unit_test_setup(test_composition_order, reset),
		cmocka_unit_test_setup(test_clashes, reset),
		cmocka_unit_test_setup(test_states_and_full_table, reset),
		cmocka_unit_test_setup(test_index, reset),
		cmocka_unit_test_setup(test_hide_pci, reset),
		cmocka_unit_test_setup(test_port_plans, reset),
		cmocka_unit_test_setup(test_port_plans_run_out, reset),
		cmocka_unit_test_setup(test_port_window, reset),
		cmocka_unit_test(test_parse_break),
		cmocka_unit_test_setup(test_post_stage, reset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
