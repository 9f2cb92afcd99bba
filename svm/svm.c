/* SPDX-License-Identifier: GPL-2.0-only */
/* AMD SVM backend: detection, per-CPU set-up and the take-over of a running CPU
 * (AMD APM Vol. 2, chapter 15). */
#include "hv/console/console.h"
#include "hv/cpu.h"
#include "hv/host.h"
#include "hv/mem/nested_map.h"
#include "hv/mem/pool.h"
#include "hv/string.h"
#include "hv/vendor.h"
#include "hv/x86/segment.h"
#include "svm/npt.h"
#include "svm/permission_maps.h"
#include "svm/svm.h"

#define GUEST_ASID 1 /* any non-zero ASID: all vCPUs see one address space */

static bool svm_supported(const struct cpu_features *f)
{
	if (!f->svm) {
		log_err("svm: not available on this CPU: booting without the hypervisor");
		return false;
	}
	if (f->svm_disabled) {
		log_err("svm: disabled by firmware (VM_CR.SVMDIS=1%s): booting without the "
			"hypervisor", f->svm_locked ? ", locked" : "");
		return false;
	}
	if (!f->svm_npt) {
		log_err("svm: no nested paging: booting without the hypervisor");
		return false;
	}
	return true;
}

static void svm_global_init(const struct cpu_features *f, uint64_t top)
{
	svm_permission_maps_init();
	npt_init(f, top);
}

static int svm_set_port_trap(uint16_t first, uint32_t count, bool trap)
{
	svm_iopm_set(first, count, trap);
	return 0;
}

/* The firmware's segment, as its GDT describes it (hv/x86/segment.c). */
static void capture_segment(struct vmcb_seg *s, uint16_t selector, const struct dtr *gdtr)
{
	struct x86_segment seg;

	x86_segment_from_gdt(&seg, selector, (const uint64_t *)gdtr->base, gdtr->limit, false);
	*s = (struct vmcb_seg){ .selector = seg.selector, .attrib = svm_seg_attr(seg.attr),
				.limit = seg.limit, .base = seg.base };
}

static uint16_t read_sel(int which)
{
	uint16_t s = 0;
	switch (which) {
	case 0: __asm__ volatile("mov %%es, %0" : "=r"(s)); break;
	case 1: __asm__ volatile("mov %%cs, %0" : "=r"(s)); break;
	case 2: __asm__ volatile("mov %%ss, %0" : "=r"(s)); break;
	default: __asm__ volatile("mov %%ds, %0" : "=r"(s)); break;
	}
	return s;
}

/* The guest continues exactly where this CPU is: the firmware's segments,
 * descriptor tables, control registers and MSRs, and the registers the take-over
 * recorded in v. VMSAVE captures the part VMRUN does not load (FS, GS, TR, LDTR,
 * syscall MSRs). */
static void capture_state(struct vmcb *vmcb, const struct vcpu *v)
{
	struct vmcb_save *g = &vmcb->save;
	struct dtr gdtr, idtr;

	__asm__ volatile("vmsave %%rax" ::"a"((uint64_t)vmcb) : "memory");
	read_gdtr(&gdtr);
	read_idtr(&idtr);
	capture_segment(&g->es, read_sel(0), &gdtr);
	capture_segment(&g->cs, read_sel(1), &gdtr);
	capture_segment(&g->ss, read_sel(2), &gdtr);
	capture_segment(&g->ds, read_sel(3), &gdtr);
	g->gdtr = (struct vmcb_seg){ .limit = gdtr.limit, .base = gdtr.base };
	g->idtr = (struct vmcb_seg){ .limit = idtr.limit, .base = idtr.base };
	g->cpl = g->cs.selector & 3;
	g->efer = rdmsr(MSR_IA32_EFER);
	g->cr0 = read_cr0();
	g->cr3 = read_cr3();
	g->cr4 = read_cr4();
	__asm__ volatile("mov %%cr2, %0" : "=r"(g->cr2));
	__asm__ volatile("mov %%dr7, %0" : "=r"(g->dr7));
	__asm__ volatile("mov %%dr6, %0" : "=r"(g->dr6));
	g->rflags = v->regs.rflags;
	g->rip = v->regs.rip;
	g->rsp = v->regs.gpr[X86_RSP];
	g->rax = v->regs.gpr[X86_RAX];
	g->g_pat = rdmsr(MSR_IA32_PAT);
}

