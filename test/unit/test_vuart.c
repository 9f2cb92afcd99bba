/* SPDX-License-Identifier: GPL-2.0-only */
/* hv/dev/vuart_model.c: the virtual 16550's register decode and the values the
 * guest reads, the input FIFO, the hotkey filter, the transmit budget, and the
 * console's line-integrity queue and guest-line state. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "hv/dev/vuart_model.c"

static void test_decode_dlab(void **state)
{
	(void)state;
	assert_int_equal(vuart_decode(0x03, 0, false), VUART_OP_RX);
	assert_int_equal(vuart_decode(0x03, 0, true), VUART_OP_TX);
	assert_int_equal(vuart_decode(0x03, 1, true), VUART_OP_IER);
	assert_int_equal(vuart_decode(0x83, 0, false), VUART_OP_DLL);
	assert_int_equal(vuart_decode(0x83, 0, true), VUART_OP_DLL);
	assert_int_equal(vuart_decode(0x83, 1, false), VUART_OP_DLM);
	/* DLAB does not change the other registers. */
	assert_int_equal(vuart_decode(0x83, 2, false), VUART_OP_IIR);
	assert_int_equal(vuart_decode(0x83, 2, true), VUART_OP_FCR);
	assert_int_equal(vuart_decode(0xBF, 3, true), VUART_OP_LCR);
	assert_int_equal(vuart_decode(0x03, 4, false), VUART_OP_MCR);
	assert_int_equal(vuart_decode(0x03, 5, false), VUART_OP_LSR);
	assert_int_equal(vuart_decode(0x03, 6, false), VUART_OP_MSR);
	assert_int_equal(vuart_decode(0x03, 7, true), VUART_OP_SCR);
}

static void test_lsr_reflects_fifo(void **state)
{
	(void)state;
	/* The real chip's DR (the hypervisor already took the byte) is replaced
	 * by the FIFO's state; THRE/TEMT pass. */
	assert_int_equal(vuart_lsr(0x61, 0, false), 0x60);
	assert_int_equal(vuart_lsr(0x60, 0, true), 0x61);
	/* Errors seen while taking bytes are reported once. */
	assert_int_equal(vuart_lsr(0x60, 0x02, true), 0x63);
	assert_int_equal(vuart_lsr(0x7E, 0, false), 0x60);
}

static void test_iir_reports_buffered_data(void **state)
{
	(void)state;
	/* Nothing pending in the chip, data in the FIFO, RDI enabled. */
	assert_int_equal(vuart_iir(0xC1, 0x01, true), 0xC4);
	/* RDI not enabled, or no data: the chip's answer. */
	assert_int_equal(vuart_iir(0xC1, 0x02, true), 0xC1);
	assert_int_equal(vuart_iir(0xC1, 0x01, false), 0xC1);
	/* THRE pending is lower priority than received data. */
	assert_int_equal(vuart_iir(0xC2, 0x03, true), 0xC4);
	/* Line status is higher: kept. Timeout is kept too. */
	assert_int_equal(vuart_iir(0xC6, 0x05, true), 0xC6);
	assert_int_equal(vuart_iir(0xCC, 0x01, true), 0xCC);
}

static void test_real_fcr_and_mcr(void **state)
{
	(void)state;
	/* Clearing the transmit FIFO would lose the hypervisor's output. */
	assert_int_equal(vuart_real_fcr(0x07), 0x03);
	assert_int_equal(vuart_real_fcr(0xC1), 0xC1);
	/* Loopback never reaches the chip; DTR and RTS stay on; OUT2 passes. */
	assert_int_equal(vuart_real_mcr(0x10), 0x03);
	assert_int_equal(vuart_real_mcr(0x08), 0x0B);
	assert_int_equal(vuart_real_mcr(0x00), 0x03);
	assert_int_equal(vuart_real_mcr(0x1F), 0x0F);
}

static void test_fifo_order_and_bounds(void **state)
{
	(void)state;
	static struct vuart_fifo f;
	assert_int_equal(vuart_fifo_pop(&f), -1);
	for (unsigned round = 0; round < 3; round++) {
		for (unsigned i = 0; i < VUART_FIFO_SIZE; i++)
			assert_true(vuart_fifo_push(&f, (uint8_t)(i + round)));
		assert_true(vuart_fifo_full(&f));
		assert_false(vuart_fifo_push(&f, 0xEE));
		for (unsigned i = 0; i < VUART_FIFO_SIZE / 2; i++)
			assert_int_equal(vuart_fifo_pop(&f), (uint8_t)(i + round));
		for (unsigned i = VUART_FIFO_SIZE / 2; i < VUART_FIFO_SIZE; i++)
			assert_int_equal(vuart_fifo_pop(&f), (uint8_t)(i + round));
		assert_int_equal(vuart_fifo_count(&f), 0);
	}
	vuart_fifo_push(&f, 1);
	vuart_fifo_clear(&f);
	assert_int_equal(vuart_fifo_pop(&f), -1);
}

/* Runs bytes through the filter; returns the delivered bytes and the hits. */
static unsigned filter(struct hotkey_filter *h, const char *in, unsigned n, char *out,
		       unsigned *hits)
{
	unsigned len = 0;
	*hits = 0;
	for (unsigned i = 0; i < n; i++) {
		uint8_t o[2];
		bool hit;
		unsigned k = hotkey_feed(h, (uint8_t)in[i], o, &hit);
		*hits += hit;
		for (unsigned j = 0; j < k; j++)
			out[len++] = (char)o[j];
	}
	out[len] = '\0';
	return len;
}

