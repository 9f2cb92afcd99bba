/* SPDX-License-Identifier: GPL-2.0-only */
/* The pure parts of the virtual 16550 (hv/dev/vuart.c) and of the console's
 * line integrity (hv/console/console.c): no I/O, no locks, so they build on the host
 * and are unit-tested there (test/unit/test_vuart.c).
 *
 * Register layout and bits: National Semiconductor PC16550D data sheet. */
#ifndef HV_DEV_VUART_MODEL_H
#define HV_DEV_VUART_MODEL_H

#include <stdbool.h>
#include <stdint.h>

/* Register offsets from the base. */
enum {
	VUART_RBR = 0, /* receive buffer (read), transmit holding (write); DLL with DLAB */
	VUART_IER = 1, /* interrupt enable; DLM with DLAB */
	VUART_IIR = 2, /* interrupt identification (read), FIFO control (write) */
	VUART_LCR = 3,
	VUART_MCR = 4,
	VUART_LSR = 5,
	VUART_MSR = 6,
	VUART_SCR = 7,
};

#define VUART_LCR_DLAB 0x80
#define VUART_IER_RDI 0x01     /* received data available interrupt */
#define VUART_IER_THRI 0x02    /* transmitter holding register empty interrupt: */
			       /* enabling it with THR empty raises it (PC16550D) */
#define VUART_IIR_NO_INT 0x01
#define VUART_IIR_ID_MASK 0x0E
#define VUART_IIR_RDI 0x04     /* received data available */
#define VUART_FCR_ENABLE 0x01
#define VUART_FCR_CLEAR_RX 0x02
#define VUART_FCR_CLEAR_TX 0x04
#define VUART_MCR_DTR 0x01
#define VUART_MCR_RTS 0x02
#define VUART_MCR_OUT1 0x04
#define VUART_MCR_OUT2 0x08    /* gates the IRQ line on PCs */
#define VUART_MCR_LOOP 0x10
#define VUART_LSR_DR 0x01
#define VUART_LSR_ERRORS 0x1E  /* overrun, parity, framing, break */
#define VUART_LSR_THRE 0x20
#define VUART_TX_FIFO_DEPTH 16 /* a 16550A's transmit FIFO */

/* What one guest access to the proxied UART does (vuart_decode). */
enum vuart_op {
	VUART_OP_RX,       /* read RBR: from the input FIFO */
	VUART_OP_TX,       /* write THR: to the real chip, through the console */
	VUART_OP_DLL,      /* divisor latch: shadowed (the hypervisor owns the baud rate) */
	VUART_OP_DLM,
	VUART_OP_IER,      /* passed through (the real chip raises the real IRQ) */
	VUART_OP_IIR,      /* real IIR, with received data in the FIFO reported */
	VUART_OP_FCR,      /* passed through, without clearing the transmit FIFO */
	VUART_OP_LCR,      /* shadowed: the real line stays 8N1 and DLAB stays clear */
	VUART_OP_MCR,      /* shadowed; the real MCR gets OUT1/OUT2, DTR and RTS on */
	VUART_OP_LSR,      /* real LSR with DR from the input FIFO (writes ignored) */
	VUART_OP_MSR,      /* passed through (writes ignored) */
	VUART_OP_SCR,      /* shadowed */
};

enum vuart_op vuart_decode(uint8_t lcr, unsigned offset, bool write);
/* What the guest reads from LSR: the real transmitter bits and accumulated
 * errors, DR when the input FIFO holds a byte. */
uint8_t vuart_lsr(uint8_t real_lsr, uint8_t errors, bool have_data);
/* What the guest reads from IIR: the real chip's answer, but "received data
 * available" when the FIFO holds a byte the hypervisor already took from the
 * chip, the guest enabled that interrupt and nothing of higher priority (a
 * line status interrupt, ID 0x6) is pending. */
uint8_t vuart_iir(uint8_t real_iir, uint8_t ier, bool have_data);
/* What the real FCR and MCR get for a guest write. */
uint8_t vuart_real_fcr(uint8_t guest_fcr);
uint8_t vuart_real_mcr(uint8_t guest_mcr);

/* The guest's input: a small FIFO of bytes. */
#define VUART_FIFO_SIZE 64
struct vuart_fifo {
	uint8_t buf[VUART_FIFO_SIZE];
	unsigned head, count;
};
bool vuart_fifo_push(struct vuart_fifo *f, uint8_t c); /* false when full */
int vuart_fifo_pop(struct vuart_fifo *f);               /* -1 when empty */
static inline unsigned vuart_fifo_count(const struct vuart_fifo *f) { return f->count; }
static inline bool vuart_fifo_full(const struct vuart_fifo *f)
{
	return f->count == VUART_FIFO_SIZE;
}
static inline void vuart_fifo_clear(struct vuart_fifo *f) { f->head = f->count = 0; }

/* The hotkey: Ctrl-] twice (0x1D 0x1D). One Ctrl-] is held back until the next
 * byte shows whether it starts the sequence; anything else passes, so a single
 * Ctrl-] reaches the guest (late, with the byte after it). */
#define HOTKEY_BYTE 0x1D
struct hotkey_filter {
	bool held; /* one HOTKEY_BYTE seen, not delivered yet */
};
/* Feeds one input byte. Writes the bytes to deliver (0, 1 or 2) to out and
 * returns their number; *hit is set when the sequence is complete (its bytes
 * are swallowed). */
unsigned hotkey_feed(struct hotkey_filter *h, uint8_t c, uint8_t out[2], bool *hit);

/* Transmit room: how many bytes may go into the real transmit FIFO without
 * looking at LSR. THRE means the FIFO is empty; each write uses one place. */
struct tx_budget {
	unsigned room;
	unsigned depth; /* 16 with the FIFOs on, 1 without */
};
/* A byte may be written now (room left, or the caller just saw THRE). */
bool tx_budget_take(struct tx_budget *b, bool thre_seen);
/* After the hypervisor's own output (which waits for THRE before each byte):
 * at most one byte is in the FIFO. */
void tx_budget_after_own_output(struct tx_budget *b);
void tx_budget_set_depth(struct tx_budget *b, unsigned depth);

/* Log output held back while the guest's line is open: whole messages, in
 * order, bounded; a message that does not fit is dropped and counted. */
#define LINE_QUEUE_SIZE 8192
struct line_queue {
	char buf[LINE_QUEUE_SIZE];
	unsigned head, len;
	uint64_t dropped; /* messages */
};
bool line_queue_append(struct line_queue *q, const char *msg, unsigned n);
/* Takes up to max bytes (oldest first); returns how many. */
unsigned line_queue_take(struct line_queue *q, char *out, unsigned max);
/* Returns the drop count and resets it. */
uint64_t line_queue_take_dropped(struct line_queue *q);
static inline bool line_queue_empty(const struct line_queue *q) { return q->len == 0; }

/* The guest's output line: open from its first byte after a newline until its
 * next newline. Log messages wait while it is open, for at most `timeout`
 * ticks. */
struct guest_line {
	bool open;
	uint64_t since; /* when it opened */
};
/* A guest byte went out at `now`. Returns true when it ended the line. */
bool guest_line_byte(struct guest_line *l, char c, uint64_t now);
/* Must a log message wait (true), or may it print now? */
bool guest_line_blocks(const struct guest_line *l, uint64_t now, uint64_t timeout);

#endif
