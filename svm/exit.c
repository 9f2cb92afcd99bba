/* SVM exits: turn the VMCB's exit information into the common handlers' terms
 * (hv/exit.h), then write the results back. The twin of vmx/exit.c. */
#include "hv/console.h"
#include "hv/cpu.h"
#include "hv/exit.h"
#include "hv/ipi.h"
#include "hv/nested_map.h"
#include "hv/panic.h"
#include "hv/x86/result.h"
#include "svm/permission_maps.h"
#include "svm/svm.h"

#define MSR_INSN_LEN 2 /* RDMSR 0F 32, WRMSR 0F 30 */

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
	r->rip = g->rip;
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
	/* The guest never sees SVME (it is the hypervisor's); the emulator needs
	 * only LMA/NXE from EFER. */
	r->efer = g->efer & ~EFER_SVME;
	r->pdpte_valid = false; /* nested paging walks the guest's PDPTEs from memory */
	seg_from_vmcb(&r->seg[X86_ES], &g->es);
	seg_from_vmcb(&r->seg[X86_CS], &g->cs);
	seg_from_vmcb(&r->seg[X86_SS], &g->ss);
	seg_from_vmcb(&r->seg[X86_DS], &g->ds);
	seg_from_vmcb(&r->seg[X86_FS], &g->fs);
	seg_from_vmcb(&r->seg[X86_GS], &g->gs);
}

void svm_load_code_state(struct vcpu *v, struct x86_code_state *cs)
{
	const struct vmcb_save *g = &vmcb_of(v)->save;

	cs->cr3 = g->cr3;
	cs->cr4 = g->cr4;
	cs->efer = g->efer;
	cs->cs_attr = x86_seg_attr_from_svm(g->cs.attrib);
}

static void store_regs(struct vcpu *v, struct vmcb *vmcb)
{
	struct vmcb_save *g = &vmcb->save;
	g->rax = v->regs.gpr[X86_RAX];
	g->rsp = v->regs.gpr[X86_RSP];
	g->rip = v->regs.rip;
	g->rflags = v->regs.rflags;
}

static void exit_ioio(struct vcpu *v, const struct vmcb *vmcb)
{
	uint64_t info = vmcb->control.exit_info1;
	struct hv_port_access a = {
		.port = (uint16_t)(info >> SVM_IOIO_PORT_SHIFT),
		.size = info & SVM_IOIO_SZ32 ? 4 : info & SVM_IOIO_SZ16 ? 2 : 1,
		.in = info & SVM_IOIO_IN,
		.string = info & SVM_IOIO_STR,
		.rep = info & SVM_IOIO_REP,
		/* QEMU leaves the address-size bits clear (docs/emulators.md):
		 * 0 lets the common code decode it from the instruction. */
		.addr_size = info & SVM_IOIO_A64 ? 8 : info & SVM_IOIO_A32 ? 4
			     : info & SVM_IOIO_A16 ? 2 : 0,
		/* EXITINFO2 is the next RIP on IOIO exits, NRIP save or not
		 * (APM Vol. 2 §15.10.2). */
		.next_rip = vmcb->control.exit_info2,
	};
	hv_exit_port(v, &a);
}

static void send_x2apic_icr(uint64_t icr)
{
	wrmsr(MSR_X2APIC_ICR, icr);
}

/* EFER: SVME stays set underneath and invisible above. VM_CR reads as "SVM
 * disabled and locked", so the guest does not try it; VM_HSAVE_PA reads 0 and
 * ignores writes (APM Vol. 2 §15.30). */
static void exit_msr(struct vcpu *v, struct vmcb *vmcb)
{
	uint64_t *g = v->regs.gpr;
	uint32_t msr = (uint32_t)g[X86_RCX];
	bool write = vmcb->control.exit_info1 & 1;
	uint64_t value = (g[X86_RDX] << 32) | (uint32_t)g[X86_RAX];

	if (write && msr == MSR_X2APIC_ICR) {
		/* Only valid in x2APIC mode; otherwise #GP, as the CPU would. */
		if (rdmsr(MSR_APIC_BASE) & APIC_BASE_X2APIC) {
			hv_icr_write(v, value, true, send_x2apic_icr);
			v->regs.rip += MSR_INSN_LEN;
		} else {
			vcpu_inject_exception(v, X86_EXC_GP, true, 0);
		}
		return;
	}
	if (write) {
		if (msr == MSR_EFER) {
			/* Reserved EFER bits raise #GP (APM Vol. 2 §3.1.7): let the
			 * hardware judge by what VMRUN accepts; keep SVME. */
			vmcb->save.efer = value | EFER_SVME;
		}
		/* VM_CR, VM_HSAVE_PA: the hypervisor's; writes are dropped. */
	} else {
		uint64_t result = 0;
		if (msr == MSR_EFER)
			result = vmcb->save.efer & ~EFER_SVME;
		else if (msr == MSR_VM_CR)
			result = (1ull << 4) | (1ull << 3); /* SVMDIS | LOCK */
		g[X86_RAX] = (uint32_t)result;
		g[X86_RDX] = result >> 32;
	}
	v->regs.rip += MSR_INSN_LEN;
}

/* The event whose delivery the exit cut short (EXITINTINFO, which has EVENTINJ's
 * format: APM Vol. 2 §15.7.2) is delivered again at the entry. Not INTn, INT3 or
 * INTO: RIP still points at their instruction, which runs again (without NRIP
 * save an injection could not push the right return address). */
