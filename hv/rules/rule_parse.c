/* SPDX-License-Identifier: GPL-2.0-only */
#include "hv/rules/rule_parse.h"
#include "hv/format.h"
#include "hv/number.h"

#define PORT_MAX 0xFFFFu
/* x86 MAXPHYADDR is at most 52 bits (SDM Vol. 3A §4.1.4). */
#define MMIO_MAX ((UINT64_C(1) << 52) - 1)
/* bus << 8 | device << 3 | function (PCI Local Bus Specification 3.0
 * §3.2.2.3.2: 256 buses, 32 devices, 8 functions). */
#define PCI_BDF_MAX 0xFFFFu
#define PCI_DEVICE_MAX 31u
#define PCI_FUNCTION_MAX 7u

static bool eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* "key=" prefix: the value after it, or NULL. */
static const char *after(const char *word, const char *key)
{
	while (*key && *word == *key)
		word++, key++;
	return *key ? NULL : word;
}

/* Numbers written inside a word ("0x10/0xf0", "0,2-3"): copied out so
 * parse_number sees one number alone. */
static bool number_until(const char **p, char stop1, char stop2, uint64_t *out)
{
	char buf[24];
	unsigned n = 0;
	while (**p && **p != stop1 && **p != stop2) {
		if (n == sizeof(buf) - 1)
			return false;
		buf[n++] = *(*p)++;
	}
	buf[n] = '\0';
	return parse_number(buf, out);
}

unsigned rule_steers(const struct rule *r)
{
	unsigned dirs = 0;
	for (unsigned i = 0; i < r->nactions; i++) {
		uint8_t k = r->act[i].kind;
		if (k == RULE_ACT_READ)
			dirs |= RULE_READ;
		else if (k >= RULE_ACT_WRITE_DROP)
			dirs |= RULE_WRITE;
	}
	return dirs & r->m.dirs;
}

const char *rule_action_name(uint8_t kind)
{
	static const char *const names[] = {
		[RULE_ACT_PASS] = "pass",	    [RULE_ACT_LOG] = "log",
		[RULE_ACT_COUNT] = "count",	    [RULE_ACT_STOP] = "stop",
		[RULE_ACT_READ] = "read=",	    [RULE_ACT_WRITE_DROP] = "write=drop",
		[RULE_ACT_WRITE_SET] = "write=",    [RULE_ACT_WRITE_OR] = "write=or:",
		[RULE_ACT_WRITE_AND] = "write=and:",
	};
	return kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "?";
}

bool rule_keyword(const char *w)
{
	return eq(w, "rule") || eq(w, "hide") || eq(w, "protect") || eq(w, "trace") ||
	       eq(w, "deny") || eq(w, "break");
}

struct parse {
	struct rule *r;
	char *err;
	size_t errlen;
};

static bool fail(struct parse *p, const char *fmt, const char *word)
{
	fmt_snprintf(p->err, p->errlen, fmt, word);
	return false;
}

/* "FIRST-LAST" or "FIRST+COUNT" (or one address), inside [0, max]. */
static bool span(struct parse *p, const char *w)
{
	struct rule_match *m = &p->r->m;
	bool port = m->space == RULE_PORT;
	uint64_t max = port ? PORT_MAX : MMIO_MAX, a, b;
	const char *q = w;
	if (!number_until(&q, '-', '+', &a))
		return fail(p, port ? "bad port range '%s' (e.g. 0x70-0x71 or 0x70+2)"
				    : "bad address range '%s' (e.g. 0xfed00000+0x400)", w);
	char op = *q;
	if (!op) {
		b = a;
	} else {
		q++;
		if (!number_until(&q, '\0', '\0', &b))
			return fail(p, "bad end of range '%s'", w);
		if (op == '+') {
			if (b == 0)
				return fail(p, "empty range '%s'", w);
			if (a + (b - 1) < a)
				return fail(p, "range '%s' wraps around", w);
			b = a + (b - 1);
		}
		if (b < a)
			return fail(p, "range '%s' ends before it starts", w);
	}
	if (b > max)
		return fail(p, port ? "port range '%s' runs past 0xFFFF"
				    : "mmio range '%s' runs past the 52-bit physical address space",
			    w);
	m->first = a;
	m->last = b;
	return true;
}

