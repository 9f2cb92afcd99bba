/* VMX exits: turn the VMCS's exit information into the common handlers' terms
 * (hv/exit.h), then write the results back. The twin of svm/exit.c. */
#include "hv/console.h"
#include "hv/cpu.h"
#include "hv/exit.h"
#include "hv/ipi.h"
#include "hv/nested_map.h"
#include "hv/panic.h"
#include "hv/x86/result.h"
#include "vmx/ept.h"
#include "vmx/vmx.h"

#define MSR_INSN_LEN 2 /* RDMSR 0F 32, WRMSR 0F 30 */
#define NMI_VECTOR 2
#define X86_CR0_TS (1ull << 3)
#define X86_CR0_NW (1ull << 29)
#define X86_CR0_CD (1ull << 30)
#define X86_CR4_OSXSAVE (1ull << 18)
#define X86_CR4_PCIDE (1ull << 17)
#define CR3_NO_FLUSH (1ull << 63) /* with CR4.PCIDE (Vol. 3A §4.10.4.1) */

/* What load_regs read, so that store_regs writes back only what changed. */
struct exit_state {
	uint64_t rip, rsp, rflags;
};

static void seg_from_vmcs(struct x86_segment *d, unsigned i)
{
	d->selector = (uint16_t)vmread(GUEST_ES_SELECTOR + 2 * i);
	d->base = vmread(GUEST_ES_BASE + 2 * i);
	d->limit = (uint32_t)vmread(GUEST_ES_LIMIT + 2 * i);
	d->attr = (uint32_t)vmread(GUEST_ES_AR + 2 * i);
}

/* The common code sees the guest through struct x86_regs (hv/x86/regs.h). RAX
 * and the other GPRs are in struct vcpu already (run.S); RSP is in the VMCS. */
static void load_regs(struct vcpu *v, struct exit_state *s)
{
	struct x86_regs *r = &v->regs;

	s->rip = r->rip = vmread(GUEST_RIP);
	s->rsp = r->gpr[X86_RSP] = vmread(GUEST_RSP);
	s->rflags = r->rflags = vmread(GUEST_RFLAGS);
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
		seg_from_vmcs(&r->seg[i], i);
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
	cs->cr3 = vmread(GUEST_CR3);
	cs->cr4 = vmread(GUEST_CR4);
	cs->efer = vmread(GUEST_IA32_EFER);
	cs->cs_attr = (uint32_t)vmread(GUEST_ES_AR + 2 * X86_CS);
}

static void store_regs(struct vcpu *v, const struct exit_state *s)
{
	const struct x86_regs *r = &v->regs;
	if (r->rip != s->rip) {
		vmwrite(GUEST_RIP, r->rip);
		/* The instruction completed: the STI / MOV SS shadow it sat in is
		 * over (§25.4.2; Vol. 3C §31.7.1.2 on emulated instructions). */
		uint64_t intr = vmread(GUEST_INTERRUPTIBILITY);
		if (intr & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS))
			vmwrite(GUEST_INTERRUPTIBILITY,
				intr & ~(uint64_t)(INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS));
	}
	if (r->gpr[X86_RSP] != s->rsp)
		vmwrite(GUEST_RSP, r->gpr[X86_RSP]);
	if (r->rflags != s->rflags)
		vmwrite(GUEST_RFLAGS, r->rflags);
}

static uint64_t next_rip(const struct vcpu *v)
{
	/* Valid for exits caused by instructions (§28.2.5). */
	return v->regs.rip + vmread(EXIT_INSTRUCTION_LENGTH);
}

static void exit_io(struct vcpu *v)
{
	uint64_t q = vmread(EXIT_QUALIFICATION);
	struct hv_port_access a = {
		.port = IO_QUAL_PORT(q),
		.size = IO_QUAL_SIZE(q),
		.in = q & IO_QUAL_IN,
		.string = q & IO_QUAL_STRING,
		.rep = q & IO_QUAL_REP,
		.next_rip = next_rip(v),
	};
	/* INS/OUTS: the instruction-information field's bits 9:7 give the
	 * address size (0: 16, 1: 32, 2: 64 bits) when IA32_VMX_BASIC[54] says
	 * it is filled in (§28.2.5); the common code decodes the rest. */
	if (a.string && vmx_cfg.ins_outs_info) {
		unsigned as = (vmread(EXIT_INSTRUCTION_INFO) >> 7) & 7;
		a.addr_size = as == 0 ? 2 : as == 1 ? 4 : as == 2 ? 8 : 0;
	}
	hv_exit_port(v, &a);
}

static void send_x2apic_icr(uint64_t icr)
{
	wrmsr(MSR_X2APIC_ICR_MSR, icr);
}

