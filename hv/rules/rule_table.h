/* SPDX-License-Identifier: GPL-2.0-only */
/* The rule table and the match/action engine (hv/rules/rule.h).
 *
 * Rules are numbered 1, 2, ... in the order they were added, and numbers are
 * never reused (so a trace record's rule number keeps its meaning). A
 * published rule never changes; only its state (on, off, deleted) and its
 * counters do, so every CPU's exit path reads the table without a lock while
 * the console adds, switches or deletes rules (one writer at a time).
 *
 * Composition: every rule that matches an access applies, in rule-number
 * order, each with its actions in the order written; a later read= or write=
 * acts on what the earlier ones left. Post rules (watchpoints) come after
 * all the others, in rule-number order among themselves. Two rules that
 * would both change the same accesses (both read=, or both write=...)
 * clash: the second is refused, naming the first, unless their value
 * conditions exclude each other. log, count, stop and pass compose with anything.
 *
 * An access matches when it touches a byte (port) of the rule's span, goes
 * the rule's direction, has one of its sizes, runs on one of its CPUs, comes
 * from its RIP range, and its value (what the guest writes; for reads, what
 * the device answered) equals the rule's under its mask. read= answers the
 * whole access and the device is not read, unless the rule has a value
 * condition (then it replaces what the device answered). Pure C. */
#ifndef HV_RULES_RULE_TABLE_H
#define HV_RULES_RULE_TABLE_H

#include <stddef.h>
#include "hv/rules/rule.h"

#define RULES_MAX 64

/* The PCI configuration ports (PCI Local Bus Specification 3.0 §3.2.2.3.2). */
#define RULE_PCI_DATA_FIRST 0xCFCu
#define RULE_PCI_DATA_LAST 0xCFFu
#define RULE_PCI_ENABLE (UINT32_C(1) << 31)

enum rule_state { RULE_FREE, RULE_ON, RULE_OFF, RULE_DELETED };

struct rule_slot {
	/* Set at publish: what it may match in each space (RULE_PORT,
	 * RULE_MMIO; lo > hi: nothing; a PCI rule: the data port and its
	 * functions' ECAM pages), the first check of every access. */
	uint64_t lo[2], hi[2];
	struct rule r;
	/* Set at publish: whether it answers reads before the device (a read=
	 * and no value condition), and with what (its last read=). */
	bool answers;
	uint64_t answer;
	uint8_t state; /* enum rule_state; atomic */
	/* The counters, in one place: matched reads and writes (atomic). An
	 * action's hits follow from them (rule_action_hits). */
	uint64_t hits[2];
};

/* The port index's blocks: 256 ports each. */
#define RULE_PORT_BLOCK_SHIFT 8
#define RULE_PORT_BLOCKS (0x10000u >> RULE_PORT_BLOCK_SHIFT)
/* Per port, what rules are on there: any, and any that answers reads; the
 * bits above RULE_NEAR_PLAN_SHIFT hold the port's plan (0: none). */
enum { RULE_NEAR_ANY = 1, RULE_NEAR_ANSWER = 2 };
#define RULE_NEAR_PLAN_SHIFT 2
#define RULE_PLANS (0x100u >> RULE_NEAR_PLAN_SHIFT) /* plan 0 means none */

/* A port plan: the short path of a run of ports on which the same rules are
 * on, all of them simple (a port span, no value, CPU, size or RIP condition,
 * not post; only count, pass, read=, write=drop and write=VALUE|or:|and:
 * actions, and at most one log, in a run whose writes are not rewritten so
 * that every log records the same value). It is what those rules do to any
 * access inside the run, composed once at publish in rule-number order: the
 * rules it counts and logs, the read answer, and a write's fate, so that
 * the exit path neither builds an access record nor walks the rules.
 * Everything else (stop, conditions, PCI rules, a log beside a write=, an
 * access that crosses the run's edge) takes the general engine, which gives
 * the same result. The writer rebuilds a plan in place between two
 * increments of seq (odd meanwhile); a reader that sees seq odd or changed,
 * or a span that does not hold its access, takes the general engine. */
struct rule_plan {
	uint32_t seq;
	uint32_t span;     /* first port | last port << 16 */
	uint8_t answers;   /* reads: the guest gets `answer`; the device is not read */
	uint8_t drop;      /* writes: nothing reaches the device */
	uint32_t answer;
	uint32_t wand, wor; /* writes: the device gets (value & wand) | wor */
	uint64_t rules[2];  /* the rules it counts: [0] on reads, [1] on writes */
	uint64_t logs[2];   /* those of them that log, likewise */
};

