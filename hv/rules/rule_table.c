/* SPDX-License-Identifier: GPL-2.0-only */
#include "hv/rules/rule_table.h"
#include "hv/format.h"

const uint32_t rule_port_window[8] = { 0, 0xFF, 0xFFFF, 0xFFFFFF, ~0u, ~0u, ~0u, ~0u };

static uint64_t width_mask(unsigned size)
{
	return size >= 8 ? ~UINT64_C(0) : (UINT64_C(1) << (8 * size)) - 1;
}

static bool overlap(uint64_t a0, uint64_t a1, uint64_t b0, uint64_t b1)
{
	return a0 <= b1 && b0 <= a1;
}

/* Two value conditions no access can meet both of. */
static bool exclusive_values(const struct rule_match *a, const struct rule_match *b)
{
	return a->has_value && b->has_value && (a->vmask & b->vmask & (a->value ^ b->value)) != 0;
}

static const char *space_name(uint8_t s)
{
	return s == RULE_PORT ? "ports" : s == RULE_MMIO ? "addresses" : "PCI functions";
}

bool rule_table_check(const struct rule_table *t, const struct rule *r, char *err, size_t errlen)
{
	unsigned n = __atomic_load_n(&t->count, __ATOMIC_ACQUIRE);
	if (n == RULES_MAX) {
		fmt_snprintf(err, errlen, "the rule table is full (%u rules were added)", RULES_MAX);
		return false;
	}
	unsigned steers = rule_steers(r);
	for (unsigned i = 0; i < n && steers; i++) {
		const struct rule_slot *s = &t->slot[i];
		const struct rule_match *a = &r->m, *b = &s->r.m;
		unsigned both = steers & rule_steers(&s->r);
		if (__atomic_load_n(&s->state, __ATOMIC_RELAXED) == RULE_DELETED || !both ||
		    a->space != b->space || !overlap(a->first, a->last, b->first, b->last) ||
		    !(a->cpus & b->cpus) || (a->sizes && b->sizes && !(a->sizes & b->sizes)) ||
		    exclusive_values(a, b))
			continue;
		const char *what = both == RULE_READ ? "reads" : both == RULE_WRITE ? "writes"
										: "reads and writes";
		if (s->r.line)
			fmt_snprintf(err, errlen,
				     "clashes with line %u (rule %u): both change %s of these %s",
				     s->r.line, i + 1, what, space_name(a->space));
		else
			fmt_snprintf(err, errlen, "clashes with rule %u: both change %s of these %s",
				     i + 1, what, space_name(a->space));
		return false;
	}
	return true;
}

static void store(uint64_t *word, uint64_t v)
{
	__atomic_store_n(word, v, __ATOMIC_RELEASE);
}

static bool is_on(const struct rule_slot *s)
{
	return __atomic_load_n(&s->state, __ATOMIC_RELAXED) == RULE_ON;
}

/* What rule r may match in a space (RULE_PORT or RULE_MMIO); false: nothing
 * there. A PCI rule's accesses come through the data port and through its
 * functions' ECAM pages. */
static bool span_in(const struct rule_table *t, const struct rule *r, unsigned space,
		    uint64_t *lo, uint64_t *hi)
{
	if (r->m.space == space) {
		*lo = r->m.first, *hi = r->m.last;
		return true;
	}
	if (r->m.space != RULE_PCI)
		return false;
	if (space == RULE_MMIO)
		return rule_covers_pci_function(t, r, lo, hi);
	*lo = RULE_PCI_DATA_FIRST, *hi = RULE_PCI_DATA_LAST;
	return true;
}

/* The rules on whose port spans touch block b. */
static uint64_t block_rules(const struct rule_table *t, unsigned n, unsigned b)
{
	uint64_t first = (uint64_t)b << RULE_PORT_BLOCK_SHIFT;
	uint64_t last = first + (1u << RULE_PORT_BLOCK_SHIFT) - 1, m = 0;
	for (unsigned i = 0; i < n; i++) {
		const struct rule_slot *s = &t->slot[i];
		if (is_on(s) && s->lo[RULE_PORT] <= s->hi[RULE_PORT] &&
		    overlap(s->lo[RULE_PORT], s->hi[RULE_PORT], first, last))
			m |= UINT64_C(1) << i;
	}
	return m;
}

