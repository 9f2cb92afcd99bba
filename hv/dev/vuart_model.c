/* SPDX-License-Identifier: GPL-2.0-only */
#include "hv/dev/vuart_model.h"

enum vuart_op vuart_decode(uint8_t lcr, unsigned offset, bool write)
{
	bool dlab = lcr & VUART_LCR_DLAB;
	switch (offset & 7) {
	case VUART_RBR:
		return dlab ? VUART_OP_DLL : write ? VUART_OP_TX : VUART_OP_RX;
	case VUART_IER:
		return dlab ? VUART_OP_DLM : VUART_OP_IER;
	case VUART_IIR:
		return write ? VUART_OP_FCR : VUART_OP_IIR;
	case VUART_LCR:
		return VUART_OP_LCR;
	case VUART_MCR:
		return VUART_OP_MCR;
	case VUART_LSR:
		return VUART_OP_LSR;
	case VUART_MSR:
		return VUART_OP_MSR;
	default:
		return VUART_OP_SCR;
	}
}

uint8_t vuart_lsr(uint8_t real_lsr, uint8_t errors, bool have_data)
{
	uint8_t v = (uint8_t)((real_lsr & ~(VUART_LSR_DR | VUART_LSR_ERRORS)) |
			      (errors & VUART_LSR_ERRORS));
	return have_data ? (uint8_t)(v | VUART_LSR_DR) : v;
}

uint8_t vuart_iir(uint8_t real_iir, uint8_t ier, bool have_data)
{
	if (!have_data || !(ier & VUART_IER_RDI))
		return real_iir;
	uint8_t id = real_iir & VUART_IIR_ID_MASK;
	bool pending = !(real_iir & VUART_IIR_NO_INT);
	/* Line status (0x6) and received data / timeout (0x4, 0xC) already
	 * outrank or equal it; THRE (0x2) and modem status (0x0) are lower. */
	if (pending && (id == 0x06 || id == 0x04 || id == 0x0C))
		return real_iir;
	return (uint8_t)((real_iir & 0xF0) | VUART_IIR_RDI);
}

uint8_t vuart_real_fcr(uint8_t guest_fcr)
{
	return (uint8_t)(guest_fcr & ~VUART_FCR_CLEAR_TX);
}

uint8_t vuart_real_mcr(uint8_t guest_mcr)
{
	return (uint8_t)((guest_mcr & (VUART_MCR_OUT1 | VUART_MCR_OUT2)) | VUART_MCR_DTR |
			 VUART_MCR_RTS);
}

bool vuart_fifo_push(struct vuart_fifo *f, uint8_t c)
{
	if (f->count == VUART_FIFO_SIZE)
		return false;
	f->buf[(f->head + f->count) % VUART_FIFO_SIZE] = c;
	f->count++;
	return true;
}

int vuart_fifo_pop(struct vuart_fifo *f)
{
	if (!f->count)
		return -1;
	uint8_t c = f->buf[f->head];
	f->head = (f->head + 1) % VUART_FIFO_SIZE;
	f->count--;
	return c;
}

unsigned hotkey_feed(struct hotkey_filter *h, uint8_t c, uint8_t out[2], bool *hit)
{
	*hit = false;
	if (h->held) {
		h->held = false;
		if (c == HOTKEY_BYTE) {
			*hit = true;
			return 0;
		}
		out[0] = HOTKEY_BYTE;
		out[1] = c;
		return 2;
	}
	if (c == HOTKEY_BYTE) {
		h->held = true;
		return 0;
	}
	out[0] = c;
	return 1;
}

bool tx_budget_take(struct tx_budget *b, bool thre_seen)
{
	if (thre_seen)
		b->room = b->depth ? b->depth : 1;
	if (!b->room)
		return false;
	b->room--;
	return true;
}

void tx_budget_after_own_output(struct tx_budget *b)
{
	b->room = b->depth > 1 ? b->depth - 1 : 0;
}

void tx_budget_set_depth(struct tx_budget *b, unsigned depth)
{
	b->depth = depth ? depth : 1;
	if (b->room > b->depth)
		b->room = b->depth;
}

bool line_queue_append(struct line_queue *q, const char *msg, unsigned n)
{
	if (n > LINE_QUEUE_SIZE - q->len) {
		q->dropped++;
		return false;
	}
	for (unsigned i = 0; i < n; i++)
		q->buf[(q->head + q->len + i) % LINE_QUEUE_SIZE] = msg[i];
	q->len += n;
	return true;
}

unsigned line_queue_take(struct line_queue *q, char *out, unsigned max)
{
	unsigned n = q->len < max ? q->len : max;
	for (unsigned i = 0; i < n; i++)
		out[i] = q->buf[(q->head + i) % LINE_QUEUE_SIZE];
	q->head = (q->head + n) % LINE_QUEUE_SIZE;
	q->len -= n;
	return n;
}

uint64_t line_queue_take_dropped(struct line_queue *q)
{
	uint64_t d = q->dropped;
	q->dropped = 0;
	return d;
}

bool guest_line_byte(struct guest_line *l, char c, uint64_t now)
{
	if (c == '\n') {
		l->open = false;
		return true;
	}
	if (!l->open) {
		l->open = true;
		l->since = now;
	}
	return false;
}

bool guest_line_blocks(const struct guest_line *l, uint64_t now, uint64_t timeout)
{
	return l->open && now - l->since < timeout;
}
