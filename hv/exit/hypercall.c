/* SPDX-License-Identifier: GPL-2.0-only */
#include "hv/exit/exit.h"
#include "hv/exit/exit_marks.h"
#include "hv/exit/hypercall.h"
#include "hv/dev/rules.h"
#include "hv/hv.h"
#include "hv/percpu.h"
#include "hv/x86/result.h"

#define HYPERCALL_INSN_LEN 3 /* VMMCALL 0F 01 D9, VMCALL 0F 01 C1 */

struct range_search {
	uint64_t addr;
	bool found;
	unsigned handle;
};

static void find_port(void *arg, uint16_t first, uint32_t count, iom_port_handle_t h)
{
	struct range_search *s = arg;
	if (s->addr >= first && s->addr < (uint64_t)first + count) {
		s->found = true;
		s->handle = h;
	}
}

static void find_mmio(void *arg, uint64_t gpa, uint64_t size, iom_mmio_handle_t h)
{
	struct range_search *s = arg;
	if (s->addr >= gpa && s->addr - gpa < size) {
		s->found = true;
		s->handle = h;
	}
}

static int64_t range_stat(uint64_t space, uint64_t addr, uint64_t which, uint64_t *out)
{
	struct range_search s = { .addr = addr };
	if (which >= IOM_STAT_COUNT)
		return HC_E_INVALID;
	if (space == IOM_SPACE_PORT) {
		iom_for_each_mapped_port(find_port, &s);
		if (s.found)
			*out = iom_port_range_stat(s.handle, (iom_stat_t)which);
	} else if (space == IOM_SPACE_MMIO) {
		iom_for_each_mapped_mmio(find_mmio, &s);
		if (s.found)
			*out = iom_mmio_range_stat(s.handle, (iom_stat_t)which);
	} else {
		return HC_E_INVALID;
	}
	return s.found ? HC_OK : HC_E_NOT_FOUND;
}

static int64_t rule_stat(uint64_t no, uint64_t which, uint64_t *out)
{
	const struct rule_slot *s = no <= RULES_MAX ? rule_table_get(&rules_table, (unsigned)no)
						     : NULL;
	if (!s)
		return HC_E_NOT_FOUND;
	if (which > s->r.nactions)
		return HC_E_INVALID;
	*out = which ? rule_action_hits(s, (unsigned)which - 1) : rule_hits(s);
	return HC_OK;
}

void hv_exit_hypercall(struct vcpu *v)
{
	uint64_t *g = v->regs.gpr;
	int64_t rc = HC_OK;

	/* Only the guest kernel may ask (a user program gets what a CPU without
	 * a hypervisor gives: #UD). */
	if (v->regs.cpl != 0) {
		vcpu_inject_exception(v, X86_EXC_UD, false, 0);
		return;
	}
	switch (g[X86_RAX]) {
	case HC_INFO:
		g[X86_RBX] = HV_HYPERCALL_ABI_VERSION;
		g[X86_RCX] = hv_running_cpus();
		g[X86_RDX] = v->index;
		break;
	case HC_IOM_STAT:
		if (g[X86_RBX] >= IOM_SPACE_COUNT || g[X86_RCX] >= IOM_STAT_COUNT) {
			rc = HC_E_INVALID;
			break;
		}
		g[X86_RBX] = iom_stat_get((iom_space_t)g[X86_RBX], (iom_stat_t)g[X86_RCX],
					  (uint32_t)g[X86_RDX]);
		break;
	case HC_RANGE_STAT:
		rc = range_stat(g[X86_RBX], g[X86_RCX], g[X86_RDX], &g[X86_RBX]);
		break;
	case HC_RULE_STAT:
		rc = rule_stat(g[X86_RBX], g[X86_RCX], &g[X86_RBX]);
		break;
	case HC_HV_MEMORY: {
		const struct hv_memory *m = hv_memory();
		g[X86_RBX] = m->pool_base;
		g[X86_RCX] = m->pool_size;
		g[X86_RDX] = m->image_base;
		g[X86_RSI] = m->image_size;
		break;
	}
	case HC_EXIT_MARKS: {
		uint64_t part[EXIT_PART_COUNT];
		if (!exit_marks_last(v->index, part)) {
			rc = HC_E_INVALID;
			break;
		}
		g[X86_RBX] = part[EXIT_PART_VENDOR];
		g[X86_RCX] = part[EXIT_PART_HANDLER];
		g[X86_RDX] = part[EXIT_PART_IOM];
		g[X86_RSI] = part[EXIT_PART_DEVICE];
		g[X86_RDI] = part[EXIT_PART_TAIL];
		break;
	}
	default:
		/* Outside the documented set: what a CPU without this hypervisor
		 * does with VMMCALL/VMCALL (#UD), so guests cannot mistake it. */
		vcpu_inject_exception(v, X86_EXC_UD, false, 0);
		return;
	}
	g[X86_RAX] = (uint64_t)rc;
	v->regs.rip += HYPERCALL_INSN_LEN;
}
