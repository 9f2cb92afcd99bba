/* SPDX-License-Identifier: GPL-2.0-only */
/* boot/config_parse.c and boot/settings.c: the configuration file and load
 * options, including every error path (each bad line is reported with its number
 * and text, skipped, and changes nothing). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "boot/config_parse.h"
#include "boot/settings.h"

struct report {
	unsigned count;
	unsigned line[16];
	char text[16][128];
	char msg[16][128];
};

static void on_error(void *ctx, const char *source, unsigned line_no, const char *text,
		     const char *msg)
{
	struct report *r = ctx;
	(void)source;
	if (r->count < 16) {
		r->line[r->count] = line_no;
		snprintf(r->text[r->count], 128, "%s", text);
		snprintf(r->msg[r->count], 128, "%s", msg);
	}
	r->count++;
}

struct pass {
	struct boot_settings *s;
	struct settings_source *src;
	int options;
};

static void on_line(void *ctx, const struct cfg_line *line)
{
	struct pass *p = ctx;
	if (p->options)
		settings_apply_options(p->s, line, p->src);
	else
		settings_apply_directive(p->s, line, p->src);
}

static void on_parse_error(void *ctx, unsigned line_no, const char *text, const char *msg)
{
	struct pass *p = ctx;
	on_error(p->src->ctx, p->src->name, line_no, text, msg);
}

static void apply(struct boot_settings *s, struct report *r, const char *text, int options)
{
	static char buf[4096];
	struct settings_source src = { "test", r, on_error };
	struct pass p = { s, &src, options };
	struct cfg_sink sink = { &p, on_line, on_parse_error };
	size_t n = strlen(text);
	memcpy(buf, text, n + 1);
	cfg_parse(buf, n, &sink);
}

static void test_defaults(void **state)
{
	(void)state;
	struct boot_settings s;
	settings_defaults(&s);
	assert_string_equal(s.config_path, "\\EFI\\iomvisor\\iomvisor.cfg");
	assert_int_equal(s.uart_base, 0x3F8);
	assert_int_equal(s.log_level, LOG_INFO);
	assert_string_equal(s.next, "");
	assert_true(s.devices.vuart);
}

static void test_good_file(void **state)
{
	(void)state;
	struct boot_settings s;
	struct report r = { 0 };
	settings_defaults(&s);
	apply(&s, &r,
	      "# comment line\n"
	      "\n"
	      "   log debug   # trailing comment\r\n"
	      "uart com2\n"
	      "next \\EFI\\BOOT\\grubx64.efi \"a b\" c#not-a-comment-inside-word\n",
	      0);
	assert_int_equal(r.count, 0);
	assert_int_equal(s.log_level, LOG_DEBUG);
	assert_int_equal(s.uart_base, 0x2F8);
	assert_string_equal(s.next, "\\EFI\\BOOT\\grubx64.efi");
	/* '#' ends a word and starts a comment; the quoted word keeps its blank. */
	assert_string_equal(s.next_args, "\"a b\" c");
}

static void test_every_file_error_is_reported_and_skipped(void **state)
{
	(void)state;
	struct boot_settings s, before;
	struct report r = { 0 };
	settings_defaults(&s);
	before = s;
	apply(&s, &r,
	      "log loud\n"		/* 1: bad level */
	      "log\n"			/* 2: missing value */
	      "uart com9\n"		/* 3: bad uart */
	      "uart 0x10000\n"		/* 4: port out of range */
	      "next\n"			/* 5: no path */
	      "frobnicate 0x60\n"	/* 6: unknown directive */
	      "config \\x.cfg\n"	/* 7: config only as a load option */
	      "log \"info\n"		/* 8: unterminated quote */
	      "log\x01 info\n"		/* 9: control character */
	      "uart com1 com2\n",	/* 10: too many values */
	      0);
	assert_int_equal(r.count, 10);
	for (unsigned i = 0; i < 10; i++)
		assert_int_equal(r.line[i], i + 1);
	assert_string_equal(r.text[0], "log loud");
	assert_string_equal(r.msg[0], "log level must be error, warn, info or debug");
	assert_string_equal(r.msg[5], "unknown setting");
	assert_string_equal(r.msg[7], "unterminated quote");
	assert_string_equal(r.msg[8], "control character in line");
	assert_memory_equal(&s, &before, sizeof(s));
}

static void test_long_line_and_many_words(void **state)
{
	(void)state;
	struct boot_settings s;
	struct report r = { 0 };
	char text[2048];
	settings_defaults(&s);
	memset(text, 'a', 600);
	strcpy(text + 600, "\nlog warn\n");
	apply(&s, &r, text, 0);
	assert_int_equal(r.count, 1);
	assert_string_equal(r.msg[0], "line too long");
	assert_int_equal(s.log_level, LOG_WARN); /* the next line still counts */

	r = (struct report){ 0 };
	strcpy(text, "next x");
	for (int i = 0; i < CFG_MAX_WORDS; i++)
		strcat(text, " w");
	apply(&s, &r, text, 0);
	assert_int_equal(r.count, 1);
	assert_string_equal(r.msg[0], "too many words on one line");
}

