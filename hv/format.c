/* SPDX-License-Identifier: GPL-2.0-only */
/* printf-style formatter; see format.h for what it accepts. Pure C: it builds into
 * the hypervisor and into the host unit tests. */
#include <stdint.h>
#include <stdbool.h>
#include "hv/format.h"

struct fmt_spec {
	bool left;
	bool zero;
	int width;
	int precision; /* -1: none */
	int length;    /* 0: int, 1: long, 2: long long, 3: size_t */
};

struct fmt_out {
	fmt_emit_fn emit;
	void *arg;
	int count;
};

static void put(struct fmt_out *o, char c)
{
	o->emit(o->arg, c);
	o->count++;
}

static void pad(struct fmt_out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

/* Emits body (len chars) with an optional sign/prefix, honouring width and flags.
 * Zero padding goes between the prefix and the digits, as C's printf does. */
static void put_field(struct fmt_out *o, const struct fmt_spec *s, const char *prefix,
		      const char *body, int len)
{
	int plen = 0;
	while (prefix[plen])
		plen++;
	int fill = s->width - len - plen;

	if (!s->left && !s->zero)
		pad(o, ' ', fill);
	for (int i = 0; i < plen; i++)
		put(o, prefix[i]);
	if (!s->left && s->zero)
		pad(o, '0', fill);
	for (int i = 0; i < len; i++)
		put(o, body[i]);
	if (s->left)
		pad(o, ' ', fill);
}

static void put_unsigned(struct fmt_out *o, const struct fmt_spec *s, const char *prefix,
			 uint64_t v, unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = sizeof(tmp);

	do {
		tmp[--n] = digits[v % base];
		v /= base;
	} while (v);
	put_field(o, s, prefix, tmp + n, (int)sizeof(tmp) - n);
}

static uint64_t fetch_unsigned(const struct fmt_spec *s, va_list *ap)
{
	switch (s->length) {
	case 1: return va_arg(*ap, unsigned long);
	case 2: return va_arg(*ap, unsigned long long);
	case 3: return va_arg(*ap, size_t);
	default: return va_arg(*ap, unsigned int);
	}
}

static int64_t fetch_signed(const struct fmt_spec *s, va_list *ap)
{
	switch (s->length) {
	case 1: return va_arg(*ap, long);
	case 2: return va_arg(*ap, long long);
	case 3: return (int64_t)va_arg(*ap, size_t);
	default: return va_arg(*ap, int);
	}
}

/* Parses flags, width, precision and length after a '%'; returns the position of
 * the conversion character. */
static const char *parse_spec(const char *p, struct fmt_spec *s, va_list *ap)
{
	*s = (struct fmt_spec){ .precision = -1 };
	for (;; p++) {
		if (*p == '-')
			s->left = true;
		else if (*p == '0')
			s->zero = true;
		else
			break;
	}
	if (*p == '*') {
		s->width = va_arg(*ap, int);
		if (s->width < 0) {
			s->left = true;
			s->width = -s->width;
		}
		p++;
	}
	while (*p >= '0' && *p <= '9')
		s->width = s->width * 10 + (*p++ - '0');
	if (*p == '.') {
		p++;
		s->precision = 0;
		if (*p == '*') {
			s->precision = va_arg(*ap, int);
			p++;
		}
		while (*p >= '0' && *p <= '9')
			s->precision = s->precision * 10 + (*p++ - '0');
	}
	if (*p == 'l') {
		s->length = 1;
		if (*++p == 'l') {
			s->length = 2;
			p++;
		}
	} else if (*p == 'z') {
		s->length = 3;
		p++;
	}
	return p;
}

int fmt_vformat(fmt_emit_fn emit, void *arg, const char *fmt, va_list ap_in)
{
	struct fmt_out o = { emit, arg, 0 };
	va_list ap;

	va_copy(ap, ap_in);
	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			put(&o, *p);
			continue;
		}
		const char *start = p;
		struct fmt_spec s;
		p = parse_spec(p + 1, &s, &ap);
		switch (*p) {
		case 'd':
		case 'i': {
			int64_t v = fetch_signed(&s, &ap);
			uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v;
			put_unsigned(&o, &s, v < 0 ? "-" : "", mag, 10, false);
			break;
		}
		case 'u':
			put_unsigned(&o, &s, "", fetch_unsigned(&s, &ap), 10, false);
			break;
		case 'x':
		case 'X':
			put_unsigned(&o, &s, "", fetch_unsigned(&s, &ap), 16, *p == 'X');
			break;
		case 'p':
			put_unsigned(&o, &s, "0x", (uintptr_t)va_arg(ap, void *), 16, false);
			break;
		case 'c': {
			char c = (char)va_arg(ap, int);
			s.zero = false;
			put_field(&o, &s, "", &c, 1);
			break;
		}
		case 's': {
			const char *str = va_arg(ap, const char *);
			if (!str)
				str = "(null)";
			int len = 0;
			while (str[len] && (s.precision < 0 || len < s.precision))
				len++;
			s.zero = false;
			put_field(&o, &s, "", str, len);
			break;
		}
		case '%':
			put(&o, '%');
			break;
		default:
			/* Unknown conversion: show it instead of guessing an argument. */
			put(&o, '<');
			for (const char *q = start; q <= p && *q; q++)
				put(&o, *q);
			put(&o, '>');
			if (!*p)
				p--;
			break;
		}
	}
	va_end(ap);
	return o.count;
}

struct buf_sink {
	char *buf;
	size_t size;
	size_t used;
};

static void buf_emit(void *arg, char c)
{
	struct buf_sink *b = arg;
	if (b->used + 1 < b->size)
		b->buf[b->used] = c;
	b->used++;
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buf_sink b = { buf, size, 0 };
	int n = fmt_vformat(buf_emit, &b, fmt, ap);
	if (size)
		buf[b.used < size ? b.used : size - 1] = '\0';
	return n;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