/* The MSRs of the MSR bitmap (bitmaps.c), and every MSR outside its ranges:
 * Intel defines none there, so #GP, as the CPU would give. */
static void exit_msr(struct vcpu *v, bool write)
{
	uint64_t *g = v->regs.gpr;
	uint32_t msr = (uint32_t)g[X86_RCX];
	uint64_t value = (g[X86_RDX] << 32) | (uint32_t)g[X86_RAX];

	if (write && msr == MSR_X2APIC_ICR_MSR) {
		/* Only valid in x2APIC mode; otherwise #GP, as the CPU would. */
		if (rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_X2APIC_MODE) {
			hv_icr_write(v, value, true, send_x2apic_icr);
			v->regs.rip += MSR_INSN_LEN;
		} else {
			vcpu_inject_exception(v, X86_EXC_GP, true, 0);
		}
		return;
	}
	if (msr == MSR_IA32_FEATURE_CONTROL && !write) {
		/* Locked with VMX off in and outside SMX (§24.7): what a CPU whose
		 * firmware disabled VMX reports. Writes to a locked MSR #GP. */
		value = (rdmsr(msr) | FEATURE_CONTROL_LOCK) &
			~(FEATURE_CONTROL_VMX_IN_SMX | FEATURE_CONTROL_VMX_OUTSIDE_SMX);
		g[X86_RAX] = (uint32_t)value;
		g[X86_RDX] = value >> 32;
		v->regs.rip += MSR_INSN_LEN;
		return;
	}
	/* IA32_VMX_* without VMX (CPUID.1:ECX[5] reads 0): #GP (Vol. 4 §2.1). */
	log_debug("vcpu %u: %s of MSR 0x%x: #GP", v->index, write ? "WRMSR" : "RDMSR", msr);
	vcpu_inject_exception(v, X86_EXC_GP, true, 0);
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
			/* The MOV to CR0 #GP conditions (Vol. 2B, MOV to CR). */
			if ((val >> 32) || ((val & X86_CR0_PG) && !(val & X86_CR0_PE)) ||
			    ((val & X86_CR0_NW) && !(val & X86_CR0_CD)) ||
			    ((val & X86_CR0_PG) && !(cr0 & X86_CR0_PG) &&
			     (v->regs.efer & X86_EFER_LME) && !(v->regs.cr4 & X86_CR4_PAE))) {
				vcpu_inject_exception(v, X86_EXC_GP, true, 0);
				return;
			}
			vmx_write_cr0(v, val);
		} else if (cr == 3) {
			if (v->regs.cr4 & X86_CR4_PCIDE)
				val &= ~CR3_NO_FLUSH;
			vmwrite(GUEST_CR3, val);
			v->regs.cr3 = val;
			if (x86_paging_mode(&v->regs) == X86_PAGING_PAE)
				vmx_load_pdptes();
			vmx_flush_guest_tlb();
		} else {
			vcpu_inject_exception(v, X86_EXC_GP, true, 0);
			return;
		}
		break;
	case CR_TYPE_MOV_FROM:
		if (cr != 3)
			panic("unexpected MOV from CR%u exit at rip 0x%lx", cr,
			      (unsigned long)v->regs.rip);
		v->regs.gpr[reg] = vmread(GUEST_CR3);
		break;
	case CR_TYPE_CLTS:
		vmx_write_cr0(v, cr0 & ~X86_CR0_TS);
		break;
	case CR_TYPE_LMSW:
		/* LMSW loads CR0 bits 3:0 but cannot clear PE (Vol. 2A, LMSW). */
		vmx_write_cr0(v, (cr0 & ~0xEull) | (CR_QUAL_LMSW_DATA(q) & 0xF));
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
	uint64_t avx512 = val & 0xE0;

	if ((uint32_t)g[X86_RCX] != 0 || !(val & 1) || (val & ~supported) ||
	    ((val & 4) && !(val & 2)) || (avx512 && (avx512 != 0xE0 || !(val & 4))) ||
	    (((val >> 3) ^ (val >> 4)) & 1) || (((val >> 17) ^ (val >> 18)) & 1)) {
		vcpu_inject_exception(v, X86_EXC_GP, true, 0);
		return;
	}
	uint64_t cr4 = read_cr4();
	if (!(cr4 & X86_CR4_OSXSAVE))
		__asm__ volatile("mov %0, %%cr4" ::"r"(cr4 | X86_CR4_OSXSAVE));
	__asm__ volatile("xsetbv" ::"c"(0), "a"((uint32_t)val), "d"((uint32_t)(val >> 32)));
	if (!(cr4 & X86_CR4_OSXSAVE))
		__asm__ volatile("mov %0, %%cr4" ::"r"(cr4));
	v->regs.rip = next_rip(v);
}