static void reinject_interrupted(struct vmcb *vmcb)
{
	uint64_t e = vmcb->control.exit_int_info;
	uint64_t type = e & SVM_EVTINJ_TYPE_MASK, vector = e & 0xFF;

	if (!(e & SVM_EVTINJ_VALID) || type == SVM_EVTINJ_TYPE_SOFT_INT ||
	    (type == SVM_EVTINJ_TYPE_EXCEPTION && (vector == 3 || vector == 4)))
		return;
	vmcb->control.event_inj = e;
}

static void exit_npf(struct vcpu *v, struct vmcb *vmcb)
{
	uint64_t code = vmcb->control.exit_info1, gpa = vmcb->control.exit_info2;

	/* Beyond the map built at start (no 1-GiB pages): a device or hole the
	 * guest reaches for the first time. */
	if (guest_map_on_demand(gpa)) {
		reinject_interrupted(vmcb);
		return;
	}
	if (vmcb->control.exit_int_info & SVM_EVTINJ_VALID) {
		/* The CPU was delivering an event (its IDT, stack or TSS lies in
		 * trapped or hidden memory): there is no instruction to emulate.
		 * As vmx/exit.c does. */
		log_err("vcpu %u: delivering event 0x%lx touched trapped or hidden page 0x%lx",
			v->index, (unsigned long)vmcb->control.exit_int_info, (unsigned long)gpa);
		hv_exit_triple_fault(v, "event delivery into trapped memory");
	}
	if (code & SVM_NPF_GUEST_TABLE) {
		/* The guest's own page-table walk reached a trapped or hidden page:
		 * its page tables point at devices or at the hypervisor. */
		log_warn("vcpu %u: guest page walk touched trapped page 0x%lx at rip 0x%lx: #GP",
			 v->index, (unsigned long)gpa, (unsigned long)v->regs.rip);
		vcpu_inject_exception(v, X86_EXC_GP, true, 0);
		return;
	}
	hv_exit_mmio(v, gpa);
}

/* Delivers a queued event at the next VMRUN (APM Vol. 2 §15.20): an NMI the host
 * took for the guest first, else an exception. */
static void inject_event(struct vcpu *v, struct vmcb *vmcb)
{
	if (vmcb->control.event_inj & SVM_EVTINJ_VALID)
		return; /* an interrupted delivery goes first (exit_npf) */
	if (v->nmi_pending) {
		v->nmi_pending = false;
		vmcb->control.event_inj = 2 | SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_NMI;
		return;
	}
	if (v->event.pending) {
		uint64_t e = v->event.vector | SVM_EVTINJ_VALID | SVM_EVTINJ_TYPE_EXCEPTION;
		if (v->event.has_error)
			e |= SVM_EVTINJ_ERROR_VALID | ((uint64_t)v->event.error << 32);
		vmcb->control.event_inj = e;
		if (v->event.set_cr2)
			vmcb->save.cr2 = v->event.cr2;
		v->event.pending = false;
	}
}

void svm_handle_exit(struct vcpu *v)
{
	struct svm_vcpu *s = v->arch;
	struct vmcb *vmcb = s->vmcb;
	uint32_t code = (uint32_t)vmcb->control.exit_code;

	hv_check_panic();
	v->exits++;
	/* What the last entry injected was delivered, or its delivery was cut
	 * short and sits in EXITINTINFO (APM Vol. 2 §15.7.2). */
	vmcb->control.event_inj = 0;
	load_regs(v, vmcb);
	switch (code) {
	case SVM_EXIT_CPUID:
		hv_exit_cpuid(v);
		break;
	case SVM_EXIT_IOIO:
		exit_ioio(v, vmcb);
		break;
	case SVM_EXIT_NPF:
		exit_npf(v, vmcb);
		break;
	case SVM_EXIT_MSR:
		exit_msr(v, vmcb);
		break;
	case SVM_EXIT_INIT:
		svm_exit_init(v, vmcb);
		break;
	case SVM_EXIT_NMI:
		svm_exit_nmi(v, vmcb);
		break;
	case SVM_EXIT_VMMCALL:
		hv_exit_hypercall(v);
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
		hv_exit_triple_fault(v, "shutdown (triple fault)");
	case SVM_EXIT_INVALID:
		panic("VMRUN failed: invalid guest state (rip 0x%lx cr0 0x%lx cr4 0x%lx efer 0x%lx)",
		      (unsigned long)vmcb->save.rip, (unsigned long)vmcb->save.cr0,
		      (unsigned long)vmcb->save.cr4, (unsigned long)vmcb->save.efer);
	default:
		panic("unexpected SVM exit 0x%x (info1 0x%lx info2 0x%lx) at rip 0x%lx", code,
		      (unsigned long)vmcb->control.exit_info1,
		      (unsigned long)vmcb->control.exit_info2, (unsigned long)vmcb->save.rip);
	}
	hv_before_entry(v);
	while (v->state == VCPU_STOPPED) {
		hv_check_panic();
		__asm__ volatile("pause");
	}
	store_regs(v, vmcb);
	inject_event(v, vmcb);
	vmcb->control.tlb_control = 0;
	uint64_t gen = guest_map_generation();
	if (gen != s->npt_generation) {
		s->npt_generation = gen;
		vmcb->control.tlb_control = SVM_TLB_CONTROL_FLUSH_ALL;
	}
}
