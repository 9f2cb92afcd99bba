/* SPDX-License-Identifier: GPL-2.0-only */
#include "hv/number.h"

static bool parse_digits(const char *s, unsigned base, uint64_t *out)
{
	uint64_t v = 0;
	if (!*s)
		return false;
	for (; *s; s++) {
		char c = (char)(*s | 0x20);
		unsigned d;
		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else
			return false;
		if (v > (UINT64_MAX - d) / base)
			return false;
		v = v * base + d;
	}
	*out = v;
	return true;
}

static bool has_hex_prefix(const char *s)
{
	return s[0] == '0' && (s[1] | 0x20) == 'x';
}

bool parse_hex(const char *s, uint64_t *out)
{
	return has_hex_prefix(s) && parse_digits(s + 2, 16, out);
}

bool parse_number(const char *s, uint64_t *out)
{
	return has_hex_prefix(s) ? parse_digits(s + 2, 16, out) : parse_digits(s, 10, out);
}

bool parse_span(char *v, uint64_t max, uint64_t *first, uint64_t *last)
{
	char *sep = v;
	while (*sep && *sep != '-' && *sep != '+')
		sep++;
	char op = *sep;
	*sep = '\0';
	uint64_t a, b = 0;
	bool ok = parse_hex(v, &a) &&
		  (!op || (op == '+' ? parse_number(sep + 1, &b) : parse_hex(sep + 1, &b)));
	*sep = op;
	if (!ok || a > max)
		return false;
	if (!op)
		b = a;
	else if (op == '+') {
		if (b == 0 || b - 1 > max - a)
			return false;
		b = a + b - 1;
	}
	if (b < a || b > max)
		return false;
	*first = a;
	*last = b;
	return true;
}
