/* SPDX-License-Identifier: GPL-2.0-only */
/* Serial console: one lock serialises whole messages across CPUs. The lock
 * remembers its owner so that a fault or panic on the CPU that holds it can still
 * print instead of deadlocking against itself.
 *
 * Line integrity with the guest's serial output (hv/dev/vuart.c): the guest's
 * bytes go to the same UART, under the same lock. From a guest byte to the
 * guest's next newline its line is "open", and log messages are held in a
 * bounded queue (hv/dev/vuart_model.h) instead of printed into the middle of it;
 * the newline flushes them. A guest that never ends its line cannot starve the
 * log: after CONSOLE_LINE_TIMEOUT_MS the next message (or the poll before a guest
 * entry) ends the guest's line with a newline of its own and prints.
 *
 * The other way round: the hypervisor's own unfinished line (the debug
 * console's prompt and what is typed after it, while the guest keeps running)
 * is ended before the guest's next byte, and the debug console draws it again
 * before it goes on (console_own_line_was_ended).
 *
 * While the debug console is active (console_debug_begin to console_debug_end)
 * its prompt and output are the only thing on the line: log lines from
 * elsewhere wait in the same queue, the guest's bytes in a second one (both
 * bounded, what does not fit counted), and both come out when it ends, the
 * log lines first, then the guest's output as it wrote it. */
#include "hv/exit/entry_work.h"
#include <stdarg.h>
#include "hv/console/console.h"
#include "hv/cpu.h"
#include "hv/dev/vuart_model.h"
#include "hv/format.h"
#include "hv/percpu.h"
#include "hv/tsc_rate.h"
#include "hv/console/uart.h"

#define NO_OWNER (-1)
/* Bytes out between two looks at the receiver while the debug console prints:
 * fewer than the 16 that a 16550's receive FIFO holds come in meanwhile. */
#define RX_DRAIN_EVERY 8
#define LSR_PORT_OFFSET 5
#define LSR_THR_EMPTY 0x20
/* As hv/console/uart.c: give up waiting for a transmitter that never drains. */
#define TX_SPINS 1000000

static struct uart console_uart;
static enum log_level current_level = LOG_INFO;
static volatile int lock_owner = NO_OWNER;
static volatile int lock_depth;

/* Protected by the console lock. */
static struct line_queue held;
static struct line_queue guest_held; /* the guest's bytes while the debug console is active */
static bool debug_active;
static void (*rx_drain)(void); /* console_set_rx_drain */
static unsigned since_drain;
static struct guest_line guest_line;
static struct tx_budget tx = { 0, VUART_TX_FIFO_DEPTH };
static int direct_depth; /* console_hold() nesting */
static bool own_line_open;  /* the hypervisor's last byte out was not a newline */
static bool own_line_ended; /* ended for the guest since the debug console looked */
static volatile bool panicking;
static uint64_t timeout_ticks;

bool console_init(uint16_t uart_base)
{
	return uart_init(&console_uart, uart_base, UART_DEFAULT_BAUD);
}

uint16_t console_uart_base(void)
{
	return console_uart.present ? console_uart.base : 0;
}

void console_set_level(enum log_level level)
{
	current_level = level;
}

enum log_level console_level(void)
{
	return current_level;
}

uint64_t console_line_timeout_ticks(void)
{
	if (!timeout_ticks)
		timeout_ticks = tsc_mhz() * 1000 * CONSOLE_LINE_TIMEOUT_MS;
	return timeout_ticks;
}

