/* SPDX-License-Identifier: GPL-2.0-only */
/* hv/console/debug_console_edit.c and hv/console/watch.c: the debug console's line editor and
 * word parsing, and the per-CPU ring of watchpoint hits. */
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

/* The per-CPU ring of watchpoint hits (post rules' log; their matching is
 * the rule engine's, test_rules.c). */
static void test_hit_ring(void **state)
{
	(void)state;
	watch_reset();
	assert_false(watch_has_news(0));
	struct watch_hit a = { .rule = 3, .size = 1, .write = true, .addr = 0x80,
			       .value = 0x1255, .rip = 0x101 };
	struct watch_hit b = { .rule = 4, .size = 4, .mmio = true, .stop = true,
			       .addr = 0xFE800F00, .value = 0x1234, .rip = 0x102 };
	watch_record(0, &a);
	watch_record(1, &b);
	assert_true(watch_has_news(0));
	struct watch_hit h;
	assert_true(watch_next_hit(0, &h));
	assert_int_equal(h.rule, 3);
	assert_int_equal(h.addr, 0x80);
	assert_int_equal(h.value, 0x55); /* cut to the access's width */
	assert_int_equal(h.rip, 0x101);
	assert_true(h.write);
	assert_false(h.stop);
	assert_false(watch_next_hit(0, &h));
	assert_false(watch_has_news(0));
	assert_true(watch_next_hit(1, &h));
	assert_int_equal(h.value, 0x1234);
	assert_true(h.mmio);
	assert_true(h.stop);
}

static void test_hit_ring_overflow(void **state)
{
	(void)state;
	watch_reset();
	for (unsigned i = 0; i < WATCH_HITS_PER_CPU + 5; i++) {
		struct watch_hit a = { .rule = 1, .size = 1, .addr = 0x80, .value = i, .rip = i };
		watch_record(3, &a);
	}
	struct watch_hit h;
	for (unsigned i = 0; i < WATCH_HITS_PER_CPU; i++) {
		assert_true(watch_next_hit(3, &h));
		assert_int_equal(h.value, i);
	}
	assert_false(watch_next_hit(3, &h));
	assert_true(watch_has_news(3)); /* the lost hits are still to report */
	assert_int_equal(watch_take_lost(3), 5);
	assert_int_equal(watch_take_lost(3), 0);
	/* Out-of-range CPUs are not recorded. */
	struct watch_hit a = { .rule = 1, .size = 1 };
	watch_record(WATCH_CPUS, &a);
	assert_false(watch_next_hit(WATCH_CPUS, &h));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_editor),
		cmocka_unit_test(test_words_and_numbers),
		cmocka_unit_test(test_hit_ring),
		cmocka_unit_test(test_hit_ring_overflow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
