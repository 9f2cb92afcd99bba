/* SPDX-License-Identifier: GPL-2.0-only */
/* The hypervisor's serial console: log lines and raw output, callable from any
 * CPU at any time (boot services, exit handlers, panic). */
#ifndef HV_CONSOLE_H
#define HV_CONSOLE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* Starts the console on a 16550 at the given I/O base (0: none). Safe to call
 * again to move the console. Returns false when no UART answers there. */
bool console_init(uint16_t uart_base);
uint16_t console_uart_base(void);

void console_set_level(enum log_level level);
enum log_level console_level(void);
/* "error", "warn", "info", "debug"; false for anything else. */
bool log_level_parse(const char *name, enum log_level *out);
const char *log_level_name(enum log_level level);

/* Raw output, no prefix. One call's output is never interleaved with another's. */
void con_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void con_vprintf(const char *fmt, va_list ap);

/* A log line: "iomvisor[CPU] LEVEL: message\n" (no level word for info). */
void hv_log(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void hv_vlog(enum log_level level, const char *fmt, va_list ap);

#define log_err(...) hv_log(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) hv_log(LOG_WARN, __VA_ARGS__)
#define log_info(...) hv_log(LOG_INFO, __VA_ARGS__)
#define log_debug(...) hv_log(LOG_DEBUG, __VA_ARGS__)

/* For panic: take the console even if another CPU died holding it (and stop
 * waiting for the guest's line from then on). */
void console_force_unlock(void);

/* Line integrity with the guest's output through the virtual UART
 * (hv/dev/vuart.c). While the guest's line is open (a byte since its last
 * newline), messages wait in a queue of LINE_QUEUE_SIZE bytes (a message that
 * does not fit is dropped and the drops are reported) until the guest's newline,
 * or at most CONSOLE_LINE_TIMEOUT_MS, after which the hypervisor ends the guest's
 * line itself and prints. Messages longer than CONSOLE_QUEUED_MAX are cut when
 * they have to wait. */
#define CONSOLE_LINE_TIMEOUT_MS 50
#define CONSOLE_QUEUED_MAX 512

/* One byte of the guest's output to the real UART. may_block false (exit
 * context): returns false instead of waiting for the lock or the transmitter,
 * or when the byte is a newline that would print held messages; the caller then
 * defers and calls again with may_block true. */
bool console_guest_putc(char c, bool may_block);
/* The real transmit FIFO's depth as the guest programmed it (1 or 16). */
void console_set_tx_depth(unsigned depth);
/* Before a guest entry: prints held messages whose wait timed out. */
void console_poll(void);
/* Does console_poll have held messages to look at (the guest's line open)? */
bool console_poll_pending(void);
/* The debug console's output: from console_hold to console_release this CPU
 * owns the console and prints at once (ending an open guest line first). */
void console_hold(void);
void console_release(void);
/* The debug console is active from begin to end: only its own output (between
 * console_hold and console_release) reaches the line; log lines and the
 * guest's output wait (bounded queues, what does not fit counted and reported)
 * and come out at the end, the log lines first. */
void console_debug_begin(void);
void console_debug_end(void);
/* The guest's line is open, for less than the line timeout so far: the debug
 * console lets the guest end it before it stops the vCPUs, so that the line
 * stays whole. (A line open longer, such as a shell's prompt, is ended by the
 * console.) */
bool console_guest_line_open(void);
/* Called every few bytes the debug console prints, to take what is typed
 * meanwhile from the receiver (hv/dev/vuart.c; must not print). */
void console_set_rx_drain(void (*drain)(void));
/* True once after the guest's output ended the hypervisor's unfinished line
 * (a newline of the console's own before the guest's byte): the debug console
 * then draws its prompt and the typed text again. */
bool console_own_line_was_ended(void);
/* The line timeout in TSC ticks (hv/tsc_rate.h). */
uint64_t console_line_timeout_ticks(void);

#endif
