/* SPDX-License-Identifier: GPL-2.0-only */
/* The guest's view of the console's COM port: a proxy over the real 16550
 * (README, "The guest's serial port"). The hypervisor owns the physical UART for its console; the guest's
 * accesses to the same ports trap here:
 *   - THR writes go to the real THR at once, through the console
 *     (console_guest_putc), which keeps the guest's lines and the hypervisor's
 *     log lines whole (hv/console/console.h);
 *   - IER, IIR, FCR (minus "clear transmit FIFO") and MSR pass through, so the
 *     real chip raises the real IRQ and Linux's interrupt-driven 8250 driver
 *     works; MCR passes OUT1/OUT2 (DTR and RTS stay on, loopback stays off);
 *   - LCR, the divisor latch and SCR are shadowed: the line keeps the
 *     hypervisor's speed and 8N1 (the guest reads back what it wrote);
 *   - RBR/LSR reads take the real chip's received bytes through the hotkey
 *     filter (Ctrl-] Ctrl-] enters the debug console, which then gets every
 *     byte until "continue") into a 64-byte input FIFO; the guest reads from
 *     it, LSR.DR and IIR reflect it.
 * When the guest does not read its UART, the run loop polls (vuart_poll). */
#ifndef HV_DEV_VUART_H
#define HV_DEV_VUART_H

#include <stdbool.h>
#include <stdint.h>

/* Traps the console UART's eight ports (nothing when there is no console). */
void vuart_register(void);
bool vuart_present(void);

/* Takes received bytes from the real chip when the debug console is active
 * (eager), or when the guest has not read its UART for VUART_POLL_MS. */
#define VUART_POLL_MS 10
/* ... or for VUART_POLL_IRQ_MS while it has its receive interrupt enabled:
 * taking a byte from the chip clears the chip's interrupt, and a guest that
 * reads only when interrupted (Linux's 8250 driver) would then not see the
 * byte until the next one came. A guest that leaves its interrupt unserved
 * that long is probably stuck, and the hotkey must still get through. */
#define VUART_POLL_IRQ_MS 500
void vuart_poll(bool eager);
/* Whether vuart_poll(false) would read the chip now. */
bool vuart_poll_due(void);
/* The TSC at which vuart_poll_due may next be true (UINT64_MAX: no UART). */
uint64_t vuart_poll_at(void);

/* The debug console's side. */
bool vuart_console_active(void);
/* Activates the console (input goes to it) and asks for its banner. */
void vuart_console_request(void);
/* True once per activation (hotkey or vuart_console_request). */
bool vuart_take_activation(void);
bool vuart_activation_pending(void);
/* Leaves the console: input goes to the guest again. */
void vuart_console_leave(void);
/* A byte typed at the debug console, -1 when none. */
int vuart_console_getc(void);

#endif