static void setup_control(struct vmcb *vmcb)
{
	struct vmcb_control *c = &vmcb->control;
	/* NMI and INIT: how INIT reaches a virtualized CPU (hv/exit/ipi.h,
	 * svm/init_sipi.c). */
	c->intercept_misc1 = SVM_INTERCEPT_CPUID | SVM_INTERCEPT_IOIO_PROT |
			     SVM_INTERCEPT_MSR_PROT | SVM_INTERCEPT_SHUTDOWN | SVM_INTERCEPT_INIT |
			     SVM_INTERCEPT_INVD |
			     SVM_INTERCEPT_NMI;
	/* VMRUN must be intercepted (APM Vol. 2 §15.5.1, a VMRUN consistency
	 * check); the other SVM instructions are refused to the guest. */
	c->intercept_misc2 = SVM_INTERCEPT2_VMRUN | SVM_INTERCEPT2_VMMCALL |
			     SVM_INTERCEPT2_VMLOAD | SVM_INTERCEPT2_VMSAVE |
			     SVM_INTERCEPT2_STGI | SVM_INTERCEPT2_CLGI | SVM_INTERCEPT2_SKINIT;
	c->iopm_base_pa = svm_iopm_pa();
	c->msrpm_base_pa = svm_msrpm_pa();
	c->guest_asid = GUEST_ASID;
	c->tlb_control = SVM_TLB_CONTROL_FLUSH_ALL;
	c->nested_ctl = SVM_NESTED_CTL_NP_ENABLE;
	c->nested_cr3 = npt_root();
	/* int_ctl stays 0: V_INTR_MASKING off, so physical interrupts are taken
	 * by the guest through its own IDT, without an exit (§15.21.1). */
}

static int svm_start_cpu(struct vcpu *v)
{
	/* The vCPU record, VMCB, VM_HSAVE and host VMSAVE areas. */
	void *page[4];
	struct host_cpu *hc = host_cpu_init(v->index, page, 4);
	if (!hc)
		return -1;
	struct svm_vcpu *s = page[0];
	s->vmcb = page[1];
	s->host_save = page[2];
	s->host_state = page[3];
	v->arch = s;
	v->ctl_pa = (uint64_t)s->vmcb;
	v->host_state_pa = (uint64_t)s->host_state;
	v->nested_generation = guest_map_generation();

	/* Interrupts are off (hv/takeover.S). EFER.SVME enables the SVM
	 * instructions; VM_HSAVE_PA is where VMRUN keeps the host state (§15.4,
	 * §15.30.4). */
	wrmsr(MSR_IA32_EFER, rdmsr(MSR_IA32_EFER) | X86_EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, (uint64_t)s->host_save);
	setup_control(s->vmcb);
	capture_state(s->vmcb, v);
	host_cpu_load(hc);
	/* The host's FS, GS, TR (its TSS) and syscall MSRs, restored by VMLOAD
	 * after every exit (run.S). */
	__asm__ volatile("vmsave %%rax" ::"a"(v->host_state_pa) : "memory");
	svm_enter(v, hc->stack_top);
}

/* WRMSR to EFER: SVME stays set underneath (VMRUN needs it). */
static void svm_write_efer(struct vcpu *v, uint64_t efer)
{
	vmcb_of(v)->save.efer = efer | X86_EFER_SVME;
}

/* The host runs with GIF clear: an NMI reaches the host's handler only in the
 * NMI exit's own window (svm/exit.c), which then looks at nmi_pending. */
static void svm_host_nmi(struct vcpu *v)
{
}

/* The host runs with GIF clear, which holds interrupts whatever RFLAGS.IF says
 * (APM Vol. 2 §15.17): both must open. */
static void svm_accept_host_interrupts(void)
{
	__asm__ volatile("stgi; sti; nop; cli; clgi" ::: "memory");
}

/* DR6 is in the VMCB (APM Vol. 2, Table B-2); the #DB is injected. */
static bool svm_pend_single_step(struct vcpu *v)
{
	vmcb_of(v)->save.dr6 |= X86_DR6_BS;
	return false;
}

const struct vendor_ops svm_vendor = {
	.name = "svm",
	.supported = svm_supported,
	.global_init = svm_global_init,
	.hide = guest_map_hide,
	.set_port_trap = svm_set_port_trap,
	.set_mmio_trap = guest_map_set_trap,
	.start_cpu = svm_start_cpu,
	.load_full_state = svm_load_full_state,
	.load_code_state = svm_load_code_state,
	.store_regs = svm_store_regs,
	.write_cr2 = svm_write_cr2,
	.nmi_blocked = svm_nmi_blocked,
	.inject = svm_inject,
	.nmi_window = svm_nmi_window,
	/* EXITINTINFO leaves RIP at an INTn, INT3 or INTO whose delivery was cut
	 * short: the instruction runs again (and without NRIP save an injection
	 * could not push the right return address). */
	.soft_events_rerun = true,
	.nested_generation = svm_nested_generation,
	.flush_nested_tlb = svm_flush_nested_tlb,
	.write_reset_state = svm_write_reset_state,
	.write_efer = svm_write_efer,
	.host_nmi = svm_host_nmi,
	.accept_host_interrupts = svm_accept_host_interrupts,
	.rejoin = svm_rejoin,
	.real_init_unseen = svm_real_init_unseen,
	.pend_single_step = svm_pend_single_step,
	.load_task_state = svm_load_task_state,
	.write_task_state = svm_write_task_state,
};
