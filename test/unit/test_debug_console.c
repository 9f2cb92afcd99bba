/* SPDX-License-Identifier: GPL-2.0-only */
/* hv/console/debug_console_edit.c and hv/console/watch.c: the debug console's line editor and
 * word parsing, the break syntax, watchpoint matching and the per-CPU hit ring. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "hv/console/debug_console_edit.c"
#include "hv/console/watch.c"
#include "hv/exit/entry_work.c"

static enum edit_action type(struct line_editor *e, const char *s)
{
	enum edit_action a = EDIT_NONE;
	for (; *s; s++)
		a = editor_feed(e, (uint8_t)*s);
	return a;
}

static void test_editor(void **state)
{
	(void)state;
	struct line_editor e = { 0 };
	editor_reset(&e);
	assert_int_equal(editor_feed(&e, 'h'), EDIT_ECHO);
	assert_int_equal(type(&e, "elpx"), EDIT_ECHO);
	assert_int_equal(editor_feed(&e, 0x7F), EDIT_ERASE);
	assert_int_equal(editor_feed(&e, '\r'), EDIT_SUBMIT);
	assert_string_equal(e.buf, "help");
	editor_reset(&e);
	/* CR LF is one line end; LF alone ends a line too. */
	assert_int_equal(editor_feed(&e, '\n'), EDIT_NONE);
	assert_int_equal(type(&e, "cpus\n"), EDIT_SUBMIT);
	assert_string_equal(e.buf, "cpus");
	editor_reset(&e);
	/* Backspace on an empty line, control and 8-bit bytes. */
	assert_int_equal(editor_feed(&e, 0x08), EDIT_BELL);
	assert_int_equal(editor_feed(&e, 0x1B), EDIT_NONE);
	assert_int_equal(editor_feed(&e, 0xC3), EDIT_NONE);
	assert_int_equal(e.len, 0);
	/* Ctrl-C drops the line. */
	type(&e, "garbage");
	assert_int_equal(editor_feed(&e, 0x03), EDIT_CANCEL);
	assert_int_equal(e.len, 0);
	/* A full line rings the bell and keeps what fits. */
	for (unsigned i = 0; i < DEBUG_LINE_MAX; i++)
		assert_int_equal(editor_feed(&e, 'a'), EDIT_ECHO);
	assert_int_equal(editor_feed(&e, 'b'), EDIT_BELL);
	assert_int_equal(editor_feed(&e, '\r'), EDIT_SUBMIT);
	assert_int_equal(strlen(e.buf), DEBUG_LINE_MAX);
}

static void test_words_and_numbers(void **state)
{
	(void)state;
	char line[] = "  break\tport  0x5a0 w ";
	char *w[DEBUG_MAX_WORDS];
	assert_int_equal(split_words(line, w), 4);
	assert_string_equal(w[0], "break");
	assert_string_equal(w[1], "port");
	assert_string_equal(w[2], "0x5a0");
	assert_string_equal(w[3], "w");
	char empty[] = "   ";
	assert_int_equal(split_words(empty, w), 0);
	char many[] = "a b c d e f g h i j k l m n o p q";
	assert_int_equal(split_words(many, w), DEBUG_MAX_WORDS + 1);
	uint64_t v;
	assert_true(parse_number("0x5A0", &v));
	assert_int_equal(v, 0x5A0);
	assert_true(parse_number("128", &v));
	assert_int_equal(v, 128);
	assert_false(parse_number("0x", &v));
	assert_false(parse_number("12a", &v));
	assert_false(parse_number("", &v));
	assert_false(parse_number("0x1ffffffffffffffff", &v));
}

static const char *parse(const char *text, struct watch *w)
{
	static char buf[128];
	char *words[DEBUG_MAX_WORDS];
	strcpy(buf, text);
	unsigned n = split_words(buf, words);
	return watch_parse(words, n, w);
}

static void test_break_syntax(void **state)
{
	(void)state;
	struct watch w;
	assert_null(parse("port 0x5a0", &w));
	assert_int_equal(w.space, WATCH_PORT);
	assert_int_equal(w.addr, 0x5A0);
	assert_int_equal(w.dirs, WATCH_READ | WATCH_WRITE);
	assert_false(w.has_value);
	assert_false(w.stop);
	assert_null(parse("mmio 0xfe800000 r 0x41 stop", &w));
	assert_int_equal(w.space, WATCH_MMIO);
	assert_int_equal(w.dirs, WATCH_READ);
	assert_true(w.has_value);
	assert_int_equal(w.value, 0x41);
	assert_true(w.stop);
	assert_null(parse("port 0x80 w stop", &w));
	assert_int_equal(w.dirs, WATCH_WRITE);
	assert_false(w.has_value);
	assert_true(w.stop);
	assert_null(parse("port 0x80 7", &w));
	assert_true(w.has_value);
	/* Each error names the word that is wrong and what was expected. */
	assert_string_equal(parse("port", &w), "usage: break port|mmio ADDR [r|w|rw] [VALUE] [stop]");
	assert_string_equal(parse("disk 0x80", &w), "'disk': the space is 'port' or 'mmio'");
	assert_string_equal(parse("port 0x8o", &w), "'0x8o': not an address (e.g. 0x5a0)");
	assert_string_equal(parse("port 0x10000", &w), "port 0x10000: ports end at 0xffff");
	assert_string_equal(parse("mmio 0x10000000000000", &w),
			    "mmio 0x10000000000000: past the largest physical address (2^52)");
	assert_string_equal(parse("port 0x80 x", &w),
			    "'x': not a direction (r, w, rw), a value (e.g. 0x41) or 'stop'");
	assert_string_equal(parse("port 0x80 w 1 stop now", &w), "'now': unexpected after 'stop'");
	assert_string_equal(parse("port 0x80 w 1 2", &w), "'2': unexpected after the value");
}