static uint64_t console_lock(void)
{
	uint64_t flags = irq_save();
	int me = (int)hv_cpu_index();

	if (__atomic_load_n(&lock_owner, __ATOMIC_ACQUIRE) == me) {
		lock_depth++; /* nested: a fault while printing on this CPU */
		return flags;
	}
	int expected = NO_OWNER;
	while (!__atomic_compare_exchange_n(&lock_owner, &expected, me, false,
					    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		expected = NO_OWNER;
		cpu_relax();
	}
	lock_depth = 1;
	return flags;
}

static bool console_trylock(uint64_t *flags)
{
	*flags = irq_save();
	int me = (int)hv_cpu_index();
	if (__atomic_load_n(&lock_owner, __ATOMIC_ACQUIRE) == me) {
		lock_depth++;
		return true;
	}
	int expected = NO_OWNER;
	if (__atomic_compare_exchange_n(&lock_owner, &expected, me, false, __ATOMIC_ACQUIRE,
					__ATOMIC_RELAXED)) {
		lock_depth = 1;
		return true;
	}
	irq_restore(*flags);
	return false;
}

static void console_unlock(uint64_t flags)
{
	if (--lock_depth == 0)
		__atomic_store_n(&lock_owner, NO_OWNER, __ATOMIC_RELEASE);
	irq_restore(flags);
}

void console_force_unlock(void)
{
	panicking = true; /* from now on nothing waits for the guest's line */
	lock_depth = 0;
	__atomic_store_n(&lock_owner, NO_OWNER, __ATOMIC_RELEASE);
}

/* A terminal wants CR LF; callers write plain '\n'. */
static void emit(void *arg, char c)
{
	(void)arg;
	if (c == '\n')
		uart_putc(&console_uart, '\r');
	uart_putc(&console_uart, c);
	own_line_open = c != '\n';
	/* The debug console's long listings take a while on the line: what is
	 * typed meanwhile is taken from the receiver before it overruns. */
	if (debug_active && rx_drain && ++since_drain >= RX_DRAIN_EVERY) {
		since_drain = 0;
		rx_drain();
	}
}

static void print_prefix(enum log_level level);

/* Lock held: "COUNT WHAT" as a warning line of the console's own, printed at
 * once. */
static void emit_warning(uint64_t count, const char *what)
{
	char line[192];
	fmt_snprintf(line, sizeof(line), "iomvisor[%u] warn: console: %lu %s\n", hv_cpu_index(),
		     (unsigned long)count, what);
	for (const char *p = line; *p; p++)
		emit(0, *p);
}

/* Lock held. Prints what waited for the guest's line, then how much was lost. */
static void flush_held(void)
{
	char buf[64];
	unsigned n;
	while ((n = line_queue_take(&held, buf, sizeof(buf))))
		for (unsigned i = 0; i < n; i++)
			emit(0, buf[i]);
	uint64_t dropped = line_queue_take_dropped(&held);
	if (dropped)
		emit_warning(dropped, "messages dropped while they waited for the guest's line or "
				      "the debug console");
	tx_budget_after_own_output(&tx);
}

/* Lock held: may the hypervisor print now? Not while the guest's line is open
 * (for at most the timeout); when it prints into an open line (timeout, debug
 * console, panic), it ends the guest's line first. */
static bool may_print_now(void)
{
	/* The debug console's own output is held (direct_depth); everyone
	 * else's waits for it to end. */
	if (debug_active && !direct_depth && !panicking)
		return false;
	if (!guest_line.open)
		return true;
	if (!panicking && !direct_depth &&
	    guest_line_blocks(&guest_line, rdtsc(), console_line_timeout_ticks()))
		return false;
	emit(0, '\n');
	guest_line.open = false;
	if (!debug_active)
		flush_held();
	return true;
}

struct qbuf {
	char buf[CONSOLE_QUEUED_MAX];
	unsigned len;
};

static void qemit(void *arg, char c)
{
	struct qbuf *q = arg;
	if (q->len < sizeof(q->buf))
		q->buf[q->len++] = c;
}

static void queue_message(const char *prefix, const char *fmt, va_list ap, bool newline)
{
	struct qbuf q;
	q.len = 0;
	for (const char *p = prefix; p && *p; p++)
		qemit(&q, *p);
	fmt_vformat(qemit, &q, fmt, ap);
	if (newline) {
		if (q.len == sizeof(q.buf))
			q.len--; /* truncated: keep the line ending */
		q.buf[q.len++] = '\n';
	}
	line_queue_append(&held, q.buf, q.len);
	entry_work_raise_all(); /* console_poll prints it when its time comes */
}

void con_vprintf(const char *fmt, va_list ap)
{
	uint64_t flags = console_lock();
	if (may_print_now()) {
		fmt_vformat(emit, 0, fmt, ap);
		tx_budget_after_own_output(&tx);
	} else {
		queue_message(NULL, fmt, ap, false);
	}
	console_unlock(flags);
}

void con_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	con_vprintf(fmt, ap);
	va_end(ap);
}

static void format_prefix(char *prefix, unsigned size, enum log_level level)
{
	if (level == LOG_INFO)
		fmt_snprintf(prefix, size, "iomvisor[%u]: ", hv_cpu_index());
	else
		fmt_snprintf(prefix, size, "iomvisor[%u] %s: ", hv_cpu_index(),
			     log_level_name(level));
}

static void print_prefix(enum log_level level)
{
	char prefix[32];
	format_prefix(prefix, sizeof(prefix), level);
	for (const char *p = prefix; *p; p++)
		emit(0, *p);
}