static void test_hotkey_filter(void **state)
{
	(void)state;
	struct hotkey_filter h = { 0 };
	char out[32];
	unsigned hits;
	assert_int_equal(filter(&h, "abc", 3, out, &hits), 3);
	assert_string_equal(out, "abc");
	assert_int_equal(hits, 0);
	/* The sequence is swallowed. */
	assert_int_equal(filter(&h, "a\x1d\x1d" "b", 4, out, &hits), 2);
	assert_string_equal(out, "ab");
	assert_int_equal(hits, 1);
	/* One Ctrl-] reaches the guest, with the byte after it. */
	assert_int_equal(filter(&h, "\x1d", 1, out, &hits), 0);
	assert_int_equal(filter(&h, "x", 1, out, &hits), 2);
	assert_string_equal(out, "\x1dx");
	assert_int_equal(hits, 0);
	/* Three in a row: one hit, then one held. */
	assert_int_equal(filter(&h, "\x1d\x1d\x1d", 3, out, &hits), 0);
	assert_int_equal(hits, 1);
	assert_true(h.held);
	assert_int_equal(filter(&h, "\x1d", 1, out, &hits), 0);
	assert_int_equal(hits, 1);
	/* Four: two hits. */
	assert_int_equal(filter(&h, "\x1d\x1d\x1d\x1d", 4, out, &hits), 0);
	assert_int_equal(hits, 2);
}

static void test_tx_budget(void **state)
{
	(void)state;
	struct tx_budget b = { 0, VUART_TX_FIFO_DEPTH };
	/* Nothing known: LSR must be looked at. */
	assert_false(tx_budget_take(&b, false));
	/* THRE: the whole FIFO. */
	assert_true(tx_budget_take(&b, true));
	for (unsigned i = 1; i < VUART_TX_FIFO_DEPTH; i++)
		assert_true(tx_budget_take(&b, false));
	assert_false(tx_budget_take(&b, false));
	/* After the hypervisor's own byte: one place used. */
	tx_budget_after_own_output(&b);
	assert_int_equal(b.room, VUART_TX_FIFO_DEPTH - 1);
	/* FIFOs off: one byte at a time. */
	tx_budget_set_depth(&b, 1);
	assert_int_equal(b.room, 1);
	assert_true(tx_budget_take(&b, false));
	assert_false(tx_budget_take(&b, false));
	tx_budget_after_own_output(&b);
	assert_false(tx_budget_take(&b, false));
	assert_true(tx_budget_take(&b, true));
}

static void test_line_queue(void **state)
{
	(void)state;
	static struct line_queue q;
	char out[LINE_QUEUE_SIZE];
	assert_true(line_queue_empty(&q));
	assert_true(line_queue_append(&q, "one\n", 4));
	assert_true(line_queue_append(&q, "two\n", 4));
	assert_int_equal(line_queue_take(&q, out, 3), 3);
	assert_memory_equal(out, "one", 3);
	assert_int_equal(line_queue_take(&q, out, sizeof(out)), 5);
	assert_memory_equal(out, "\ntwo\n", 5);
	assert_true(line_queue_empty(&q));
	/* Whole messages only: one that does not fit is dropped and counted,
	 * and wraps around the ring correctly otherwise. */
	char big[LINE_QUEUE_SIZE - 10];
	memset(big, 'x', sizeof(big));
	assert_true(line_queue_append(&q, big, sizeof(big)));
	assert_false(line_queue_append(&q, "0123456789A", 11));
	assert_true(line_queue_append(&q, "0123456789", 10));
	assert_false(line_queue_append(&q, "z", 1));
	assert_int_equal(line_queue_take_dropped(&q), 2);
	assert_int_equal(line_queue_take_dropped(&q), 0);
	assert_int_equal(line_queue_take(&q, out, sizeof(big)), sizeof(big));
	assert_true(line_queue_append(&q, "wrap\n", 5));
	assert_int_equal(line_queue_take(&q, out, sizeof(out)), 15);
	assert_memory_equal(out, "0123456789wrap\n", 15);
}

static void test_guest_line(void **state)
{
	(void)state;
	struct guest_line l = { 0 };
	const uint64_t timeout = 1000;
	assert_false(guest_line_blocks(&l, 0, timeout));
	assert_false(guest_line_byte(&l, 'a', 100));
	assert_true(guest_line_blocks(&l, 100, timeout));
	/* Later bytes do not restart the clock. */
	assert_false(guest_line_byte(&l, 'b', 900));
	assert_true(guest_line_blocks(&l, 1099, timeout));
	assert_false(guest_line_blocks(&l, 1100, timeout));
	/* CR keeps the line open; LF ends it. */
	assert_false(guest_line_byte(&l, '\r', 1200));
	assert_true(guest_line_byte(&l, '\n', 1201));
	assert_false(guest_line_blocks(&l, 1202, timeout));
	/* An empty line opens nothing. */
	assert_true(guest_line_byte(&l, '\n', 1300));
	assert_false(l.open);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_dlab),
		cmocka_unit_test(test_lsr_reflects_fifo),
		cmocka_unit_test(test_iir_reports_buffered_data),
		cmocka_unit_test(test_real_fcr_and_mcr),
		cmocka_unit_test(test_fifo_order_and_bounds),
		cmocka_unit_test(test_hotkey_filter),
		cmocka_unit_test(test_tx_budget),
		cmocka_unit_test(test_line_queue),
		cmocka_unit_test(test_guest_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