/* An access by event delivery (the guest's IDT, stack or TSS) cannot be
 * emulated as an instruction: the guest put those in device or hypervisor
 * memory, which no real machine would survive either. */
static void check_not_delivering(struct vcpu *v, uint64_t gpa)
{
	struct vmx_vcpu *x = v->arch;
	if (x->idt_vectoring & INTR_INFO_VALID) {
		log_err("vcpu %u: delivering event 0x%x touched trapped or hidden page 0x%lx",
			v->index, x->idt_vectoring, (unsigned long)gpa);
		hv_exit_triple_fault(v, "event delivery into trapped memory");
	}
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
	check_not_delivering(v, gpa);
	if ((q & EPT_QUAL_LINEAR_VALID) && !(q & EPT_QUAL_TRANSLATED)) {
		/* The guest's own page walk reached hidden memory: its page tables
		 * point at the hypervisor. */
		log_warn("vcpu %u: guest page walk touched hidden page 0x%lx at rip 0x%lx: #GP",
			 v->index, (unsigned long)gpa, (unsigned long)v->regs.rip);
		vcpu_inject_exception(v, X86_EXC_GP, true, 0);
		return;
	}
	hv_exit_mmio(v, gpa);
}

static void exit_ept_misconfig(struct vcpu *v)
{
	/* The exit's instruction length is undefined here (§28.2.5): the common
	 * code decodes the instruction (docs/emulators.md). */
	uint64_t gpa = vmread(GUEST_PHYSICAL_ADDRESS);
	check_not_delivering(v, gpa);
	hv_exit_mmio(v, gpa);
}

static void exit_exception_nmi(struct vcpu *v)
{
	uint32_t info = (uint32_t)vmread(EXIT_INTR_INFO);
	if (INTR_INFO_TYPE(info) == INTR_TYPE_NMI) {
		vmx_exit_nmi(v);
		return;
	}
	/* The exception bitmap is 0: no exception exits. */
	panic("unexpected exception exit 0x%x at rip 0x%lx", info, (unsigned long)v->regs.rip);
}

/* NMI-window exiting (§26.7.6) while an NMI waits for the guest. The host's
 * NMI handler may turn it on at any moment (vmx_host_nmi): after turning it off,
 * look at nmi_pending again, so that an NMI marked in between keeps its window. */
static void update_nmi_window(struct vcpu *v)
{
	uint32_t proc = (uint32_t)vmread(PROC_BASED_CONTROLS);
	if (v->nmi_pending) {
		if (!(proc & PROC_NMI_WINDOW_EXITING))
			vmwrite(PROC_BASED_CONTROLS, proc | PROC_NMI_WINDOW_EXITING);
	} else if (proc & PROC_NMI_WINDOW_EXITING) {
		vmwrite(PROC_BASED_CONTROLS, proc & ~PROC_NMI_WINDOW_EXITING);
		if (__atomic_load_n(&v->nmi_pending, __ATOMIC_ACQUIRE))
			vmwrite(PROC_BASED_CONTROLS, proc);
	}
}

/* An NMI the host took while this vCPU was between exit and entry belongs to
 * the guest (hv/host.c marked it): ask for an exit as soon as the guest can
 * take it, rather than whenever it next exits for another reason. */
void vmx_host_nmi(struct vcpu *v)
{
	if (v->arch && vmx_cfg.virtual_nmis)
		vmwrite(PROC_BASED_CONTROLS,
			vmread(PROC_BASED_CONTROLS) | PROC_NMI_WINDOW_EXITING);
}

/* Event injection at the next VM entry (§27.6): an exception the common code
 * raised, else the event whose delivery the exit interrupted (IDT-vectoring
 * information, §28.2.4, §31.7.1.1); then an NMI for the guest when it can take
 * one, else NMI-window exiting asks for the moment it can (§26.7.6). */