static void test_load_options(void **state)
{
	(void)state;
	struct boot_settings s;
	struct report r = { 0 };
	settings_defaults(&s);
	apply(&s, &r,
	      "iomvisor.EFI log=warn uart=0x2e8 colour=blue config=\\a.cfg stray "
	      "next=\\vmlinuz console=ttyS0 initrd=\\initrd.img",
	      1);
	assert_int_equal(s.log_level, LOG_WARN);
	assert_int_equal(s.uart_base, 0x2E8);
	assert_string_equal(s.config_path, "\\a.cfg");
	assert_string_equal(s.next, "\\vmlinuz");
	assert_string_equal(s.next_args, "console=ttyS0 initrd=\\initrd.img");
	/* The program name the shell passes is skipped; the rest is reported. */
	assert_int_equal(r.count, 2);
	assert_string_equal(r.text[0], "colour=blue");
	assert_string_equal(r.msg[0], "unknown setting");
	assert_string_equal(r.text[1], "stray");
	assert_string_equal(r.msg[1], "not a key=value word");
}

/* The next image's options: alone for a boot manager start; after its path,
 * quoted when it holds blanks, for a shell start; too small a buffer says so. */
static void test_next_options_per_starter(void **state)
{
	(void)state;
	struct boot_settings s;
	struct report r = { 0 };
	char out[64];
	settings_defaults(&s);
	apply(&s, &r, "next \\vmlinuz console=ttyS0 \"a b\"\n", 0);
	assert_true(settings_next_options(&s, false, out, sizeof(out)));
	assert_string_equal(out, "console=ttyS0 \"a b\"");
	assert_true(settings_next_options(&s, true, out, sizeof(out)));
	assert_string_equal(out, "\\vmlinuz console=ttyS0 \"a b\"");
	assert_false(settings_next_options(&s, true, out, 20));
	apply(&s, &r, "next \"\\My Tools\\x.efi\"\n", 0);
	assert_true(settings_next_options(&s, true, out, sizeof(out)));
	assert_string_equal(out, "\"\\My Tools\\x.efi\"");
	assert_true(settings_next_options(&s, false, out, sizeof(out)));
	assert_string_equal(out, "");
	assert_int_equal(r.count, 0);
}

static void test_load_option_errors_keep_settings(void **state)
{
	(void)state;
	struct boot_settings s, before;
	struct report r = { 0 };
	settings_defaults(&s);
	before = s;
	apply(&s, &r, "log= uart=nowhere log=verbose", 1);
	assert_int_equal(r.count, 3);
	assert_string_equal(r.msg[0], "empty value");
	assert_string_equal(r.text[1], "uart=nowhere");
	assert_memory_equal(&s, &before, sizeof(s));
}

/* kind: the rule's first action (log for trace, read= for deny). */
static void expect_rule(const struct rule *r, int kind, int space, uint64_t first,
			uint64_t last, unsigned line)
{
	assert_int_equal(r->act[0].kind, kind);
	assert_int_equal(r->m.space, space);
	assert_int_equal(r->m.first, first);
	assert_int_equal(r->m.last, last);
	assert_int_equal(r->line, line);
}

static void test_trace_and_deny_rules(void **state)
{
	(void)state;
	struct boot_settings s;
	struct report r = { 0 };
	settings_defaults(&s);
	apply(&s, &r,
	      "trace port 0x70-0x71\n"
	      "trace port 0x3f8+8\n"
	      "deny port 0x80\n"
	      "trace mmio 0xfed00000+0x400\n"
	      "deny mmio 0xfee00000-0xfee00fff\n"
	      "trace port 0x71-0x70\n"		/* 6: backwards */
	      "trace port 0xfffe+4\n"		/* 7: past 0xFFFF */
	      "trace disk 0x1000\n"		/* 8: no such space */
	      "trace port\n"			/* 9: no range */
	      "trace port 70-71\n"		/* 10: not hexadecimal */
	      "deny mmio 0x10000000000000+1\n"	/* 11: past 52 bits */
	      "debugcon on\n"
	      "pcimon on\n"
	      "pcimon maybe\n",			/* 14: not on/off */
	      0);
	assert_int_equal(s.devices.nrules, 6);
	expect_rule(&s.devices.rules[0], RULE_ACT_LOG, RULE_PORT, 0x70, 0x71, 1);
	expect_rule(&s.devices.rules[1], RULE_ACT_LOG, RULE_PORT, 0x3F8, 0x3FF, 2);
	expect_rule(&s.devices.rules[2], RULE_ACT_READ, RULE_PORT, 0x80, 0x80, 3);
	expect_rule(&s.devices.rules[3], RULE_ACT_LOG, RULE_MMIO, 0xFED00000, 0xFED003FF, 4);
	expect_rule(&s.devices.rules[4], RULE_ACT_READ, RULE_MMIO, 0xFEE00000, 0xFEE00FFF, 5);
	/* 70-71: decimal numbers, as everywhere else */
	expect_rule(&s.devices.rules[5], RULE_ACT_LOG, RULE_PORT, 70, 71, 10);
	assert_true(s.devices.debugcon);
	assert_true(s.devices.pcimon);
	assert_int_equal(r.count, 6);
	const unsigned bad_lines[] = { 6, 7, 8, 9, 11, 14 };
	for (unsigned i = 0; i < 6; i++)
		assert_int_equal(r.line[i], bad_lines[i]);
	assert_string_equal(r.msg[0], "range '0x71-0x70' ends before it starts");
	assert_string_equal(r.msg[1], "port range '0xfffe+4' runs past 0xFFFF");
	assert_string_equal(r.msg[2], "'disk': expected port or mmio");
	assert_string_equal(r.msg[3], "port needs a range (FIRST-LAST or FIRST+COUNT)");
	assert_string_equal(r.msg[4], "mmio range '0x10000000000000+1' runs past the 52-bit physical address space");
	assert_string_equal(r.msg[5], "takes on or off");
}

