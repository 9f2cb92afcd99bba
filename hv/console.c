/* Serial console: one lock serialises whole messages across CPUs. The lock
 * remembers its owner so that a fault or panic on the CPU that holds it can still
 * print instead of deadlocking against itself. */
#include <stdarg.h>
#include "hv/console.h"
#include "hv/cpu.h"
#include "hv/format.h"
#include "hv/percpu.h"
#include "hv/uart.h"

#define NO_OWNER (-1)

static struct uart console_uart;
static enum log_level current_level = LOG_INFO;
static volatile int lock_owner = NO_OWNER;
static volatile int lock_depth;

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

static void console_unlock(uint64_t flags)
{
	if (--lock_depth == 0)
		__atomic_store_n(&lock_owner, NO_OWNER, __ATOMIC_RELEASE);
	irq_restore(flags);
}

void console_force_unlock(void)
{
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
}

void con_printf(const char *fmt, ...)
{
	va_list ap;
	uint64_t flags = console_lock();
	va_start(ap, fmt);
	fmt_vformat(emit, 0, fmt, ap);
	va_end(ap);
	console_unlock(flags);
}

int con_getc(void)
{
	return uart_getc(&console_uart);
}

static void print_prefix(enum log_level level)
{
	char prefix[32];
	if (level == LOG_INFO)
		fmt_snprintf(prefix, sizeof(prefix), "iomvisor[%u]: ", hv_cpu_index());
	else
		fmt_snprintf(prefix, sizeof(prefix), "iomvisor[%u] %s: ", hv_cpu_index(),
			     log_level_name(level));
	for (const char *p = prefix; *p; p++)
		emit(0, *p);
}

void hv_vlog(enum log_level level, const char *fmt, va_list ap)
{
	if (level > current_level)
		return;
	uint64_t flags = console_lock();
	print_prefix(level);
	fmt_vformat(emit, 0, fmt, ap);
	emit(0, '\n');
	console_unlock(flags);
}

void hv_log(enum log_level level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	hv_vlog(level, fmt, ap);
	va_end(ap);
}