static void inject_events(struct vcpu *v, struct vmx_vcpu *x)
{
	uint32_t info = 0;

	if (v->event.pending) {
		info = v->event.vector | INTR_TYPE_HW_EXCEPTION << 8 | INTR_INFO_VALID;
		if (v->event.has_error) {
			info |= INTR_INFO_DELIVER_CODE;
			vmwrite(ENTRY_EXCEPTION_ERROR_CODE, v->event.error);
		}
		if (v->event.set_cr2)
			__asm__ volatile("mov %0, %%cr2" ::"r"(v->event.cr2));
		v->event.pending = false;
	} else if (x->idt_vectoring & INTR_INFO_VALID) {
		uint32_t t = INTR_INFO_TYPE(x->idt_vectoring);
		/* Bits 30:12 must be 0 in the entry field (bit 12 is undefined in
		 * the exit field). */
		info = x->idt_vectoring & (INTR_INFO_VALID | 0xFFF);
		if (info & INTR_INFO_DELIVER_CODE)
			vmwrite(ENTRY_EXCEPTION_ERROR_CODE, x->idt_vectoring_error);
		if (t == INTR_TYPE_SW_INTR || t == INTR_TYPE_SW_EXCEPTION ||
		    t == INTR_TYPE_PRIV_SW_EXCEPTION)
			vmwrite(ENTRY_INSTRUCTION_LENGTH, vmread(EXIT_INSTRUCTION_LENGTH));
	}
	x->idt_vectoring = 0;
	if (v->nmi_pending && !info) {
		/* Not into an STI or MOV SS shadow, nor while the guest is still in
		 * its NMI handler (§27.3.1.5). */
		uint64_t intr = vmread(GUEST_INTERRUPTIBILITY);
		if (!(intr & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS | INTERRUPTIBILITY_NMI))) {
			info = NMI_VECTOR | INTR_TYPE_NMI << 8 | INTR_INFO_VALID;
			v->nmi_pending = false;
		}
	}
	/* Without virtual NMIs a held NMI waits for the next exit. */
	if (vmx_cfg.virtual_nmis)
		update_nmi_window(v);
	vmwrite(ENTRY_INTR_INFO, info);
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

void vmx_handle_exit(struct vcpu *v)
{
	struct vmx_vcpu *x = v->arch;
	uint32_t reason = (uint32_t)vmread(EXIT_REASON);
	struct exit_state s;

	hv_check_panic();
	v->exits++;
	if (reason & EXIT_REASON_ENTRY_FAILURE) {
		/* A VM entry that failed on the guest state, after the checks of
		 * the controls (§27.8): reason 33, 34 or 41. */
		log_err("vcpu %u: VM entry failed: exit reason %u, qualification 0x%lx", v->index,
			reason & 0xFFFF, (unsigned long)vmread(EXIT_QUALIFICATION));
		vmx_dump_guest(v);
		panic("VM entry failed on CPU %u", v->index);
	}
	load_regs(v, &s);
	x->idt_vectoring = (uint32_t)vmread(IDT_VECTORING_INFO);
	if (x->idt_vectoring & INTR_INFO_VALID)
		x->idt_vectoring_error = (uint32_t)vmread(IDT_VECTORING_ERROR_CODE);

	switch (reason & 0xFFFF) {
	case EXIT_REASON_EXCEPTION_NMI:
		exit_exception_nmi(v);
		break;
	case EXIT_REASON_NMI_WINDOW:
		/* inject_events delivers the NMI and clears the window. */
		break;
	case EXIT_REASON_CPUID:
		hv_exit_cpuid(v);
		break;
	case EXIT_REASON_IO:
		exit_io(v);
		break;
	case EXIT_REASON_EPT_MISCONFIG:
		exit_ept_misconfig(v);
		break;
	case EXIT_REASON_EPT_VIOLATION:
		exit_ept_violation(v);
		break;
	case EXIT_REASON_RDMSR:
		exit_msr(v, false);
		break;
	case EXIT_REASON_WRMSR:
		exit_msr(v, true);
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
		/* INVD would drop dirty lines the guest does not own; WBINVD keeps
		 * memory coherent and is what INVD means for the guest's data. */
		__asm__ volatile("wbinvd" ::: "memory");
		v->regs.rip = next_rip(v);
		break;
	case EXIT_REASON_INIT:
		vmx_exit_init(v);
		break;
	case EXIT_REASON_SIPI:
		vmx_exit_sipi(v, (uint8_t)vmread(EXIT_QUALIFICATION));
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
		hv_exit_triple_fault(v, "triple fault");
	case EXIT_REASON_TASK_SWITCH:
		/* Only legacy 32-bit systems switch tasks; not emulated. */
		hv_exit_triple_fault(v, "task switch (not supported under iomvisor)");
	default:
		vmx_dump_guest(v);
		panic("unexpected VMX exit %u (qualification 0x%lx) at rip 0x%lx", reason,
		      (unsigned long)vmread(EXIT_QUALIFICATION), (unsigned long)v->regs.rip);
	}
	/* An INIT whose NMI the host took (hv/host.c marks NMIs taken in the host
	 * as the guest's): the same as the NMI exit would have been. */
	if (__atomic_load_n(&v->init_pending, __ATOMIC_ACQUIRE) && v->nmi_pending) {
		v->nmi_pending = false;
		vmx_exit_init(v);
	}
	hv_before_entry(v);
	while (v->state == VCPU_STOPPED) {
		hv_check_panic();
		__asm__ volatile("pause");
	}
	store_regs(v, &s);
	inject_events(v, x);
	uint64_t gen = guest_map_generation();
	if (gen != x->ept_generation) {
		x->ept_generation = gen;
		ept_invalidate();
	}
}
