/* SPDX-License-Identifier: GPL-2.0-only */
/* SVM exits: turn the VMCB's exit information into the common handlers' terms
 * (hv/exit/exit.h), and the exit tail's hooks (hv/vendor.h) that write the results
 * back. The policy is in hv/ (hv/exit/exit_tail.c, hv/exit/event.c, hv/exit/msr.c). */
#include "hv/console/console.h"
#include "hv/exit/exit.h"
#include "hv/exit/exit_marks.h"
#include "hv/exit/exit_nested.h"
#include "hv/exit/exit_tail.h"
#include "hv/exit/msr.h"
#include "hv/mem/nested_map.h"
#include "hv/panic.h"
#include "hv/vendor.h"
#include "hv/exit/reset.h"
#include "hv/x86/result.h"
#include "svm/exit_decode.h"
#include "svm/npt.h"
#include "svm/svm.h"

static void seg_from_vmcb(struct x86_segment *d, const struct vmcb_seg *s)
{
	d->selector = s->selector;
	d->base = s->base;
	d->limit = s->limit;
	d->attr = x86_seg_attr_from_svm(s->attrib);
}

/* The common code sees the guest through struct x86_regs: what every exit needs
 * here, the rest on demand (svm_load_full_state, hv/vcpu.h). */
static void load_regs(struct vcpu *v, const struct vmcb *vmcb)
{
	const struct vmcb_save *g = &vmcb->save;
	struct x86_regs *r = &v->regs;

	r->gpr[X86_RAX] = g->rax;
	r->gpr[X86_RSP] = g->rsp;
	v->exit_rip = r->rip = g->rip;
	r->rflags = g->rflags;
	r->cpl = g->cpl;
	v->full_state = false;
}

void svm_load_full_state(struct vcpu *v)
{
	const struct vmcb_save *g = &vmcb_of(v)->save;
	struct x86_regs *r = &v->regs;

	r->cr0 = g->cr0;
	r->cr2 = g->cr2;
	r->cr3 = g->cr3;
	r->cr4 = g->cr4;
	/* The guest never sees SVME (it is the hypervisor's). */
	r->efer = g->efer & ~X86_EFER_SVME;
	r->pdpte_valid = false; /* nested paging walks the guest's PDPTEs from memory */
	seg_from_vmcb(&r->seg[X86_ES], &g->es);
	seg_from_vmcb(&r->seg[X86_CS], &g->cs);
	seg_from_vmcb(&r->seg[X86_SS], &g->ss);
	seg_from_vmcb(&r->seg[X86_DS], &g->ds);
	seg_from_vmcb(&r->seg[X86_FS], &g->fs);
	seg_from_vmcb(&r->seg[X86_GS], &g->gs);
	seg_from_vmcb(&r->tr, &g->tr);
}

void svm_load_code_state(struct vcpu *v, struct x86_code_state *cs)
{
	const struct vmcb_save *g = &vmcb_of(v)->save;

	cs->cr0 = g->cr0;
	cs->cr3 = g->cr3;
	cs->cr4 = g->cr4;
	cs->efer = g->efer;
	cs->cs_attr = x86_seg_attr_from_svm(g->cs.attrib);
}

/* ---- The exit tail's hooks (hv/vendor.h) ---- */

void svm_store_regs(struct vcpu *v, bool completed)
{
	struct vmcb *vmcb = vmcb_of(v);
	struct vmcb_save *g = &vmcb->save;

	g->rax = v->regs.gpr[X86_RAX];
	g->rsp = v->regs.gpr[X86_RSP];
	g->rip = v->regs.rip;
	g->rflags = v->regs.rflags;
	if (completed)
		vmcb->control.int_state &= ~SVM_INT_STATE_SHADOW;
}

void svm_write_cr2(struct vcpu *v, uint64_t cr2)
{
	vmcb_of(v)->save.cr2 = cr2;
}

void svm_inject(struct vcpu *v, const struct hv_event *e)
{
	vmcb_of(v)->control.event_inj = svm_event_encode(e);
	if (e->type == HV_EVENT_NMI)
		svm_nmi_injected(v);
}

void svm_flush_nested_tlb(struct vcpu *v)
{
	vmcb_of(v)->control.tlb_control = SVM_TLB_CONTROL_FLUSH_ALL;
}

uint64_t svm_nested_generation(void)
{
	return guest_map_generation();
}

/* ---- Exits ---- */

static void exit_ioio(struct vcpu *v, const struct vmcb *vmcb)
{
	struct hv_port_access a;

	svm_ioio_decode(vmcb->control.exit_info1, vmcb->control.exit_info2, &a);
	hv_exit_port(v, &a);
}

static void exit_npf(struct vcpu *v, struct vmcb *vmcb)
{
	uint64_t code = vmcb->control.exit_info1, gpa = vmcb->control.exit_info2;

	/* Beyond the map built at start (no 1-GiB pages): a device or hole the
	 * guest reaches for the first time. Its access runs again, an
	 * interrupted event delivery included (delivered again at the entry). */
	if (guest_map_on_demand(gpa))
		return;
	hv_exit_nested_fault(v, gpa, code & SVM_NPF_GUEST_TABLE);
}