static void test_rule_lines(void **state)
{
	(void)state;
	struct boot_settings s;
	struct report r = { 0 };
	settings_defaults(&s);
	apply(&s, &r,
	      "rule port 0x70-0x71 r read=0x12\n"
	      "hide pci 00:03.0\n"
	      "protect mmio 0xfed40000+0x1000\n"
	      "rule port 0x80 w\n"			/* 4: no action */
	      "rule port 0x80 jump\n"			/* 5: unknown word */
	      "break port 0xe9 w 0x21 stop\n"		/* a watchpoint */
	      "break port 0xe9 w 0x21 halt\n",		/* 7: a word too many */
	      0);
	assert_int_equal(s.devices.nrules, 4);
	expect_rule(&s.devices.rules[0], RULE_ACT_READ, RULE_PORT, 0x70, 0x71, 1);
	expect_rule(&s.devices.rules[1], RULE_ACT_READ, RULE_PCI, 0x18, 0x18, 2);
	expect_rule(&s.devices.rules[2], RULE_ACT_LOG, RULE_MMIO, 0xFED40000, 0xFED40FFF, 3);
	expect_rule(&s.devices.rules[3], RULE_ACT_LOG, RULE_PORT, 0xE9, 0xE9, 6);
	assert_true(s.devices.rules[3].m.post);
	assert_int_equal(s.devices.rules[3].act[1].kind, RULE_ACT_STOP);
	assert_int_equal(r.count, 3);
	assert_int_equal(r.line[0], 4);
	assert_string_equal(r.msg[0], "no action (log, count, stop, read=, write=, pass)");
	assert_string_equal(r.msg[1], "unknown word 'jump'");
	assert_int_equal(r.line[2], 7);
	assert_string_equal(r.msg[2], "'halt': unexpected after the value or 'stop'");
}

/* "trace filter" and "trace limit" in the file (hv/trace/filter.h), beside
 * the trace rules. */
static void test_trace_filter_and_limit(void **state)
{
	(void)state;
	struct boot_settings s;
	struct report r = { 0 };
	settings_defaults(&s);
	apply(&s, &r,
	      "trace port 0x70-0x71\n"
	      "trace filter not mmio 0xfed000f0+8 read\n"
	      "trace filter rule 1 out\n"
	      "trace limit 50\n"
	      "trace filter port\n"  /* 5: no range */
	      "trace limit lots\n", /* 6: not a number */
	      0);
	assert_int_equal(s.devices.nrules, 1);
	assert_int_equal(s.devices.trace.nfilters, 2);
	assert_true(s.devices.trace.filters[0].exclude);
	assert_int_equal(s.devices.trace.filters[0].first, 0xFED000F0);
	assert_int_equal(s.devices.trace.filters[1].rule, 1);
	assert_int_equal(trace_config_limit(&s.devices.trace), 50);
	assert_int_equal(r.count, 2);
	assert_int_equal(r.line[0], 5);
	assert_int_equal(r.line[1], 6);
}

static void test_vuart_directive(void **state)
{
	(void)state;
	struct boot_settings s;
	struct report r = { 0 };
	settings_defaults(&s);
	apply(&s, &r, "vuart off\nvuart sometimes\nvuart\n", 0);
	assert_false(s.devices.vuart);
	assert_int_equal(r.count, 2);
	assert_int_equal(r.line[0], 2);
	assert_string_equal(r.msg[0], "takes on or off");
	assert_int_equal(r.line[1], 3);
	assert_string_equal(r.msg[1], "takes exactly one value");
	/* A load option overrides the file. */
	apply(&s, &r, "iomvisor.efi vuart=on", 1);
	assert_true(s.devices.vuart);
	assert_int_equal(r.count, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_good_file),
		cmocka_unit_test(test_every_file_error_is_reported_and_skipped),
		cmocka_unit_test(test_long_line_and_many_words),
		cmocka_unit_test(test_load_options),
		cmocka_unit_test(test_load_option_errors_keep_settings),
		cmocka_unit_test(test_next_options_per_starter),
		cmocka_unit_test(test_trace_and_deny_rules),
		cmocka_unit_test(test_trace_filter_and_limit),
		cmocka_unit_test(test_rule_lines),
		cmocka_unit_test(test_vuart_directive),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