/* What a plan does to one access (rules_port_plan). */
struct rule_plan_use {
	uint64_t rules; /* to count */
	uint64_t logs;  /* to log (in rule-number order), after the device */
	bool steer;     /* reads: answered; writes: dropped */
	uint32_t wand, wor; /* reads: wand is the answer */
};

struct rule_table {
	unsigned count; /* slots used (published with release) */
	unsigned on;    /* rules on: the exit paths skip the table when 0 */
	/* The ECAM window (ACPI MCFG; PCI Firmware Specification 3.0 §4.1.2):
	 * function F of bus B at base + (B << 20 | F << 12). */
	uint64_t ecam_base;
	unsigned ecam_bus_first, ecam_bus_last;
	bool has_ecam;
	/* The index an access starts from, over the rules that are on (bit i:
	 * slot i, so walking the bits goes in rule-number order): per block of
	 * ports, the rules whose span touches it (PCI rules: the data port's
	 * block), and per port whether any rule, or any rule that answers
	 * reads, is on there (RULE_NEAR_*: so that an access beside the rules
	 * stops at one load); the MMIO and PCI rules, and the span that holds
	 * them all; the rules that answer reads before the device. Only the writer
	 * changes it (rule_table_publish, rule_table_set_state), word by word
	 * with release after the rule it names is complete, and a published
	 * rule never changes: a CPU that sees a bit may read the rule without
	 * a lock. A CPU that read a word just before a change acts as if its
	 * access came first. */
	uint64_t port_block[RULE_PORT_BLOCKS];
	uint8_t port_near[0x10000 + 3]; /* + 3: a dword access's window at 0xFFFF */
	uint64_t mmio, answering;
	uint64_t mmio_lo, mmio_hi;
	/* The port plans (rule_plan), in port order; plan[0] is never used. */
	unsigned nplans;
	struct rule_plan plan[RULE_PLANS];
	struct rule_slot slot[RULES_MAX];
};

/* One guest access as the exit path sees it. */
struct rule_access {
	uint8_t space; /* RULE_PORT or RULE_MMIO */
	bool write;
	uint8_t size;
	unsigned cpu;
	uint64_t addr;
	uint64_t value; /* writes: what goes to the device; reads: what the guest gets */
	uint64_t rip;
	uint32_t cf8;   /* port accesses: the PCI configuration address (0xCF8) */
};

struct rule_result {
	bool dropped;  /* writes: nothing reaches the device */
	unsigned stop; /* the first rule whose stop fired (its number), 0: none */
};

typedef void rule_log_fn(void *arg, unsigned rule_no, const struct rule_access *a);

static inline bool rules_any(const struct rule_table *t)
{
	return __atomic_load_n(&t->on, __ATOMIC_RELAXED) != 0;
}

static inline uint64_t rules_load(const uint64_t *word)
{
	return __atomic_load_n(word, __ATOMIC_ACQUIRE);
}

/* A port access's bytes (size 1, 2 or 4) as a mask of the low bytes of a
 * dword, by size & 7: its value's mask, and the window over its ports'
 * flags. A table, so that the exit path loads it rather than shifts. */
extern const uint32_t rule_port_window[8];

static inline uint32_t rules_port_mask(unsigned size)
{
	return rule_port_window[size & 7];
}

/* Whether rules with the RULE_NEAR_* flag `what` are on some port of a port
 * access: one load of the flags of its bytes (1, 2 or 4). */
static inline bool rules_port_near(const struct rule_table *t, uint64_t port, unsigned size,
				   unsigned what)
{
	uint32_t near;
	__builtin_memcpy(&near, &t->port_near[port & 0xFFFF], 4);
	return (near & rules_port_mask(size) & (0x01010101u * what)) != 0;
}

/* The rules (bit i: slot i) that may match an access there: the exit path's
 * first and, for most accesses, only look (false positives allowed, no false
 * negatives). space: RULE_PORT or RULE_MMIO. */
static inline uint64_t rules_candidates(const struct rule_table *t, unsigned space,
					uint64_t addr, unsigned size)
{
	uint64_t last = addr + size - 1;
	if (space == RULE_PORT) {
		if (!rules_port_near(t, addr, size, RULE_NEAR_ANY))
			return 0;
		unsigned b0 = (unsigned)(addr >> RULE_PORT_BLOCK_SHIFT) % RULE_PORT_BLOCKS;
		unsigned b1 = (unsigned)(last >> RULE_PORT_BLOCK_SHIFT) % RULE_PORT_BLOCKS;
		uint64_t m = rules_load(&t->port_block[b0]);
		return b1 == b0 ? m : m | rules_load(&t->port_block[b1]);
	}
	uint64_t m = rules_load(&t->mmio);
	return m && last >= rules_load(&t->mmio_lo) && addr <= rules_load(&t->mmio_hi) ? m : 0;
}

