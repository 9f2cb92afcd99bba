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
/* Reads one byte from the console's UART, -1 when none is waiting. */
int con_getc(void);

/* A log line: "iomvisor[CPU] LEVEL: message\n" (no level word for info). */
void hv_log(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void hv_vlog(enum log_level level, const char *fmt, va_list ap);

#define log_err(...) hv_log(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) hv_log(LOG_WARN, __VA_ARGS__)
#define log_info(...) hv_log(LOG_INFO, __VA_ARGS__)
#define log_debug(...) hv_log(LOG_DEBUG, __VA_ARGS__)

/* For panic: take the console even if another CPU died holding it. */
void console_force_unlock(void);

#endif