/* An intercepted NMI is still pending (AMD APM Vol. 2 §15.21.2; QEMU likewise):
 * opening GIF for a moment lets the host's NMI handler take it (hv/host.c marks
 * nmi_pending). Then it is either the INIT some CPU sent us, or the guest's. */
static void exit_nmi(struct vcpu *v)
{
	__asm__ volatile("stgi; clgi" ::: "memory");
	hv_nmi_is_init(v);
}

/* The exits that are not on the common path (svm_handle_exit), out of line so
 * that the common path carries none of their registers or stack. */
static __attribute__((noinline)) void exit_other(struct vcpu *v, struct vmcb *vmcb, uint32_t code)
{
	v->exit_kinds[svm_exit_kind(code)]++;
	switch (code) {
	case SVM_EXIT_MSR:
		/* EXITINFO1: 1 for WRMSR, 0 for RDMSR (APM Vol. 2 §15.11). */
		hv_exit_msr(v, vmcb->control.exit_info1 & 1);
		break;
	case SVM_EXIT_INIT:
		svm_exit_real_init(v);
		break;
	case SVM_EXIT_NMI:
		exit_nmi(v);
		break;
	case SVM_EXIT_VMMCALL:
		hv_exit_hypercall(v);
		break;
	case SVM_EXIT_IRET:
		svm_exit_iret(v);
		break;
	case SVM_EXIT_EXCP_BASE + X86_EXC_DB:
		svm_exit_debug(v);
		break;
	case SVM_EXIT_INVD:
		/* 0F 08; without NRIP save the length is not reported. */
		hv_exit_invd(v, v->regs.rip + 2);
		break;
	case SVM_EXIT_VMRUN:
	case SVM_EXIT_VMLOAD:
	case SVM_EXIT_VMSAVE:
	case SVM_EXIT_STGI:
	case SVM_EXIT_CLGI:
	case SVM_EXIT_SKINIT:
		hv_exit_refuse(v, "SVM instruction");
		break;
	case SVM_EXIT_SHUTDOWN:
		hv_guest_shutdown(v, "shutdown (triple fault)");
	case SVM_EXIT_INVALID:
		/* VMRUN refused the guest state (APM Vol. 2 §15.5.1). On hardware
		 * no guest instruction can make such a state (it faults first),
		 * but an emulator may let one through (QEMU's TCG takes a guest
		 * MOV to CR4 with reserved bits): the guest cannot go on, as a CPU
		 * that shut down. Never a host panic. */
		log_err("vcpu %u: VMRUN refused the guest state (cr0 0x%lx cr4 0x%lx efer 0x%lx)",
			v->index, (unsigned long)vmcb->save.cr0, (unsigned long)vmcb->save.cr4,
			(unsigned long)vmcb->save.efer);
		hv_guest_shutdown(v, "state VMRUN refused");
	default:
		hv_exit_unknown(v, "SVM", code, vmcb->control.exit_info1);
	}
}

void svm_handle_exit(struct vcpu *v)
{
	struct vmcb *vmcb = vmcb_of(v);
	uint32_t code = (uint32_t)vmcb->control.exit_code;

	EXIT_MARK(v->index, EXIT_MARK_ENTER);
	hv_check_panic();
	/* What the last entry injected was delivered, or its delivery was cut
	 * short and sits in EXITINTINFO (APM Vol. 2 §15.7.2); a TLB flush the
	 * last entry asked for is done. */
	vmcb->control.event_inj = 0;
	vmcb->control.tlb_control = 0;
	v->interrupted.valid = false;
	if (vmcb->control.exit_int_info & SVM_EVTINJ_VALID) {
		v->interrupted = svm_event_decode(vmcb->control.exit_int_info);
		vcpu_events_raise(v);
	}
	svm_nmi_exit_begin(v, vmcb);
	load_regs(v, vmcb);
	EXIT_MARK(v->index, EXIT_MARK_DECODED);
	/* The common exits first, each counted under its constant kind. */
	switch (code) {
	case SVM_EXIT_CPUID:
		v->exit_kinds[svm_exit_kind(SVM_EXIT_CPUID)]++;
		hv_exit_cpuid(v);
		break;
	case SVM_EXIT_IOIO:
		v->exit_kinds[svm_exit_kind(SVM_EXIT_IOIO)]++;
		exit_ioio(v, vmcb);
		break;
	case SVM_EXIT_NPF:
		v->exit_kinds[svm_exit_kind(SVM_EXIT_NPF)]++;
		exit_npf(v, vmcb);
		break;
	default:
		exit_other(v, vmcb, code);
	}
	EXIT_MARK(v->index, EXIT_MARK_TAIL);
	hv_exit_finish(v, &svm_vendor);
	EXIT_MARK(v->index, EXIT_MARK_DONE);
}
