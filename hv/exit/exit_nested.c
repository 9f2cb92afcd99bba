/* SPDX-License-Identifier: GPL-2.0-only */
/* A nested page fault (SVM NPF, VMX EPT violation or misconfiguration) that the
 * on-demand mapping did not resolve: a trapped or hidden guest-physical page. */
#include "hv/exit/exit_nested.h"
#include "hv/console/console.h"
#include "hv/exit/exit.h"

void hv_exit_nested_fault(struct vcpu *v, uint64_t gpa, bool guest_walk)
{
	if (v->interrupted.valid) {
		/* The CPU was delivering an event: its IDT, stack or TSS lies in
		 * device or hypervisor memory. There is no instruction to emulate,
		 * and no real machine would survive that either. */
		log_err("vcpu %u: delivering event type %u vector %u touched trapped or hidden "
			"page 0x%lx", v->index, v->interrupted.type, v->interrupted.vector,
			(unsigned long)gpa);
		hv_guest_shutdown(v, "event delivery into trapped memory");
	}
	if (guest_walk) {
		/* The guest's own page-table walk reached the page: its page
		 * tables point at devices or at the hypervisor. */
		log_warn("vcpu %u: guest page walk touched trapped page 0x%lx at rip 0x%lx: #GP",
			 v->index, (unsigned long)gpa, (unsigned long)v->regs.rip);
		hv_raise_exception(v, X86_EXC_GP, 0);
		return;
	}
	hv_exit_mmio(v, gpa);
}
