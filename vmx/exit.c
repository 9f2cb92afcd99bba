/* SPDX-License-Identifier: GPL-2.0-only */
/* VMX exits: turn the VMCS's exit information into the common handlers' terms
 * (hv/exit/exit.h), and the exit tail's hooks (hv/vendor.h) that write the results
 * back. The policy is in hv/ (hv/exit/exit_tail.c, hv/exit/event.c, hv/exit/msr.c). */
#include "hv/console/console.h"
#include "hv/cpu.h"
#include "hv/exit/exit.h"
#include "hv/exit/exit_marks.h"
#include "hv/exit/exit_nested.h"
#include "hv/exit/exit_tail.h"
#include "hv/exit/msr.h"
#include "hv/mem/nested_map.h"
#include "hv/panic.h"
#include "hv/vendor.h"
#include "hv/exit/reset.h"
#include "hv/exit/stop_kick.h"
#include "hv/mem/guest_access.h"
#include "hv/x86/cr_write.h"
#include "hv/x86/result.h"
#include "vmx/ept.h"
#include "vmx/exit_decode.h"
#include "vmx/vmx.h"


/* The common code sees the guest through struct x86_regs (hv/x86/regs.h). RAX
 * and the other GPRs are in struct vcpu already (run.S); RSP is in the VMCS. */
static void load_regs(struct vcpu *v, struct vmx_vcpu *x)
{
	struct x86_regs *r = &v->regs;

	v->exit_rip = r->rip = vmread(GUEST_RIP);
	x->exit_rsp = r->gpr[X86_RSP] = vmread(GUEST_RSP);
	x->exit_rflags = r->rflags = vmread(GUEST_RFLAGS);
	/* SS.DPL is the CPL (§27.3.1.5 keeps them equal). */
	r->cpl = (vmread(GUEST_ES_AR + 2 * X86_SS) >> X86_SEG_DPL_SHIFT) & 3;
	v->full_state = false;
}

/* The rest of the guest state, when a handler asks for it (hv/vcpu.h). */
void vmx_load_full_state(struct vcpu *v)
{
	struct x86_regs *r = &v->regs;

	/* CR4.VMXE is hidden, CR0 as the guest wrote it. CR2 is not switched by
	 * VMX: the guest's value is still in the register. */
	r->cr0 = vmx_guest_cr0();
	r->cr3 = vmread(GUEST_CR3);
	r->cr4 = vmx_guest_cr4();
	__asm__ volatile("mov %%cr2, %0" : "=r"(r->cr2));
	r->efer = vmread(GUEST_IA32_EFER);
	for (unsigned i = 0; i < X86_NR_SREGS; i++)
		vmx_read_seg(&r->seg[i], i);
	vmx_read_seg(&r->tr, VMCS_TR);
	/* With PAE paging under EPT the PDPTEs are in the VMCS (§28.3.4). */
	r->pdpte_valid = x86_paging_mode(r) == X86_PAGING_PAE;
	if (r->pdpte_valid)
		for (unsigned i = 0; i < 4; i++)
			r->pdpte[i] = vmread(GUEST_PDPTE0 + 2 * i);
}

/* The MMIO fast path's share (hv/vcpu.h). CR4 as the CPU uses it, not the read
 * shadow: the fetch walks with its LA57 and SMEP. */
void vmx_load_code_state(struct vcpu *v, struct x86_code_state *cs)
{
	cs->cr0 = vmread(GUEST_CR0);
	cs->cr3 = vmread(GUEST_CR3);
	cs->cr4 = vmread(GUEST_CR4);
	cs->efer = vmread(GUEST_IA32_EFER);
	cs->cs_attr = (uint32_t)vmread(GUEST_ES_AR + 2 * X86_CS);
}

/* ---- The exit tail's hooks (hv/vendor.h) ---- */

