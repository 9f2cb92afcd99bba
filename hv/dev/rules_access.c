/* SPDX-License-Identifier: GPL-2.0-only */
/* The rules on the exit path (hv/dev/rules.h). */
#include "hv/console/watch.h"
#include "hv/dev/passthrough.h"
#include "hv/dev/rules.h"
#include "hv/pci.h"
#include "hv/string.h"
#include "hv/trace/printer.h"
#include "hv/vcpu.h"

struct rule_table rules_table;

/* A rule's log: a trace record, or for a post rule (a watchpoint) a hit the
 * console prints before the entry. */
static void log_access(void *arg, unsigned no, const struct rule_access *a)
{
	const struct rule_slot *s = &rules_table.slot[no - 1];
	if (s->r.m.post) {
		bool stop = false;
		for (unsigned k = 0; k < s->r.nactions; k++)
			stop |= s->r.act[k].kind == RULE_ACT_STOP;
		struct watch_hit h = { .rule = (uint16_t)no, .size = a->size,
				       .mmio = a->space == RULE_MMIO, .write = a->write,
				       .stop = stop, .addr = a->addr, .value = a->value,
				       .rip = a->rip };
		watch_record(a->cpu, &h);
		return;
	}
	trace_record_for_rule(a->cpu, no, a->space == RULE_PORT ? TRACE_PORT : TRACE_MMIO,
			      a->write, a->addr, a->size, a->value);
}

/* The access's first eight bytes; the common sizes without a memcpy call. */
static uint64_t value_of(const void *buf, unsigned size)
{
	uint8_t b;
	uint16_t w;
	uint32_t d;
	uint64_t q = 0;
	switch (size) {
	case 1:
		return __builtin_memcpy(&b, buf, 1), b;
	case 2:
		return __builtin_memcpy(&w, buf, 2), w;
	case 4:
		return __builtin_memcpy(&d, buf, 4), d;
	default:
		memcpy(&q, buf, size < 8 ? size : 8);
		return q;
	}
}

static void put_value(const struct rule_access *a, void *buf, unsigned size)
{
	uint8_t b = (uint8_t)a->value;
	uint16_t w = (uint16_t)a->value;
	uint32_t d = (uint32_t)a->value;
	switch (size) {
	case 1:
		__builtin_memcpy(buf, &b, 1);
		break;
	case 2:
		__builtin_memcpy(buf, &w, 2);
		break;
	case 4:
		__builtin_memcpy(buf, &d, 4);
		break;
	default:
		memcpy(buf, &a->value, size < 8 ? size : 8);
	}
}

static struct rule_access access_of(struct vcpu *v, enum rule_space sp, uint64_t addr,
				    unsigned size, bool write, const void *buf)
{
	struct rule_access a = { .space = (uint8_t)sp, .write = write, .size = (uint8_t)size,
				 .cpu = v->index, .addr = addr, .rip = v->regs.rip,
				 .value = value_of(buf, size) };
	/* A data-port access goes to the function the address register
	 * selects; the register is the host bridge's, one for all CPUs. */
	if (sp == RULE_PORT && addr <= RULE_PCI_DATA_LAST && addr + size > RULE_PCI_DATA_FIRST)
		a.cf8 = port_read(PCI_CONFIG_ADDRESS, 4);
	return a;
}

bool rules_answer_read(struct vcpu *v, uint64_t set, enum rule_space sp, uint64_t addr,
		       unsigned size, void *buf)
{
	struct rule_access a = access_of(v, sp, addr, size, false, buf);
	if (!rules_read_answer(&rules_table, set, &a))
		return false;
	/* Past the first eight bytes of a wide access: all ones for an
	 * all-ones answer (deny, hide), else zero. */
	if (size > 8)
		memset((uint8_t *)buf + 8, a.value == ~UINT64_C(0) ? 0xFF : 0, size - 8);
	put_value(&a, buf, size);
	return true;
}

/* Every matching rule's actions; the value they leave goes back into buf.
 * False: a write is dropped. */
bool rules_act(struct vcpu *v, uint64_t set, enum rule_space sp, uint64_t addr, unsigned size,
	       bool write, void *buf)
{
	struct rule_access a = access_of(v, sp, addr, size, write, buf);
	struct rule_result res;
	rules_apply(&rules_table, set, &a, &res, log_access, NULL);
	put_value(&a, buf, size);
	if (res.stop)
		vcpu_stop(v, "rule %u", res.stop);
	return !res.dropped;
}
