/* SPDX-License-Identifier: GPL-2.0-only */
#include "hv/format.h"
#include "hv/number.h"
#include "hv/string.h"
#include "hv/trace/filter.h"

static bool word_eq(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

/* The largest address of each kind: ports, physical memory (52 bits: SDM Vol.
 * 3A §4.1.4), PCI configuration addresses as the record holds them. */
static uint64_t kind_max(unsigned kind)
{
	return kind == TRACE_PORT ? 0xFFFF : kind == TRACE_MMIO ? 0x000FFFFFFFFFFFFFull : ~0ull;
}

const char *trace_filter_parse(char *const *w, unsigned n, struct trace_filter *f)
{
	*f = (struct trace_filter){ 0 };
	unsigned i = 0;
	if (i < n && word_eq(w[i], "not"))
		f->exclude = true, i++;
	if (i == n)
		return "needs criteria: rule N, port|mmio SPAN, pci, in|out, cpu N, value V";
	while (i < n) {
		const char *c = w[i++];
		uint64_t v;
		bool has_arg = i < n;
		if (word_eq(c, "in") || word_eq(c, "read") || word_eq(c, "out") ||
		    word_eq(c, "write")) {
			f->has |= TF_WRITE;
			f->write = word_eq(c, "out") || word_eq(c, "write");
		} else if (word_eq(c, "pci")) {
			f->has |= TF_SPACE, f->kind = TRACE_PCI, f->first = 0, f->last = ~0ull;
		} else if (word_eq(c, "port") || word_eq(c, "mmio")) {
			f->has |= TF_SPACE;
			f->kind = word_eq(c, "port") ? TRACE_PORT : TRACE_MMIO;
			if (!has_arg || !parse_span(w[i++], kind_max(f->kind), &f->first, &f->last))
				return "port and mmio take a range (e.g. 0x70-0x71, 0xfed00000+0x400)";
		} else if (word_eq(c, "rule") || word_eq(c, "cpu")) {
			if (!has_arg || !parse_number(w[i++], &v) || v > 0xFFFF)
				return "rule and cpu take a number";
			if (word_eq(c, "rule"))
				f->has |= TF_RULE, f->rule = (uint16_t)v;
			else
				f->has |= TF_CPU, f->cpu = (uint16_t)v;
		} else if (word_eq(c, "value")) {
			if (!has_arg || !parse_number(w[i++], &f->value))
				return "value takes a number";
			f->has |= TF_VALUE;
		} else {
			return "unknown criterion (rule, port, mmio, pci, in, out, cpu, value)";
		}
	}
	return 0;
}

const char *trace_config_apply(struct trace_config *c, char *const *w, unsigned n, bool *handled)
{
	*handled = n >= 1 && (word_eq(w[0], "filter") || word_eq(w[0], "limit"));
	if (!*handled)
		return 0;
	if (word_eq(w[0], "limit")) {
		uint64_t v = 0;
		if (n != 2 ||
		    !(word_eq(w[1], "off") || (parse_number(w[1], &v) && v && v <= 100000)))
			return "trace limit takes lines per second (1-100000) or off";
		c->limit = (unsigned)v;
		c->limit_set = true;
		return 0;
	}
	if (n == 2 && word_eq(w[1], "clear")) {
		c->nfilters = 0;
		return 0;
	}
	struct trace_filter f;
	const char *why = trace_filter_parse(w + 1, n - 1, &f);
	if (why)
		return why;
	if (c->nfilters == TRACE_MAX_FILTERS)
		return "too many trace filters";
	c->filters[c->nfilters++] = f;
	return 0;
}

bool trace_filter_match(const struct trace_filter *f, const struct trace_record *r)
{
	if ((f->has & TF_RULE) && r->rule != f->rule)
		return false;
	if ((f->has & TF_SPACE) && (r->kind != f->kind || r->addr < f->first || r->addr > f->last))
		return false;
	if ((f->has & TF_WRITE) && !r->write != !f->write)
		return false;
	if ((f->has & TF_CPU) && r->cpu != f->cpu)
		return false;
	if ((f->has & TF_VALUE) && r->value != f->value)
		return false;
	return true;
}

bool trace_filters_pass(const struct trace_config *c, const struct trace_record *r)
{
	bool includes = false, included = false;
	for (unsigned i = 0; i < c->nfilters; i++) {
		const struct trace_filter *f = &c->filters[i];
		bool m = trace_filter_match(f, r);
		if (f->exclude && m)
			return false;
		if (!f->exclude)
			includes = true, included |= m;
	}
	return !includes || included;
}

void trace_filter_describe(const struct trace_filter *f, char *buf, unsigned size)
{
	static const char *const kinds[] = { "port", "mmio", "pci" };
	int n = fmt_snprintf(buf, size, "%s", f->exclude ? "not" : "");
#define ADD(...) \
	(n += fmt_snprintf(buf + n, (unsigned)n < size ? size - (unsigned)n : 0, __VA_ARGS__))
	if (f->has & TF_RULE)
		ADD(" rule %u", f->rule);
	if ((f->has & TF_SPACE) && f->kind == TRACE_PCI)
		ADD(" pci");
	else if (f->has & TF_SPACE)
		ADD(" %s 0x%lx-0x%lx", kinds[f->kind], (unsigned long)f->first,
		    (unsigned long)f->last);
	if (f->has & TF_WRITE)
		ADD(" %s", f->write ? "out" : "in");
	if (f->has & TF_CPU)
		ADD(" cpu %u", f->cpu);
	if (f->has & TF_VALUE)
		ADD(" value 0x%lx", (unsigned long)f->value);
#undef ADD
	if (n && buf[0] == ' ')
		memmove(buf, buf + 1, strlen(buf));
}

unsigned trace_config_limit(const struct trace_config *c)
{
	return c->limit_set ? c->limit : TRACE_LIMIT_DEFAULT;
}