/* "BB:DD.F" (hexadecimal, as lspci prints it). */
static bool bdf(const char *s, const char **end, uint64_t *out)
{
	uint64_t v[3] = { 0, 0, 0 };
	const char seps[3] = { ':', '.', '\0' };
	for (unsigned i = 0; i < 3; i++) {
		unsigned digits = 0;
		for (; *s && *s != seps[i] && *s != '-'; s++, digits++) {
			char c = *s;
			unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
				     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
				     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
							    : 16;
			if (d == 16 || digits == 2)
				return false;
			v[i] = v[i] * 16 + d;
		}
		if (!digits || (i < 2 && *s != seps[i]))
			return false;
		if (i < 2)
			s++;
	}
	if (v[1] > PCI_DEVICE_MAX || v[2] > PCI_FUNCTION_MAX)
		return false;
	*out = v[0] << 8 | v[1] << 3 | v[2];
	*end = s;
	return true;
}

static bool pci_span(struct parse *p, const char *w)
{
	struct rule_match *m = &p->r->m;
	const char *q;
	bool ok = bdf(w, &q, &m->first);
	m->last = m->first;
	if (ok && *q == '-')
		ok = bdf(q + 1, &q, &m->last);
	if (!ok || *q)
		return fail(p, "bad PCI function '%s' (BB:DD.F or BB:DD.F-BB:DD.F, hexadecimal)", w);
	if (m->last < m->first)
		return fail(p, "PCI range '%s' ends before it starts", w);
	return true;
}

/* "0,2-3": a set of CPUs below 64. */
static bool cpu_set(struct parse *p, const char *w)
{
	const char *q = w;
	uint64_t set = 0;
	do {
		uint64_t a, b;
		if (!number_until(&q, ',', '-', &a))
			return fail(p, "bad CPU set '%s' (e.g. cpu=0,2-3)", w);
		b = a;
		if (*q == '-') {
			q++;
			if (!number_until(&q, ',', '\0', &b) || b < a)
				return fail(p, "bad CPU range in '%s'", w);
		}
		if (b > 63)
			return fail(p, "CPU set '%s' names a CPU past 63", w);
		for (uint64_t c = a; c <= b; c++)
			set |= UINT64_C(1) << c;
	} while (*q++ == ',');
	p->r->m.cpus = set;
	return true;
}

static bool sizes(struct parse *p, const char *w)
{
	const char *q = w;
	uint8_t set = 0;
	do {
		uint64_t s;
		if (!number_until(&q, ',', '\0', &s) || (s != 1 && s != 2 && s != 4 && s != 8))
			return fail(p, "bad access size in '%s' (1, 2, 4 or 8, e.g. size=1,2)", w);
		set |= (uint8_t)s; /* bit n for 2^n: 1, 2, 4, 8 are their own bits */
	} while (*q++ == ',');
	p->r->m.sizes = set;
	return true;
}

static bool value_cond(struct parse *p, const char *w)
{
	struct rule_match *m = &p->r->m;
	const char *q = w;
	m->vmask = ~UINT64_C(0);
	if (!number_until(&q, '/', '\0', &m->value) ||
	    (*q == '/' && (q++, !number_until(&q, '\0', '\0', &m->vmask))))
		return fail(p, "bad value '%s' (e.g. value=0x55 or value=0x10/0xf0)", w);
	m->value &= m->vmask;
	m->has_value = true;
	return true;
}

static bool rip_range(struct parse *p, const char *w)
{
	struct rule_match *m = &p->r->m;
	const char *q = w;
	if (!number_until(&q, '-', '\0', &m->rip_first) || *q++ != '-' ||
	    !number_until(&q, '\0', '\0', &m->rip_last) || m->rip_last < m->rip_first)
		return fail(p, "bad RIP range '%s' (e.g. rip=0x1000-0x1fff)", w);
	m->has_rip = true;
	return true;
}

