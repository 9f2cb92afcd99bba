/* SPDX-License-Identifier: GPL-2.0-only */
/* The rules on the exit path (hv/dev/rules.h). */
#include "hv/dev/passthrough.h"
#include "hv/dev/rules.h"
#include "hv/pci.h"
#include "hv/string.h"
#include "hv/trace/printer.h"
#include "hv/vcpu.h"

struct rule_table rules_table;

static void log_access(void *arg, unsigned no, const struct rule_access *a)
{
	trace_record_for_rule(a->cpu, no, a->space == RULE_PORT ? TRACE_PORT : TRACE_MMIO,
			      a->write, a->addr, a->size, a->value);
}

static struct rule_access access_of(struct vcpu *v, enum rule_space sp, uint64_t addr,
				    unsigned size, bool write, const void *buf)
{
	struct rule_access a = { .space = (uint8_t)sp, .write = write, .size = (uint8_t)size,
				 .cpu = v->index, .addr = addr, .rip = v->regs.rip };
	memcpy(&a.value, buf, size < 8 ? size : 8);
	/* A data-port access goes to the function the address register
	 * selects; the register is the host bridge's, one for all CPUs. */
	if (sp == RULE_PORT && addr <= RULE_PCI_DATA_LAST && addr + size > RULE_PCI_DATA_FIRST)
		a.cf8 = port_read(PCI_CONFIG_ADDRESS, 4);
	return a;
}

static void put_value(const struct rule_access *a, void *buf, unsigned size)
{
	memcpy(buf, &a->value, size < 8 ? size : 8);
}

bool rules_before_read(struct vcpu *v, enum rule_space sp, uint64_t addr, unsigned size,
		       void *buf)
{
	if (!rules_may_match(&rules_table, sp, addr, size))
		return false;
	struct rule_access a = access_of(v, sp, addr, size, false, buf);
	if (!rules_read_answer(&rules_table, &a))
		return false;
	/* Past the first eight bytes of a wide access: all ones for an
	 * all-ones answer (deny, hide), else zero. */
	if (size > 8)
		memset((uint8_t *)buf + 8, a.value == ~UINT64_C(0) ? 0xFF : 0, size - 8);
	put_value(&a, buf, size);
	return true;
}

/* Every matching rule's actions; the value they leave goes back into buf. */
static bool apply(struct vcpu *v, enum rule_space sp, uint64_t addr, unsigned size, bool write,
		  void *buf)
{
	if (!rules_may_match(&rules_table, sp, addr, size))
		return true;
	struct rule_access a = access_of(v, sp, addr, size, write, buf);
	struct rule_result res;
	rules_apply(&rules_table, &a, &res, log_access, NULL);
	put_value(&a, buf, size);
	if (res.stop)
		vcpu_stop(v, "rule %u", res.stop);
	return !res.dropped;
}

void rules_after_read(struct vcpu *v, enum rule_space sp, uint64_t addr, unsigned size,
		      void *buf)
{
	apply(v, sp, addr, size, false, buf);
}

bool rules_before_write(struct vcpu *v, enum rule_space sp, uint64_t addr, unsigned size,
			void *buf)
{
	return apply(v, sp, addr, size, true, buf);
}