/* Of the rules `set`, those whose port spans hold port. */
static uint64_t rules_at_port(const struct rule_table *t, uint64_t set, uint64_t port)
{
	uint64_t at = 0;
	while (set) {
		unsigned i = (unsigned)__builtin_ctzll(set);
		const struct rule_slot *s = &t->slot[i];
		set &= set - 1;
		if (port >= s->lo[RULE_PORT] && port <= s->hi[RULE_PORT])
			at |= UINT64_C(1) << i;
	}
	return at;
}

/* The plan (0: none) of a port, from the plans in port order, `*cursor` the
 * first that may hold it (ports come in ascending order). */
static unsigned plan_of(const struct rule_table *t, unsigned *cursor, uint64_t port)
{
	while (*cursor <= t->nplans && t->plan[*cursor].span >> 16 < port)
		(*cursor)++;
	return *cursor <= t->nplans && (t->plan[*cursor].span & 0xFFFF) <= port ? *cursor : 0;
}

/* The RULE_NEAR_* flags and plans of block b's ports, whose rules are
 * `rules`: each byte stored once, after the block's mask and the plans (a
 * CPU that sees a flag sees the rules it stands for). */
static void reindex_ports(struct rule_table *t, unsigned b, uint64_t rules, unsigned *cursor)
{
	uint64_t first = (uint64_t)b << RULE_PORT_BLOCK_SHIFT;
	for (unsigned k = 0; k < 1u << RULE_PORT_BLOCK_SHIFT; k++) {
		uint64_t port = first + k, set = rules_at_port(t, rules, port);
		uint8_t near = set ? RULE_NEAR_ANY : 0;
		if (set & t->answering)
			near |= RULE_NEAR_ANSWER;
		if (set)
			near |= (uint8_t)(plan_of(t, cursor, port) << RULE_NEAR_PLAN_SHIFT);
		__atomic_store_n(&t->port_near[port], near, __ATOMIC_RELEASE);
	}
}

/* Whether a rule may be part of a port plan (rule_table.h). */
static bool plannable(const struct rule_slot *s)
{
	const struct rule_match *m = &s->r.m;
	if (m->space != RULE_PORT || m->post || m->has_value || m->has_rip || ~m->cpus ||
	    (m->sizes && (m->sizes & 7) != 7))
		return false;
	unsigned logs = 0;
	for (unsigned k = 0; k < s->r.nactions; k++) {
		uint8_t kind = s->r.act[k].kind;
		logs += kind == RULE_ACT_LOG;
		if (kind == RULE_ACT_STOP)
			return false;
	}
	return logs <= 1;
}

/* What the rules `set` do together, composed as rules_apply would: in
 * rule-number order, each rule's actions in the order written. */
static struct rule_plan compose(const struct rule_table *t, uint64_t set)
{
	struct rule_plan p = { .wand = ~0u };
	while (set) {
		unsigned i = (unsigned)__builtin_ctzll(set);
		const struct rule_slot *s = &t->slot[i];
		bool reads = s->r.m.dirs & RULE_READ, writes = s->r.m.dirs & RULE_WRITE;
		set &= set - 1;
		p.rules[0] |= reads ? UINT64_C(1) << i : 0;
		p.rules[1] |= writes ? UINT64_C(1) << i : 0;
		for (unsigned k = 0; k < s->r.nactions; k++) {
			uint32_t arg = (uint32_t)s->r.act[k].arg;
			switch (s->r.act[k].kind) {
			case RULE_ACT_LOG:
				p.logs[0] |= reads ? UINT64_C(1) << i : 0;
				p.logs[1] |= writes ? UINT64_C(1) << i : 0;
				break;
			case RULE_ACT_READ:
				if (reads)
					p.answers = 1, p.answer = arg;
				break;
			case RULE_ACT_WRITE_DROP:
				p.drop |= writes;
				break;
			case RULE_ACT_WRITE_SET: /* (v & 0) | arg */
				if (writes)
					p.wand = 0, p.wor = arg;
				break;
			case RULE_ACT_WRITE_OR: /* ((v & A) | B) | arg */
				if (writes)
					p.wor |= arg;
				break;
			case RULE_ACT_WRITE_AND: /* ((v & A) | B) & arg */
				if (writes)
					p.wand &= arg, p.wor &= arg;
				break;
			default:
				break;
			}
		}
	}
	return p;
}