/* Only what changed: each VMWRITE costs. */
void vmx_store_regs(struct vcpu *v, bool completed)
{
	const struct vmx_vcpu *x = v->arch;
	const struct x86_regs *r = &v->regs;

	if (r->rip != v->exit_rip)
		vmwrite(GUEST_RIP, r->rip);
	if (completed) {
		/* The STI / MOV SS shadow is over (§25.4.2; Vol. 3C §31.7.1.2 on
		 * emulated instructions). */
		uint64_t intr = vmread(GUEST_INTERRUPTIBILITY);
		if (intr & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS))
			vmwrite(GUEST_INTERRUPTIBILITY,
				intr & ~(uint64_t)(INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS));
	}
	if (r->gpr[X86_RSP] != x->exit_rsp)
		vmwrite(GUEST_RSP, r->gpr[X86_RSP]);
	if (r->rflags != x->exit_rflags)
		vmwrite(GUEST_RFLAGS, r->rflags);
}

/* CR2 is not switched by VMX: the guest's value is the register's. */
void vmx_write_cr2(struct vcpu *v, uint64_t cr2)
{
	__asm__ volatile("mov %0, %%cr2" ::"r"(cr2));
}

/* Not into an STI or MOV SS shadow, nor while the guest is still in its NMI
 * handler (§27.3.1.5 makes an NMI injection there fail the entry). */
bool vmx_nmi_blocked(struct vcpu *v)
{
	return vmread(GUEST_INTERRUPTIBILITY) &
	       (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS | INTERRUPTIBILITY_NMI);
}

/* Event injection at the next VM entry (§27.6). */
void vmx_inject(struct vcpu *v, const struct hv_event *e)
{
	if (e->has_error)
		vmwrite(ENTRY_EXCEPTION_ERROR_CODE, e->error);
	if (vmx_event_needs_length(e->type))
		vmwrite(ENTRY_INSTRUCTION_LENGTH, e->insn_len);
	vmwrite(ENTRY_INTR_INFO, vmx_event_encode(e));
}

/* NMI-window exiting (§26.7.6) while an NMI waits for the guest; without
 * virtual NMIs there is none, and a held NMI waits for the next exit. The
 * host's NMI handler may turn it on at any moment (vmx_host_nmi): after turning
 * it off, look at nmi_pending again, so that an NMI marked in between keeps
 * its window. */
void vmx_nmi_window(struct vcpu *v, bool want)
{
	if (!vmx_cfg.virtual_nmis)
		return;
	uint32_t proc = (uint32_t)vmread(PROC_BASED_CONTROLS);
	if (want) {
		if (!(proc & PROC_NMI_WINDOW_EXITING))
			vmwrite(PROC_BASED_CONTROLS, proc | PROC_NMI_WINDOW_EXITING);
	} else if (proc & PROC_NMI_WINDOW_EXITING) {
		vmwrite(PROC_BASED_CONTROLS, proc & ~PROC_NMI_WINDOW_EXITING);
		if (__atomic_load_n(&v->nmi_pending, __ATOMIC_ACQUIRE)) {
			vmwrite(PROC_BASED_CONTROLS, proc);
			v->nmi_window = true;
			vcpu_events_raise(v);
		}
	}
}

uint64_t vmx_nested_generation(void)
{
	return guest_map_generation();
}

void vmx_flush_nested_tlb(struct vcpu *v)
{
	ept_invalidate();
}

/* ---- Exits ---- */

static uint64_t next_rip(const struct vcpu *v)
{
	/* Valid for exits caused by instructions (§28.2.5). */
	return v->regs.rip + vmread(EXIT_INSTRUCTION_LENGTH);
}

static void exit_io(struct vcpu *v)
{
	uint64_t q = vmread(EXIT_QUALIFICATION);
	/* The instruction information for INS/OUTS exists when IA32_VMX_BASIC[54]
	 * says so (§28.2.5). */
	bool info = (q & IO_QUAL_STRING) && vmx_cfg.ins_outs_info;
	struct hv_port_access a;

	vmx_io_decode(q, next_rip(v), info, info ? (uint32_t)vmread(EXIT_INSTRUCTION_INFO) : 0, &a);
	hv_exit_port(v, &a);
}

/* Control-register accesses that exit (§26.1.3): MOV to CR0 changing a bit the
 * hypervisor owns, MOV to CR4 setting one (only VMXE or a bit VMX operation
 * forbids, both #GP for a CPU without VMX: the guest sees none), CR3 accesses
 * where the CPU insists on CR3-load/store exiting, CLTS and LMSW. */