/* The plan for a port access (size 1, 2 or 4): false when it has none (the
 * general engine decides); else *u says what the plan does. A handful of
 * loads, no stores. */
static inline bool rules_port_plan(const struct rule_table *t, uint64_t port, unsigned size,
				   bool write, struct rule_plan_use *u)
{
	unsigned id = __atomic_load_n(&t->port_near[port & 0xFFFF], __ATOMIC_ACQUIRE) >>
		      RULE_NEAR_PLAN_SHIFT;
	if (!id)
		return false;
	const struct rule_plan *p = &t->plan[id];
	uint32_t seq = __atomic_load_n(&p->seq, __ATOMIC_ACQUIRE);
	uint32_t span = __atomic_load_n(&p->span, __ATOMIC_RELAXED);
	u->rules = __atomic_load_n(&p->rules[write], __ATOMIC_RELAXED);
	u->logs = __atomic_load_n(&p->logs[write], __ATOMIC_RELAXED);
	if (write) {
		u->steer = __atomic_load_n(&p->drop, __ATOMIC_RELAXED);
		u->wand = __atomic_load_n(&p->wand, __ATOMIC_RELAXED);
		u->wor = __atomic_load_n(&p->wor, __ATOMIC_RELAXED);
	} else {
		u->steer = __atomic_load_n(&p->answers, __ATOMIC_RELAXED);
		u->wand = __atomic_load_n(&p->answer, __ATOMIC_RELAXED);
	}
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return !(seq & 1) && __atomic_load_n(&p->seq, __ATOMIC_RELAXED) == seq &&
	       port >= (span & 0xFFFF) && port + size - 1 <= span >> 16;
}

/* A plan's counting: each rule it names, for this direction. */
static inline void rules_plan_count(struct rule_table *t, uint64_t rules, bool write)
{
	while (rules) {
		unsigned i = (unsigned)__builtin_ctzll(rules);
		rules &= rules - 1;
		__atomic_fetch_add(&t->slot[i].hits[write], 1, __ATOMIC_RELAXED);
	}
}

/* The same, of the rules that answer reads before the device. */
static inline uint64_t rules_answer_candidates(const struct rule_table *t, unsigned space,
					       uint64_t addr, unsigned size)
{
	if (space == RULE_PORT && !rules_port_near(t, addr, size, RULE_NEAR_ANSWER))
		return 0;
	uint64_t answering = rules_load(&t->answering);
	return answering ? rules_candidates(t, space, addr, size) & answering : 0;
}

/* Whether r may join the table: false, with err naming the clash, when it
 * would steer the same accesses as a rule already there, or the table is
 * full. */
bool rule_table_check(const struct rule_table *t, const struct rule *r, char *err, size_t errlen);
/* Adds r (checked) switched on; its number. */
unsigned rule_table_publish(struct rule_table *t, const struct rule *r);
/* on, off or deleted; false for a number that names no rule. */
bool rule_table_set_state(struct rule_table *t, unsigned no, enum rule_state s);
/* The slot of rule no (not deleted), or NULL. */
const struct rule_slot *rule_table_get(const struct rule_table *t, unsigned no);

/* A rule's hits: the accesses it matched. */
uint64_t rule_hits(const struct rule_slot *s);
/* Those its action k acted on: the reads for read=, the writes for write=...,
 * every match for the others. */
uint64_t rule_action_hits(const struct rule_slot *s, unsigned k);

/* Whether rule r matches PCI port accesses (0xCFC-0xCFF), or ECAM pages. */
bool rule_covers_pci_function(const struct rule_table *t, const struct rule *r,
			      uint64_t *ecam_first, uint64_t *ecam_last);

/* Both take the access's candidates (rules_candidates), so that the exit
 * path looks them up once.
 * Before a read reaches the device: true when a rule answers it (read=
 * without a value condition); a->value is then the answer and the device
 * must not be read. Counts nothing. */
bool rules_read_answer(const struct rule_table *t, uint64_t candidates, struct rule_access *a);
/* Every matching rule's actions (reads: after the device answered or
 * rules_read_answer did; writes: before the device sees the write). */
void rules_apply(struct rule_table *t, uint64_t candidates, struct rule_access *a,
		 struct rule_result *res, rule_log_fn *log, void *arg);

#endif
