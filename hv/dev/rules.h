/* SPDX-License-Identifier: GPL-2.0-only */
/* The rules (hv/rules/) in the hypervisor: the one table every CPU's exit path
 * consults, how rules get their ports and pages trapped, and the exit-path
 * calls.
 *
 * Trapping: a rule's span may lie where no device traps. The rules then map
 * pass-through IOM ranges over the gaps (from a pool created before the IOM is
 * frozen, resized to each gap), so every CPU traps there from then on
 * (IOPM/I/O bitmap, nested-page split with TLB shootdown: the backend's
 * intercept hooks). Where a device already traps, its range stays and the
 * rule acts on the accesses before the device sees them. When the last rule
 * that needed a gap range is deleted, the range is unmapped and the guest
 * reaches the port or page directly again.
 *
 * Exit path (hv/exit/exit.c, hv/mem/guest_access.c), only while a rule is on
 * (rules_active): rules_before_read may answer a read itself (read=), the
 * IOM dispatches otherwise, rules_after_read applies the rules to what was
 * read; rules_before_write applies them to a write, which may be rewritten
 * or dropped. String port I/O (INS/OUTS) goes element by element while a
 * rule is on, each element as one IN or OUT. */
#ifndef HV_DEV_RULES_H
#define HV_DEV_RULES_H

#include <stddef.h>
#include "hv/rules/rule_table.h"
#include "hv/trace/printer.h"

struct vcpu;

extern struct rule_table rules_table;

static inline bool rules_active(void)
{
	return rules_any(&rules_table);
}

/* Before the IOM is frozen: the trap pool, the ECAM window (from ACPI MCFG;
 * acpi_rsdp 0: none), then the configuration's rules. A rule that clashes or
 * cannot be trapped is refused with its line and the reason. */
void rules_register(const struct rule *rules, unsigned n, uint64_t acpi_rsdp);

/* At run time (the debug console, one caller at a time, holding the
 * console): a rule checked, trapped and switched on (its number), or 0 and
 * err saying why (nothing installed). */
unsigned rules_add(const struct rule *r, char *err, size_t errlen);
/* Deletes rule no, untrapping what no other rule needs. */
bool rules_delete(unsigned no);
bool rules_switch(unsigned no, bool on);

/* The exit path's out-of-line part (rules_access.c), for accesses some rule
 * may match: the set of candidates (rules_candidates). */
bool rules_answer_read(struct vcpu *v, uint64_t candidates, enum rule_space sp, uint64_t addr,
		       unsigned size, void *buf);
bool rules_act(struct vcpu *v, uint64_t candidates, enum rule_space sp, uint64_t addr,
	       unsigned size, bool write, void *buf);

/* Exit path. buf holds the access's bytes (size 1..64) in guest order; for
 * a port access (size 1, 2 or 4) it is a uint32_t. The index decides inline:
 * the accesses no rule is near cost a few loads, and a port access inside a
 * plan (rule_table.h) is done inline too (always: out of line, the call's
 * frame alone would cost a third of the plan's path). */
static inline __attribute__((always_inline)) bool
rules_before_read(struct vcpu *v, enum rule_space sp, uint64_t addr, unsigned size, void *buf)
{
	struct rule_plan_use u;
	if (sp == RULE_PORT) {
		if (!rules_port_near(&rules_table, addr, size, RULE_NEAR_ANSWER))
			return false;
		if (rules_port_plan(&rules_table, addr, size, false, &u)) {
			if (u.steer) /* counted after, as a device's answer would be */
				*(uint32_t *)buf = u.wand & rules_port_mask(size);
			return u.steer;
		}
	}
	uint64_t set = rules_answer_candidates(&rules_table, sp, addr, size);
	return set && rules_answer_read(v, set, sp, addr, size, buf);
}

/* A port access through its plan (rules_port_plan), if it has one: counted,
 * answered (reads) or rewritten (writes), logged; *steered: a read was
 * answered, a write dropped. False: no plan, nothing done. */
static inline __attribute__((always_inline)) bool rules_port_planned(struct vcpu *v, uint64_t port,
								     unsigned size, bool write,
								     uint32_t *value, bool *steered)
{
	struct rule_plan_use u;
	if (!rules_port_plan(&rules_table, port, size, write, &u))
		return false;
	rules_plan_count(&rules_table, u.rules, write);
	if (write)
		*value = ((*value & u.wand) | u.wor) & rules_port_mask(size);
	else if (u.steer)
		*value = u.wand & rules_port_mask(size);
	if (u.logs)
		trace_log_port(v, u.logs, write, (uint16_t)port, size, *value);
	*steered = u.steer;
	return true;
}

static inline __attribute__((always_inline)) void
rules_after_read(struct vcpu *v, enum rule_space sp, uint64_t addr, unsigned size, void *buf)
{
	bool answered;
	/* The plan first: its id is in the port's flag byte, so a planned port
	 * needs no near check; a port without one pays a byte's load more. */
	if (sp == RULE_PORT && (rules_port_planned(v, addr, size, false, buf, &answered) ||
				!rules_port_near(&rules_table, addr, size, RULE_NEAR_ANY)))
		return;
	uint64_t set = rules_candidates(&rules_table, sp, addr, size);
	if (set)
		rules_act(v, set, sp, addr, size, false, buf);
}

/* False: the write is dropped (nothing reaches the device). */
static inline __attribute__((always_inline)) bool
rules_before_write(struct vcpu *v, enum rule_space sp, uint64_t addr, unsigned size, void *buf)
{
	bool dropped;
	if (sp == RULE_PORT) {
		if (!rules_port_near(&rules_table, addr, size, RULE_NEAR_ANY))
			return true;
		if (rules_port_planned(v, addr, size, true, buf, &dropped))
			return !dropped;
	}
	uint64_t set = rules_candidates(&rules_table, sp, addr, size);
	return !set || rules_act(v, set, sp, addr, size, true, buf);
}

#endif