static void exit_cr(struct vcpu *v)
{
	uint64_t q = vmread(EXIT_QUALIFICATION);
	unsigned cr = CR_QUAL_CR(q), reg = CR_QUAL_GPR(q);
	vcpu_full_state(v);
	uint64_t cr0 = v->regs.cr0, val;

	switch (CR_QUAL_TYPE(q)) {
	case CR_TYPE_MOV_TO:
		val = v->regs.gpr[reg];
		if (cr == 0) {
			if (x86_cr0_write_faults(&v->regs, val)) {
				hv_raise_exception(v, X86_EXC_GP, 0);
				return;
			}
			/* Entering PAE paging, or changing CD, NW or PG in it, loads
			 * the PDPTEs (Vol. 3A §4.4.1); bad ones make the MOV #GP. */
			bool pae = (val & X86_CR0_PG) && (v->regs.cr4 & X86_CR4_PAE) &&
				   !(v->regs.efer & X86_EFER_LME);
			if (pae && ((val ^ cr0) & (X86_CR0_PG | X86_CR0_CD | X86_CR0_NW)) &&
			    !vmx_load_pdptes(v->regs.cr3)) {
				hv_raise_exception(v, X86_EXC_GP, 0);
				return;
			}
			vmx_write_cr0(v, val);
		} else if (cr == 3) {
			if (x86_cr3_write_faults(&v->regs, val, guest_phys_bits(), &val) ||
			    (x86_paging_mode(&v->regs) == X86_PAGING_PAE && !vmx_load_pdptes(val))) {
				hv_raise_exception(v, X86_EXC_GP, 0);
				return;
			}
			vmwrite(GUEST_CR3, val);
			v->regs.cr3 = val;
			vmx_flush_guest_tlb();
		} else {
			hv_raise_exception(v, X86_EXC_GP, 0);
			return;
		}
		break;
	case CR_TYPE_MOV_FROM:
		if (cr != 3) { /* only CR3 reads can exit (§26.1.3) */
			hv_exit_unknown(v, "VMX MOV from CR", cr, q);
			return;
		}
		v->regs.gpr[reg] = vmread(GUEST_CR3);
		break;
	case CR_TYPE_CLTS:
		vmx_write_cr0(v, x86_clts(cr0));
		break;
	case CR_TYPE_LMSW:
		vmx_write_cr0(v, x86_lmsw(cr0, (uint16_t)CR_QUAL_LMSW_DATA(q)));
		break;
	}
	v->regs.rip = next_rip(v);
}

/* XSETBV exits unconditionally (§26.1.2): check the value as the instruction
 * would (Vol. 2C, XSETBV; Vol. 1 §13.3) and execute it; XCR0 is not switched,
 * so the guest gets it. The host needs CR4.OSXSAVE for the instruction. */
static void exit_xsetbv(struct vcpu *v)
{
	uint64_t *g = v->regs.gpr;
	uint64_t val = (g[X86_RDX] << 32) | (uint32_t)g[X86_RAX];
	struct cpuid_regs r = cpuid(0xD, 0);
	uint64_t supported = r.eax | (uint64_t)r.edx << 32;
	uint64_t avx512 = val & X86_XCR0_AVX512;
	uint64_t mpx = val & (X86_XCR0_BNDREGS | X86_XCR0_BNDCSR);
	uint64_t amx = val & (X86_XCR0_TILECFG | X86_XCR0_TILEDATA);

	/* x87 always; AVX needs SSE; AVX-512's three together and with AVX; the
	 * MPX pair and the AMX pair each both or neither. */
	if ((uint32_t)g[X86_RCX] != 0 || !(val & X86_XCR0_X87) || (val & ~supported) ||
	    ((val & X86_XCR0_AVX) && !(val & X86_XCR0_SSE)) ||
	    (avx512 && (avx512 != X86_XCR0_AVX512 || !(val & X86_XCR0_AVX))) ||
	    (mpx && mpx != (X86_XCR0_BNDREGS | X86_XCR0_BNDCSR)) ||
	    (amx && amx != (X86_XCR0_TILECFG | X86_XCR0_TILEDATA))) {
		hv_raise_exception(v, X86_EXC_GP, 0);
		return;
	}
	uint64_t cr4 = read_cr4();
	if (!(cr4 & X86_CR4_OSXSAVE))
		write_cr4(cr4 | X86_CR4_OSXSAVE);
	xsetbv(0, val);
	if (!(cr4 & X86_CR4_OSXSAVE))
		write_cr4(cr4);
	v->regs.rip = next_rip(v);
}