static bool add_action(struct parse *p, uint8_t kind, uint64_t arg, const char *w)
{
	struct rule *r = p->r;
	if (r->nactions == RULE_MAX_ACTIONS)
		return fail(p, "too many actions at '%s'", w);
	r->act[r->nactions++] = (struct rule_action){ kind, arg };
	return true;
}

/* "drop", "VALUE" or "or:M,and:M" (any number of ops, applied in order). */
static bool write_action(struct parse *p, const char *v, const char *w)
{
	uint64_t x;
	if (eq(v, "drop"))
		return add_action(p, RULE_ACT_WRITE_DROP, 0, w);
	if (parse_number(v, &x))
		return add_action(p, RULE_ACT_WRITE_SET, x, w);
	do {
		const char *arg = after(v, "or:");
		uint8_t kind = RULE_ACT_WRITE_OR;
		if (!arg) {
			arg = after(v, "and:");
			kind = RULE_ACT_WRITE_AND;
		}
		if (!arg || !number_until(&arg, ',', '\0', &x))
			return fail(p, "bad write action '%s' (write=drop, write=VALUE or "
				       "write=or:M,and:M)", w);
		if (!add_action(p, kind, x, w))
			return false;
		v = arg;
	} while (*v++ == ',');
	return true;
}

static bool word(struct parse *p, const char *w)
{
	struct rule_match *m = &p->r->m;
	const char *v;
	uint64_t x;
	if (eq(w, "r") || eq(w, "w") || eq(w, "rw")) {
		m->dirs = eq(w, "r") ? RULE_READ : eq(w, "w") ? RULE_WRITE : RULE_READ | RULE_WRITE;
		return true;
	}
	if ((v = after(w, "size=")))
		return sizes(p, v);
	if ((v = after(w, "value=")))
		return value_cond(p, v);
	if ((v = after(w, "cpu=")))
		return cpu_set(p, v);
	if ((v = after(w, "rip=")))
		return rip_range(p, v);
	if (eq(w, "post")) {
		m->post = true;
		return true;
	}
	if (eq(w, "log"))
		return add_action(p, RULE_ACT_LOG, 0, w);
	if (eq(w, "count"))
		return add_action(p, RULE_ACT_COUNT, 0, w);
	if (eq(w, "stop"))
		return add_action(p, RULE_ACT_STOP, 0, w);
	if (eq(w, "pass"))
		return add_action(p, RULE_ACT_PASS, 0, w);
	if ((v = after(w, "read="))) {
		if (!parse_number(v, &x))
			return fail(p, "bad read value '%s' (e.g. read=0x12)", w);
		return add_action(p, RULE_ACT_READ, x, w);
	}
	if ((v = after(w, "write=")))
		return write_action(p, v, w);
	return fail(p, "unknown word '%s'", w);
}

static void keep_text(struct rule *r, char *const *words, unsigned n)
{
	size_t pos = 0;
	for (unsigned i = 0; i < n && pos < sizeof(r->text) - 1; i++) {
		if (i)
			r->text[pos++] = ' ';
		for (const char *c = words[i]; *c && pos < sizeof(r->text) - 1; c++)
			r->text[pos++] = *c;
	}
	r->text[pos] = '\0';
}

/* The shorthands: what they stand for. */
static bool shorthand(struct parse *p, const char *kw)
{
	struct rule_match *m = &p->r->m;
	if (eq(kw, "trace")) {
		m->dirs = RULE_READ | RULE_WRITE;
		return add_action(p, RULE_ACT_LOG, 0, kw);
	}
	if (eq(kw, "deny")) {
		m->dirs = RULE_READ | RULE_WRITE;
		return add_action(p, RULE_ACT_READ, ~UINT64_C(0), kw) &&
		       add_action(p, RULE_ACT_WRITE_DROP, 0, kw);
	}
	/* protect */
	m->dirs = RULE_WRITE;
	return add_action(p, RULE_ACT_LOG, 0, kw) && add_action(p, RULE_ACT_WRITE_DROP, 0, kw);
}