void hv_vlog(enum log_level level, const char *fmt, va_list ap)
{
	if (level > current_level)
		return;
	uint64_t flags = console_lock();
	if (may_print_now()) {
		print_prefix(level);
		fmt_vformat(emit, 0, fmt, ap);
		emit(0, '\n');
		tx_budget_after_own_output(&tx);
	} else {
		char prefix[32];
		format_prefix(prefix, sizeof(prefix), level);
		queue_message(prefix, fmt, ap, true);
	}
	console_unlock(flags);
}

void hv_log(enum log_level level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	hv_vlog(level, fmt, ap);
	va_end(ap);
}

static uint64_t hold_flags;

void console_hold(void)
{
	uint64_t flags = console_lock();
	if (direct_depth++ == 0)
		hold_flags = flags;
}

void console_release(void)
{
	uint64_t flags = --direct_depth == 0 ? hold_flags : read_rflags();
	console_unlock(flags);
}

/* Lock held: room in the transmitter for one more byte? */
static bool tx_ready(bool may_block)
{
	if (tx_budget_take(&tx, false))
		return true;
	for (int i = 0; i < TX_SPINS; i++) {
		if (inb(console_uart.base + LSR_PORT_OFFSET) & LSR_THR_EMPTY)
			break;
		if (!may_block)
			return false;
		cpu_relax();
	}
	tx_budget_take(&tx, true);
	return true;
}

bool console_guest_putc(char c, bool may_block)
{
	uint64_t flags;
	if (!console_uart.present)
		return true;
	if (may_block)
		flags = console_lock();
	else if (!console_trylock(&flags))
		return false;
	if (debug_active && !panicking) {
		line_queue_append(&guest_held, &c, 1);
		console_unlock(flags);
		return true;
	}
	/* A newline that releases held messages prints them: not from exit
	 * context. */
	if (c == '\n' && !may_block && !line_queue_empty(&held)) {
		console_unlock(flags);
		return false;
	}
	/* The guest's byte would land in the hypervisor's unfinished line: end
	 * that first (the wait for the transmitter: not from exit context). */
	if (own_line_open) {
		if (!may_block) {
			console_unlock(flags);
			return false;
		}
		emit(0, '\n');
		tx_budget_after_own_output(&tx);
		own_line_ended = true;
	}
	if (!tx_ready(may_block)) {
		console_unlock(flags);
		return false;
	}
	outb(console_uart.base, (uint8_t)c);
	if (guest_line_byte(&guest_line, c, rdtsc()))
		flush_held();
	if (console_poll_pending())
		entry_work_raise_all(); /* the guest's line holds messages back */
	console_unlock(flags);
	return true;
}

void console_debug_begin(void)
{
	uint64_t flags = console_lock();
	if (guest_line.open) {
		emit(0, '\n');
		guest_line.open = false;
	}
	flush_held();
	debug_active = true;
	console_unlock(flags);
}

void console_debug_end(void)
{
	uint64_t flags = console_lock();
	debug_active = false;
	flush_held();
	uint64_t lost = line_queue_take_dropped(&guest_held);
	if (lost)
		emit_warning(lost, "bytes of the guest's output dropped while the debug console was "
				   "active");
	char c;
	while (line_queue_take(&guest_held, &c, 1)) {
		tx_ready(true);
		outb(console_uart.base, (uint8_t)c);
		guest_line_byte(&guest_line, c, rdtsc());
	}
	if (console_poll_pending())
		entry_work_raise_all(); /* the guest's line holds messages back */
	console_unlock(flags);
}

void console_set_rx_drain(void (*drain)(void))
{
	rx_drain = drain;
}

bool console_guest_line_open(void)
{
	uint64_t flags = console_lock();
	bool open = guest_line_blocks(&guest_line, rdtsc(), console_line_timeout_ticks());
	console_unlock(flags);
	return open;
}

bool console_own_line_was_ended(void)
{
	uint64_t flags = console_lock();
	bool ended = own_line_ended;
	own_line_ended = false;
	console_unlock(flags);
	return ended;
}

void console_set_tx_depth(unsigned depth)
{
	uint64_t flags = console_lock();
	tx_budget_set_depth(&tx, depth);
	console_unlock(flags);
}

static __attribute__((noinline)) void print_held(void)
{
	uint64_t flags;
	if (!console_trylock(&flags))
		return;
	if (!line_queue_empty(&held))
		may_print_now();
	console_unlock(flags);
}

bool console_poll_pending(void)
{
	return guest_line.open && !line_queue_empty(&held);
}

void console_poll(void)
{
	if (console_poll_pending())
		print_held();
}