static void exit_ept_violation(struct vcpu *v)
{
	uint64_t q = vmread(EXIT_QUALIFICATION), gpa = vmread(GUEST_PHYSICAL_ADDRESS);

	/* A fault in IRET cleared virtual-NMI blocking: restore it before the
	 * instruction is completed or re-run (§28.2.3, §31.7.1.2). */
	if ((q & EPT_QUAL_NMI_UNBLOCKED) && vmx_cfg.virtual_nmis)
		vmwrite(GUEST_INTERRUPTIBILITY,
			vmread(GUEST_INTERRUPTIBILITY) | INTERRUPTIBILITY_NMI);
	/* Beyond the map built at start (no 1-GiB EPT pages): a device or hole
	 * the guest reaches for the first time. Its access runs again, an
	 * interrupted event delivery included (re-injected at the entry). */
	if (guest_map_on_demand(gpa))
		return;
	hv_exit_nested_fault(v, gpa,
			     (q & EPT_QUAL_LINEAR_VALID) && !(q & EPT_QUAL_TRANSLATED));
}

static void exit_ept_misconfig(struct vcpu *v)
{
	/* The exit's instruction length is undefined here (§28.2.5): the common
	 * code decodes the instruction (nested hypervisors leave it unfilled). */
	uint64_t gpa = vmread(GUEST_PHYSICAL_ADDRESS);
	hv_exit_nested_fault(v, gpa, false);
}

static void exit_exception_nmi(struct vcpu *v)
{
	uint32_t info = (uint32_t)vmread(EXIT_INTR_INFO);
	if (INTR_INFO_TYPE(info) == INTR_TYPE_NMI) {
		/* An NMI that causes a VM exit leaves NMIs blocked, as if its
		 * handler were running (§28.2.2; with virtual NMIs the guest's
		 * blocking is another matter), and no handler's IRET ends it here:
		 * the next NMI, the next INIT among them, would wait forever. */
		cpu_unblock_nmi();
		/* The exit consumed the NMI: the INIT some CPU sent us, the
		 * debug console's kick, or the guest's own, delivered at the
		 * entry (hv/exit/stop_kick.h). */
		if (!hv_nmi_for_host(v)) {
			vcpu_nmi_pend(v);
		}
		return;
	}
	/* The exception bitmap is 0: no exception exits. */
	panic("unexpected exception exit 0x%x at rip 0x%lx", info, (unsigned long)v->regs.rip);
}

/* An NMI the host took while this vCPU was between exit and entry belongs to
 * the guest (hv/host.c marked it): ask for an exit as soon as the guest can
 * take it, rather than whenever it next exits for another reason. */
void vmx_host_nmi(struct vcpu *v)
{
	if (v->arch && vmx_cfg.virtual_nmis) {
		vmwrite(PROC_BASED_CONTROLS,
			vmread(PROC_BASED_CONTROLS) | PROC_NMI_WINDOW_EXITING);
		/* The exit tail closes it once the NMI is delivered. */
		v->nmi_window = true;
		vcpu_events_raise(v);
	}
}

