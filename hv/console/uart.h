/* SPDX-License-Identifier: GPL-2.0-only */
/* Polled 16550 UART driver: the hypervisor's own serial console. */
#ifndef HV_UART_H
#define HV_UART_H

#include <stdbool.h>
#include <stdint.h>

#define UART_COM1 0x3F8
#define UART_COM2 0x2F8
#define UART_DEFAULT_BAUD 115200

struct uart {
	uint16_t base; /* I/O port base; 0 = no console */
	bool present;
};

/* Programs 8N1 at the given baud rate, FIFOs on, interrupts off. Returns false
 * (and leaves u->present false) when no 16550 answers at that base. */
bool uart_init(struct uart *u, uint16_t base, uint32_t baud);
void uart_putc(struct uart *u, char c);

#endif