static void test_watch_matching(void **state)
{
	(void)state;
	watch_reset();
	assert_false(watch_any());
	struct watch a = { .space = WATCH_PORT, .dirs = WATCH_WRITE, .addr = 0x5A1 };
	struct watch b = { .space = WATCH_MMIO, .dirs = WATCH_READ | WATCH_WRITE,
			   .addr = 0xFE800F00, .has_value = true, .value = 0x1234, .stop = true };
	assert_int_equal(watch_add(&a), 0);
	assert_int_equal(watch_add(&b), 1);
	assert_true(watch_any());
	/* Direction, covering and space. */
	assert_int_equal(watch_access(0, WATCH_PORT, 0x5A1, 1, false, 0, 0x100), -1);
	assert_int_equal(watch_access(0, WATCH_PORT, 0x5A0, 4, true, 0xAABBCCDD, 0x101), 0);
	assert_int_equal(watch_access(0, WATCH_PORT, 0x5A2, 2, true, 0, 0x102), -1);
	assert_int_equal(watch_access(0, WATCH_MMIO, 0x5A1, 1, true, 0, 0x103), -1);
	/* Value: compared at the access's width. */
	assert_int_equal(watch_access(1, WATCH_MMIO, 0xFE800F00, 4, false, 0x1235, 0x104), -1);
	assert_int_equal(watch_access(1, WATCH_MMIO, 0xFE800F00, 2, false, 0xFFFF1234, 0x105), 1);
	assert_int_equal(watch_hits(0), 1);
	assert_int_equal(watch_hits(1), 1);
	struct watch_hit h;
	assert_true(watch_next_hit(0, &h));
	assert_int_equal(h.index, 0);
	assert_int_equal(h.addr, 0x5A0);
	assert_int_equal(h.value, 0xAABBCCDD);
	assert_int_equal(h.rip, 0x101);
	assert_true(h.write);
	assert_false(h.stop);
	assert_false(watch_next_hit(0, &h));
	assert_true(watch_next_hit(1, &h));
	assert_int_equal(h.value, 0x1234);
	assert_true(h.stop);
	/* Removal frees the slot. */
	watch_remove(0);
	assert_int_equal(watch_access(0, WATCH_PORT, 0x5A1, 1, true, 0, 0), -1);
	struct watch got;
	assert_false(watch_get(0, &got));
	assert_true(watch_get(1, &got));
	assert_int_equal(watch_add(&a), 0);
	for (unsigned i = 2; i < WATCH_MAX; i++)
		assert_int_equal(watch_add(&a), (int)i);
	assert_int_equal(watch_add(&a), -1);
}

static void test_hit_ring_overflow(void **state)
{
	(void)state;
	watch_reset();
	struct watch a = { .space = WATCH_PORT, .dirs = WATCH_READ, .addr = 0x80 };
	watch_add(&a);
	for (unsigned i = 0; i < WATCH_HITS_PER_CPU + 5; i++)
		watch_access(3, WATCH_PORT, 0x80, 1, false, i, i);
	struct watch_hit h;
	for (unsigned i = 0; i < WATCH_HITS_PER_CPU; i++) {
		assert_true(watch_next_hit(3, &h));
		assert_int_equal(h.value, i);
	}
	assert_false(watch_next_hit(3, &h));
	assert_int_equal(watch_take_lost(3), 5);
	assert_int_equal(watch_take_lost(3), 0);
	assert_int_equal(watch_hits(0), WATCH_HITS_PER_CPU + 5);
	/* Out-of-range CPUs are counted but not recorded. */
	assert_int_equal(watch_access(WATCH_CPUS, WATCH_PORT, 0x80, 1, false, 0, 0), 0);
	assert_false(watch_next_hit(WATCH_CPUS, &h));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_editor),
		cmocka_unit_test(test_words_and_numbers),
		cmocka_unit_test(test_break_syntax),
		cmocka_unit_test(test_watch_matching),
		cmocka_unit_test(test_hit_ring_overflow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
