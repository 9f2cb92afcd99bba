/* SPDX-License-Identifier: GPL-2.0-only */
/* 16550A UART (TI/National PC16550D datasheet, Table 2 "Register Summary") at
 * the PC's COM1-COM4 bases: eight registers, the first two of which are the
 * divisor latch while LCR bit 7 (DLAB) is set. */
#include "hv/trace/decode/family.h"

static const uint16_t com_base[4] = { 0x3F8, 0x2F8, 0x3E8, 0x2E8 };

#define LCR_DLAB 0x80
#define UART_CLOCK_BAUD 115200 /* 1.8432 MHz / 16: the baud rate of divisor 1 */

static const char *const reg_read[8] = { "RBR", "IER", "IIR", "LCR", "MCR", "LSR", "MSR", "SCR" };
static const char *const reg_write[8] = { "THR", "IER", "FCR", "LCR", "MCR", "LSR", "MSR", "SCR" };
static const char *const ier_bits[8] = { "RX data", "THR empty", "line status", "modem status" };
static const char *const lsr_bits[8] = {
	"data ready", "overrun",   "parity error",	"framing error",
	"break",      "THR empty", "transmitter empty", "FIFO error",
};
static const char *const mcr_bits[8] = { "DTR", "RTS", "OUT1", "OUT2", "loop" };
static const char *const msr_bits[8] = {
	"dCTS", "dDSR", "trailing RI", "dDCD", "CTS", "DSR", "RI", "DCD",
};
static const char *const fcr_bits[8] = { "FIFO enable", "clear RX FIFO", "clear TX FIFO",
					 "DMA mode 1" };
/* IIR bits 3:1: the pending interrupt of highest priority. */
static const char *const iir_ids[8] = {
	"modem status", "THR empty", "RX data", "line status", [6] = "RX timeout",
};

/* LCR (datasheet "Line Control Register"): bits 1:0 word length - 5, bit 2
 * two stop bits, bit 3 parity enable, bits 5:4 parity kind (with bit 3: odd,
 * even, mark, space), bit 6 break, bit 7 DLAB. */
static void lcr(uint8_t v, struct trace_text *t)
{
	static const char *const parity[8] = { "N", "O", "N", "E", "N", "mark", "N", "space" };
	dec_add(t, ": %u%s%u%s", 5 + (v & 3), v & 0x08 ? parity[(v >> 3) & 7] : "N",
		v & 0x04 ? 2 : 1, v & 0x40 ? ", break" : "");
	if (v & LCR_DLAB)
		dec_add(t, ", DLAB");
}

bool decode_uart(struct trace_decoder *d, const struct trace_record *r, struct trace_text *t)
{
	if (r->kind != TRACE_PORT)
		return false;
	unsigned com = 0;
	while (com < 4 && (r->addr < com_base[com] || r->addr > com_base[com] + 7u))
		com++;
	if (com == 4)
		return false;
	t->device = "uart";
	unsigned off = (unsigned)(r->addr - com_base[com]);
	uint8_t v = (uint8_t)r->value;
	bool dlab = d->uart_lcr[com] & LCR_DLAB;
	if (dlab && off < 2) {
		dec_reg(t, "COM%u %s", com + 1, off ? "DLM" : "DLL");
		dec_value(t, r);
		if (off == 0 && v)
			dec_add(t, " (divisor low: %u baud if DLM is 0)", UART_CLOCK_BAUD / v);
		return true;
	}
	dec_reg(t, "COM%u %s", com + 1, r->write ? reg_write[off] : reg_read[off]);
	dec_value(t, r);
	switch (off) {
	case 0:
		if (v >= 0x20 && v < 0x7F)
			dec_add(t, " '%c'", v);
		break;
	case 1:
		dec_bits(t, v, ier_bits, 4);
		break;
	case 2:
		if (r->write)
			dec_bits(t, v, fcr_bits, 4);
		else
			dec_add(t, ": %s",
				v & 1			? "no interrupt"
				: iir_ids[(v >> 1) & 7] ? iir_ids[(v >> 1) & 7]
							: "?");
		break;
	case 3:
		if (r->write)
			d->uart_lcr[com] = v;
		lcr(v, t);
		break;
	case 4:
		dec_bits(t, v, mcr_bits, 5);
		break;
	case 5:
		dec_bits(t, v, lsr_bits, 8);
		break;
	case 6:
		dec_bits(t, v, msr_bits, 8);
		break;
	}
	return true;
}