/* Plan `id` becomes p for ports [first, last], under its sequence lock. */
static void write_plan(struct rule_table *t, unsigned id, struct rule_plan p, uint64_t first,
		       uint64_t last)
{
	struct rule_plan *to = &t->plan[id];
	uint32_t seq = to->seq;
	__atomic_store_n(&to->seq, seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__atomic_store_n(&to->span, (uint32_t)(first | last << 16), __ATOMIC_RELAXED);
	__atomic_store_n(&to->answers, p.answers, __ATOMIC_RELAXED);
	__atomic_store_n(&to->drop, p.drop, __ATOMIC_RELAXED);
	__atomic_store_n(&to->answer, p.answer, __ATOMIC_RELAXED);
	__atomic_store_n(&to->wand, p.wand, __ATOMIC_RELAXED);
	__atomic_store_n(&to->wor, p.wor, __ATOMIC_RELAXED);
	__atomic_store_n(&to->rules[0], p.rules[0], __ATOMIC_RELAXED);
	__atomic_store_n(&to->rules[1], p.rules[1], __ATOMIC_RELAXED);
	__atomic_store_n(&to->logs[0], p.logs[0], __ATOMIC_RELAXED);
	__atomic_store_n(&to->logs[1], p.logs[1], __ATOMIC_RELAXED);
	__atomic_store_n(&to->seq, seq + 2, __ATOMIC_RELEASE);
}

/* A run of ports with the same rules on: a plan when they are all
 * plannable and a plan is left. */
static void plan_run(struct rule_table *t, uint64_t set, uint64_t first, uint64_t last)
{
	for (uint64_t s = set; s; s &= s - 1)
		if (!plannable(&t->slot[__builtin_ctzll(s)]))
			return;
	if (!set || t->nplans + 1 == RULE_PLANS)
		return;
	struct rule_plan p = compose(t, set);
	/* A log before a write= would record another value than one after. */
	if (p.logs[1] && (p.wand != ~0u || p.wor))
		return;
	t->nplans++;
	write_plan(t, t->nplans, p, first, last);
}

/* The port plans of the rules that are on, in port order (before the port
 * bytes name them). A plan left over from before keeps its old span until
 * it is rewritten; no port byte names it any more once the blocks are
 * reindexed. */
static void replan(struct rule_table *t, unsigned n)
{
	uint64_t run = 0, run_first = 0;
	t->nplans = 0;
	for (unsigned b = 0; b < RULE_PORT_BLOCKS; b++) {
		uint64_t rules = block_rules(t, n, b), first = (uint64_t)b << RULE_PORT_BLOCK_SHIFT;
		for (unsigned k = 0; k < 1u << RULE_PORT_BLOCK_SHIFT; k++) {
			uint64_t set = rules ? rules_at_port(t, rules, first + k) : 0;
			if (set != run) {
				plan_run(t, run, run_first, first + k - 1);
				run = set, run_first = first + k;
			}
			if (!rules)
				break; /* the block's other ports have no rules either */
		}
	}
	plan_run(t, run, run_first, 0xFFFF);
}

/* The index (rule_table.h) after a rule was added or changed state. The
 * MMIO span first grows to hold both the old and the new rules, then the
 * masks change, then it shrinks to the new ones: a CPU that reads the mask
 * and then the span never misses a rule the mask names, but one going off. */
static void reindex(struct rule_table *t)
{
	unsigned n = t->count;
	uint64_t mmio = 0, answering = 0, lo = ~UINT64_C(0), hi = 0;
	for (unsigned i = 0; i < n; i++) {
		const struct rule_slot *s = &t->slot[i];
		if (!is_on(s))
			continue;
		if (s->answers)
			answering |= UINT64_C(1) << i;
		if (s->lo[RULE_MMIO] <= s->hi[RULE_MMIO]) {
			mmio |= UINT64_C(1) << i;
			lo = s->lo[RULE_MMIO] < lo ? s->lo[RULE_MMIO] : lo;
			hi = s->hi[RULE_MMIO] > hi ? s->hi[RULE_MMIO] : hi;
		}
	}
	if (mmio) {
		bool had = t->mmio != 0;
		store(&t->mmio_lo, had && t->mmio_lo < lo ? t->mmio_lo : lo);
		store(&t->mmio_hi, had && t->mmio_hi > hi ? t->mmio_hi : hi);
	}
	store(&t->answering, answering);
	replan(t, n);
	unsigned cursor = 1;
	for (unsigned b = 0; b < RULE_PORT_BLOCKS; b++) {
		uint64_t was = t->port_block[b], now = block_rules(t, n, b);
		store(&t->port_block[b], now);
		if (was | now)
			reindex_ports(t, b, now, &cursor);
	}
	store(&t->mmio, mmio);
	if (mmio) {
		store(&t->mmio_lo, lo);
		store(&t->mmio_hi, hi);
	}
}

unsigned rule_table_publish(struct rule_table *t, const struct rule *r)
{
	unsigned i = t->count;
	if (i == RULES_MAX)
		return 0;
	struct rule_slot *s = &t->slot[i];
	*s = (struct rule_slot){ .r = *r, .state = RULE_ON };
	for (unsigned sp = RULE_PORT; sp <= RULE_MMIO; sp++) {
		if (!span_in(t, r, sp, &s->lo[sp], &s->hi[sp]))
			s->lo[sp] = 1, s->hi[sp] = 0;
	}
	for (unsigned k = 0; k < r->nactions; k++) {
		if (r->act[k].kind == RULE_ACT_READ && !r->m.has_value) {
			s->answers = true;
			s->answer = r->act[k].arg;
		}
	}
	/* Release: a CPU that sees the new count sees the whole rule. */
	__atomic_store_n(&t->count, i + 1, __ATOMIC_RELEASE);
	__atomic_fetch_add(&t->on, 1, __ATOMIC_RELEASE);
	reindex(t);
	return i + 1;
}

const struct rule_slot *rule_table_get(const struct rule_table *t, unsigned no)
{
	if (!no || no > __atomic_load_n(&t->count, __ATOMIC_ACQUIRE))
		return NULL;
	const struct rule_slot *s = &t->slot[no - 1];
	return __atomic_load_n(&s->state, __ATOMIC_RELAXED) == RULE_DELETED ? NULL : s;
}

bool rule_table_set_state(struct rule_table *t, unsigned no, enum rule_state st)
{
	struct rule_slot *s = (struct rule_slot *)rule_table_get(t, no);
	if (!s || st == RULE_FREE)
		return false;
	bool was_on = s->state == RULE_ON, now_on = st == RULE_ON;
	__atomic_store_n(&s->state, (uint8_t)st, __ATOMIC_RELEASE);
	if (was_on != now_on) {
		__atomic_fetch_add(&t->on, now_on ? 1u : ~0u, __ATOMIC_RELEASE);
		reindex(t);
	}
	return true;
}

bool rule_covers_pci_function(const struct rule_table *t, const struct rule *r,
			      uint64_t *ecam_first, uint64_t *ecam_last)
{
	if (r->m.space != RULE_PCI || !t->has_ecam)
		return false;
	uint64_t lo = (uint64_t)t->ecam_bus_first << 8, hi = (uint64_t)t->ecam_bus_last << 8 | 0xFF;
	if (!overlap(r->m.first, r->m.last, lo, hi))
		return false;
	uint64_t first = r->m.first > lo ? r->m.first : lo, last = r->m.last < hi ? r->m.last : hi;
	*ecam_first = t->ecam_base + (first << 12);
	*ecam_last = t->ecam_base + (last << 12) + 0xFFF;
	return true;
}

/* The PCI function an access reaches, or false. */
static bool pci_function(const struct rule_table *t, const struct rule_access *a, uint64_t *bdf)
{
	if (a->space == RULE_PORT) {
		if (a->addr > RULE_PCI_DATA_LAST || a->addr + a->size - 1 < RULE_PCI_DATA_FIRST ||
		    !(a->cf8 & RULE_PCI_ENABLE))
			return false;
		*bdf = (a->cf8 >> 8) & 0xFFFF; /* bus 23:16, device 15:11, function 10:8 */
		return true;
	}
	if (!t->has_ecam || a->addr < t->ecam_base)
		return false;
	uint64_t f = (a->addr - t->ecam_base) >> 12;
	if (f < (uint64_t)t->ecam_bus_first << 8 || f > ((uint64_t)t->ecam_bus_last << 8 | 0xFF))
		return false;
	*bdf = f;
	return true;
}

/* The first check, inline: whether the access touches what the rule may
 * match in its space (most candidates fail here). */
static inline bool near(const struct rule_slot *s, const struct rule_access *a)
{
	return a->addr <= s->hi[a->space] && a->addr + a->size - 1 >= s->lo[a->space];
}

/* The rest of the match, after near(): cheap checks first, the PCI
 * function (which decodes) last but one. */
static bool matches(const struct rule_table *t, const struct rule_match *m,
		    const struct rule_access *a, bool with_value)
{
	if (!(m->dirs & (a->write ? RULE_WRITE : RULE_READ)) || a->cpu > 63 || !(m->cpus >> a->cpu & 1))
		return false;
	if (m->sizes && (a->size > 8 || !(m->sizes & a->size)))
		return false;
	if (m->has_rip && (a->rip < m->rip_first || a->rip > m->rip_last))
		return false;
	if (m->space == RULE_PCI) {
		uint64_t bdf;
		if (!pci_function(t, a, &bdf) || bdf < m->first || bdf > m->last)
			return false;
	}
	if (m->has_value && (!with_value || (a->value & m->vmask) != m->value))
		return false;
	return true;
}

/* The lowest-numbered rule of a set, taken out of it. */
static inline unsigned next_rule(uint64_t *set)
{
	unsigned i = (unsigned)__builtin_ctzll(*set);
	*set &= *set - 1;
	return i;
}

bool rules_read_answer(const struct rule_table *t, uint64_t set, struct rule_access *a)
{
	bool answered = false;
	while (set) {
		const struct rule_slot *s = &t->slot[next_rule(&set)];
		if (!near(s, a) || !matches(t, &s->r.m, a, false))
			continue;
		a->value = s->answer & width_mask(a->size);
		answered = true;
	}
	return answered;
}

uint64_t rule_hits(const struct rule_slot *s)
{
	return __atomic_load_n(&s->hits[0], __ATOMIC_RELAXED) +
	       __atomic_load_n(&s->hits[1], __ATOMIC_RELAXED);
}

uint64_t rule_action_hits(const struct rule_slot *s, unsigned k)
{
	switch (k < s->r.nactions ? s->r.act[k].kind : RULE_ACT_PASS) {
	case RULE_ACT_READ:
		return __atomic_load_n(&s->hits[0], __ATOMIC_RELAXED);
	case RULE_ACT_WRITE_DROP:
	case RULE_ACT_WRITE_SET:
	case RULE_ACT_WRITE_OR:
	case RULE_ACT_WRITE_AND:
		return __atomic_load_n(&s->hits[1], __ATOMIC_RELAXED);
	default:
		return rule_hits(s);
	}
}

static void count(uint64_t *c)
{
	__atomic_fetch_add(c, 1, __ATOMIC_RELAXED);
}

/* Rule i's actions on an access it matched. */
static void act(struct rule_slot *s, unsigned i, struct rule_access *a, struct rule_result *res,
		rule_log_fn *log, void *arg)
{
	uint64_t mask = width_mask(a->size);
	count(&s->hits[a->write]);
	for (unsigned k = 0; k < s->r.nactions; k++) {
		const struct rule_action *act = &s->r.act[k];
		switch (act->kind) {
		case RULE_ACT_LOG:
			if (log)
				log(arg, i + 1, a);
			break;
		case RULE_ACT_STOP:
			if (!res->stop)
				res->stop = i + 1;
			break;
		case RULE_ACT_READ:
			if (!a->write)
				a->value = act->arg & mask;
			break;
		case RULE_ACT_WRITE_DROP:
			res->dropped |= a->write;
			break;
		case RULE_ACT_WRITE_SET:
			if (a->write)
				a->value = act->arg & mask;
			break;
		case RULE_ACT_WRITE_OR:
			if (a->write)
				a->value = (a->value | act->arg) & mask;
			break;
		case RULE_ACT_WRITE_AND:
			if (a->write)
				a->value &= act->arg;
			break;
		default: /* pass, count: the counter above is all */
			break;
		}
	}
}

void rules_apply(struct rule_table *t, uint64_t set, struct rule_access *a,
		 struct rule_result *res, rule_log_fn *log, void *arg)
{
	uint64_t later = 0; /* the post rules near the access */
	bool post_stage = false;
	*res = (struct rule_result){ 0 };
	for (;;) {
		while (set) {
			unsigned i = next_rule(&set);
			struct rule_slot *s = &t->slot[i];
			if (!near(s, a))
				continue;
			if (s->r.m.post && !post_stage)
				later |= UINT64_C(1) << i;
			else if (matches(t, &s->r.m, a, true))
				act(s, i, a, res, log, arg);
		}
		if (!later)
			return;
		set = later, later = 0, post_stage = true;
	}
}