void vmx_dump_guest(struct vcpu *v)
{
	static const char *const names[8] = { "es", "cs", "ss", "ds", "fs", "gs", "ldtr", "tr" };
	log_err("  rip %lx rsp %lx rflags %lx cr0 %lx (shadow %lx) cr3 %lx cr4 %lx (shadow %lx)",
		(unsigned long)vmread(GUEST_RIP), (unsigned long)vmread(GUEST_RSP),
		(unsigned long)vmread(GUEST_RFLAGS), (unsigned long)vmread(GUEST_CR0),
		(unsigned long)vmread(CR0_READ_SHADOW), (unsigned long)vmread(GUEST_CR3),
		(unsigned long)vmread(GUEST_CR4), (unsigned long)vmread(CR4_READ_SHADOW));
	log_err("  efer %lx pat %lx dr7 %lx entry 0x%lx exit 0x%lx pin 0x%lx proc 0x%lx "
		"proc2 0x%lx", (unsigned long)vmread(GUEST_IA32_EFER),
		(unsigned long)vmread(GUEST_IA32_PAT), (unsigned long)vmread(GUEST_DR7),
		(unsigned long)vmread(ENTRY_CONTROLS), (unsigned long)vmread(EXIT_CONTROLS),
		(unsigned long)vmread(PIN_BASED_CONTROLS), (unsigned long)vmread(PROC_BASED_CONTROLS),
		(unsigned long)vmread(PROC_BASED_CONTROLS2));
	for (unsigned i = 0; i < 8; i++)
		log_err("  %-4s %04lx base %lx limit %lx ar %lx", names[i],
			(unsigned long)vmread(GUEST_ES_SELECTOR + 2 * i),
			(unsigned long)vmread(GUEST_ES_BASE + 2 * i),
			(unsigned long)vmread(GUEST_ES_LIMIT + 2 * i),
			(unsigned long)vmread(GUEST_ES_AR + 2 * i));
	log_err("  gdtr %lx/%lx idtr %lx/%lx interruptibility %lx activity %lx entry-intr %lx",
		(unsigned long)vmread(GUEST_GDTR_BASE), (unsigned long)vmread(GUEST_GDTR_LIMIT),
		(unsigned long)vmread(GUEST_IDTR_BASE), (unsigned long)vmread(GUEST_IDTR_LIMIT),
		(unsigned long)vmread(GUEST_INTERRUPTIBILITY),
		(unsigned long)vmread(GUEST_ACTIVITY_STATE), (unsigned long)vmread(ENTRY_INTR_INFO));
	(void)v;
}

/* VMLAUNCH/VMRESUME fell through (§31.4, "VM instruction error numbers"):
 * CF set is VMfailInvalid, ZF set VMfailValid with the error number. */
_Noreturn void vmx_entry_failed(struct vcpu *v, uint64_t rflags)
{
	log_err("vcpu %u: VM entry failed (%s), VM-instruction error %lu", v->index,
		rflags & 1 ? "VMfailInvalid" : "VMfailValid",
		rflags & 1 ? 0ul : (unsigned long)vmread(VM_INSTRUCTION_ERROR));
	vmx_dump_guest(v);
	panic("VM entry failed on CPU %u", v->index);
}

/* The exits that are not on the common path (vmx_handle_exit), out of line so
 * that the common path carries none of their registers or stack. */
static __attribute__((noinline)) void exit_other(struct vcpu *v, uint32_t reason)
{
	v->exit_kinds[vmx_exit_kind(reason & 0xFFFF)]++;
	switch (reason & 0xFFFF) {
	case EXIT_REASON_EXCEPTION_NMI:
		exit_exception_nmi(v);
		break;
	case EXIT_REASON_NMI_WINDOW:
		/* hv_deliver_events delivers the NMI and closes the window. */
		break;
	case EXIT_REASON_EPT_VIOLATION:
		exit_ept_violation(v);
		break;
	case EXIT_REASON_RDMSR:
		hv_exit_msr(v, false);
		break;
	case EXIT_REASON_WRMSR:
		hv_exit_msr(v, true);
		break;
	case EXIT_REASON_CR_ACCESS:
		exit_cr(v);
		break;
	case EXIT_REASON_VMCALL:
		hv_exit_hypercall(v);
		break;
	case EXIT_REASON_XSETBV:
		exit_xsetbv(v);
		break;
	case EXIT_REASON_INVD:
		hv_exit_invd(v, next_rip(v));
		break;
	case EXIT_REASON_INIT:
		hv_exit_init(v);
		break;
	case EXIT_REASON_SIPI:
		/* The wait-for-SIPI activity state is not used (hv/exit/reset.h), so
		 * this is not expected; it is taken as a SIPI would be. */
		log_warn("vcpu %u: unexpected SIPI exit: starting at its vector", v->index);
		hv_vcpu_reset(v, (uint8_t)vmread(EXIT_QUALIFICATION));
		break;
	case EXIT_REASON_GETSEC:
		hv_exit_refuse(v, "GETSEC");
		break;
	case EXIT_REASON_VMCLEAR:
	case EXIT_REASON_VMLAUNCH:
	case EXIT_REASON_VMPTRLD:
	case EXIT_REASON_VMPTRST:
	case EXIT_REASON_VMREAD:
	case EXIT_REASON_VMRESUME:
	case EXIT_REASON_VMWRITE:
	case EXIT_REASON_VMXOFF:
	case EXIT_REASON_VMXON:
	case EXIT_REASON_INVEPT:
	case EXIT_REASON_INVVPID:
	case EXIT_REASON_VMFUNC:
		hv_exit_refuse(v, "VMX instruction");
		break;
	case EXIT_REASON_TRIPLE_FAULT:
		hv_guest_shutdown(v, "triple fault");
	case EXIT_REASON_TASK_SWITCH: {
		/* Unconditional (§26.4.2): 32-bit systems switch tasks. */
		struct hv_task_exit t = vmx_task_switch_decode(
			vmread(EXIT_QUALIFICATION), (uint32_t)vmread(EXIT_INSTRUCTION_LENGTH));
		hv_exit_task_switch(v, &t);
		break;
	}
	default:
		hv_exit_unknown(v, "VMX", reason, vmread(EXIT_QUALIFICATION));
	}
}

