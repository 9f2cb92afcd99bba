/* SPDX-License-Identifier: GPL-2.0-only */
/* printf-style formatting for the console, with no libc underneath.
 *
 * Conversions: %d %i %u %x %X %p %s %c %%; length modifiers l, ll, z;
 * flags '-' (left-justify) and '0' (zero-pad); a field width (digits or '*');
 * a precision for %s only (".N" or ".*"). Anything else is printed verbatim
 * between '<' and '>' so a bad format string is visible rather than silent. */
#ifndef HV_FORMAT_H
#define HV_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

typedef void (*fmt_emit_fn)(void *arg, char c);

/* Formats through emit; returns the number of characters produced. */
int fmt_vformat(fmt_emit_fn emit, void *arg, const char *fmt, va_list ap);

/* snprintf semantics: always NUL-terminates when size > 0, returns the length the
 * whole output would have had. */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
