/* SPDX-License-Identifier: GPL-2.0-only */
/* Polled 16550 UART. Register layout and bits: National Semiconductor PC16550D
 * data sheet (registers at base+0..7; DLAB in LCR selects the divisor latch). */
#include "hv/console/uart.h"
#include "hv/cpu.h"

enum {
	UART_THR = 0, /* transmit holding (write), receive buffer (read) */
	UART_IER = 1, /* interrupt enable; divisor latch high with DLAB */
	UART_FCR = 2, /* FIFO control (write) */
	UART_LCR = 3, /* line control */
	UART_MCR = 4, /* modem control */
	UART_LSR = 5, /* line status */
	UART_SCR = 7, /* scratch */
};

#define LCR_8N1 0x03  /* 8 data bits, no parity, 1 stop bit */
#define LCR_DLAB 0x80 /* divisor latch access */
#define FCR_ENABLE_CLEAR 0x07 /* enable FIFOs, clear RX and TX FIFOs */
#define MCR_DTR_RTS 0x03
#define LSR_THR_EMPTY 0x20
#define LSR_TX_IDLE 0x40 /* TEMT: holding and shift registers both empty */

/* The 16550's baud clock is 1.8432 MHz / 16. */
#define UART_CLOCK_DIV1 115200u

/* A UART that never drains must not hang the hypervisor: give up on a byte after
 * this many polls (far longer than one character time at 9600 baud). */
#define UART_TX_SPINS 1000000

bool uart_init(struct uart *u, uint16_t base, uint32_t baud)
{
	u->base = base;
	u->present = false;
	if (!base || !baud)
		return false;

	/* Presence check: the scratch register holds what was written; on an empty
	 * bus reads float to 0xFF. */
	outb(base + UART_SCR, 0x5A);
	if (inb(base + UART_SCR) != 0x5A)
		return false;
	outb(base + UART_SCR, 0xA5);
	if (inb(base + UART_SCR) != 0xA5)
		return false;

	/* Let a character still being sent finish: reprogramming the divisor or
	 * clearing the FIFO mid-character garbles it. */
	for (int i = 0; i < UART_TX_SPINS && !(inb(base + UART_LSR) & LSR_TX_IDLE); i++)
		cpu_relax();

	uint32_t divisor = UART_CLOCK_DIV1 / baud;
	if (!divisor)
		divisor = 1;
	outb(base + UART_IER, 0x00);
	outb(base + UART_LCR, LCR_DLAB);
	outb(base + UART_THR, divisor & 0xFF);
	outb(base + UART_IER, (divisor >> 8) & 0xFF);
	outb(base + UART_LCR, LCR_8N1);
	outb(base + UART_FCR, FCR_ENABLE_CLEAR);
	outb(base + UART_MCR, MCR_DTR_RTS);
	u->present = true;
	return true;
}

void uart_putc(struct uart *u, char c)
{
	if (!u->present)
		return;
	for (int i = 0; i < UART_TX_SPINS; i++) {
		if (inb(u->base + UART_LSR) & LSR_THR_EMPTY)
			break;
		cpu_relax();
	}
	outb(u->base + UART_THR, (uint8_t)c);
}