void vmx_handle_exit(struct vcpu *v)
{
	struct vmx_vcpu *x = v->arch;
	uint32_t reason = (uint32_t)vmread(EXIT_REASON);

	EXIT_MARK(v->index, EXIT_MARK_ENTER);
	hv_check_panic();
	if (reason & EXIT_REASON_ENTRY_FAILURE) {
		/* A VM entry that failed on the guest state, after the checks of
		 * the controls (§27.8): reason 33, 34 or 41. */
		log_err("vcpu %u: VM entry failed: exit reason %u, qualification 0x%lx", v->index,
			reason & 0xFFFF, (unsigned long)vmread(EXIT_QUALIFICATION));
		vmx_dump_guest(v);
		/* The guest cannot go on, as a CPU that shut down (the same
		 * reasoning as SVM's refused VMRUN); never a host panic. */
		load_regs(v, x);
		hv_guest_shutdown(v, "state VM entry refused");
	}
	load_regs(v, x);
	/* The event whose delivery the exit cut short (§28.2.4), delivered again
	 * at the entry (hv/exit/event.c). */
	uint32_t idt = (uint32_t)vmread(IDT_VECTORING_INFO);
	v->interrupted.valid = false;
	if (idt & INTR_INFO_VALID) {
		uint32_t err = idt & INTR_INFO_DELIVER_CODE
				       ? (uint32_t)vmread(IDT_VECTORING_ERROR_CODE) : 0;
		v->interrupted = vmx_event_decode(idt, err);
		if (vmx_event_needs_length(v->interrupted.type))
			v->interrupted.insn_len = (uint8_t)vmread(EXIT_INSTRUCTION_LENGTH);
		vcpu_events_raise(v);
	}
	EXIT_MARK(v->index, EXIT_MARK_DECODED);

	/* The common exits first, each counted under its constant kind. */
	switch (reason & 0xFFFF) {
	case EXIT_REASON_CPUID:
		v->exit_kinds[vmx_exit_kind(EXIT_REASON_CPUID)]++;
		hv_exit_cpuid(v);
		break;
	case EXIT_REASON_IO:
		v->exit_kinds[vmx_exit_kind(EXIT_REASON_IO)]++;
		exit_io(v);
		break;
	case EXIT_REASON_EPT_MISCONFIG:
		v->exit_kinds[vmx_exit_kind(EXIT_REASON_EPT_MISCONFIG)]++;
		exit_ept_misconfig(v);
		break;
	default:
		exit_other(v, reason);
	}
	EXIT_MARK(v->index, EXIT_MARK_TAIL);
	hv_exit_finish(v, &vmx_vendor);
	EXIT_MARK(v->index, EXIT_MARK_DONE);
}