/* break's words after the span: [r|w|rw] [VALUE] [stop], each optional, in
 * that order. */
static bool watchpoint(struct parse *p, char *const *words, unsigned n)
{
	struct rule_match *m = &p->r->m;
	unsigned i = 0;
	m->post = true;
	if (i < n && (eq(words[i], "r") || eq(words[i], "w") || eq(words[i], "rw")))
		word(p, words[i++]);
	if (i < n && !eq(words[i], "stop")) {
		if (!parse_number(words[i], &m->value))
			return fail(p, i ? "'%s': not a value (e.g. 0x41) or 'stop'"
					 : "'%s': not a direction (r, w, rw), a value (e.g. 0x41) "
					   "or 'stop'",
				    words[i]);
		m->vmask = ~UINT64_C(0);
		m->has_value = true;
		i++;
	}
	if (!add_action(p, RULE_ACT_LOG, 0, "break"))
		return false;
	if (i < n && eq(words[i], "stop") && !add_action(p, RULE_ACT_STOP, 0, words[i++]))
		return false;
	if (i < n)
		return fail(p, "'%s': unexpected after the value or 'stop'", words[i]);
	return true;
}

bool rule_parse(char *const *words, unsigned n, struct rule *out, char *err, size_t errlen)
{
	struct parse p = { out, err, errlen };
	*out = (struct rule){ .m = { .dirs = RULE_READ | RULE_WRITE, .cpus = ~UINT64_C(0) } };
	err[0] = '\0';
	keep_text(out, words, n);
	if (n && eq(words[0], "rule"))
		words++, n--;
	if (!n)
		return fail(&p, "%sa rule needs port|mmio SPAN and actions", "");
	const char *kw = words[0];
	if (eq(kw, "hide")) {
		if (n != 3 || !eq(words[1], "pci"))
			return fail(&p, "%susage: hide pci BB:DD.F[-BB:DD.F]", "");
		out->m.space = RULE_PCI;
		return pci_span(&p, words[2]) && add_action(&p, RULE_ACT_READ, ~UINT64_C(0), kw) &&
		       add_action(&p, RULE_ACT_WRITE_DROP, 0, kw);
	}
	bool simple = eq(kw, "trace") || eq(kw, "deny") || eq(kw, "protect");
	bool watch = eq(kw, "break");
	if (simple || watch)
		words++, n--;
	if (!n || (!eq(words[0], "port") && !eq(words[0], "mmio")))
		return fail(&p, "'%s': expected port or mmio", n ? words[0] : kw);
	out->m.space = eq(words[0], "port") ? RULE_PORT : RULE_MMIO;
	if (n < 2)
		return fail(&p, "%s needs a range (FIRST-LAST or FIRST+COUNT)", words[0]);
	if (!span(&p, words[1]))
		return false;
	if (simple) {
		if (n > 2)
			return fail(&p, "'%s': the shorthand takes only a range", words[2]);
		return shorthand(&p, kw);
	}
	if (watch)
		return watchpoint(&p, words + 2, n - 2);
	for (unsigned i = 2; i < n; i++)
		if (!word(&p, words[i]))
			return false;
	if (!out->nactions)
		return fail(&p, "%sno action (log, count, stop, read=, write=, pass)", "");
	for (unsigned i = 0; i < out->nactions; i++) {
		uint8_t k = out->act[i].kind;
		if (k == RULE_ACT_READ && !(out->m.dirs & RULE_READ))
			return fail(&p, "%sread= on a rule that matches only writes", "");
		if (k >= RULE_ACT_WRITE_DROP && !(out->m.dirs & RULE_WRITE))
			return fail(&p, "%swrite= on a rule that matches only reads", "");
	}
	if (out->m.post && rule_steers(out))
		return fail(&p, "%sa post rule only watches (read= and write= act before it)",
			    "");
	return true;
}
