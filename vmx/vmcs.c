/* SPDX-License-Identifier: GPL-2.0-only */
/* The VMCS guest-state and host-state areas (SDM Vol. 3C §25.4, §25.5): the
 * guest continues exactly where this CPU is, with the firmware's segments,
 * descriptor tables, control registers and MSRs, and the registers the take-over
 * recorded in struct vcpu; the host is the hypervisor's own environment
 * (hv/host.c). Also the guest CR0 writes the hypervisor completes. */
#include "hv/mem/pdpte.h"
#include "hv/cpu.h"
#include "hv/console/console.h"
#include "hv/host.h"
#include "hv/x86/segment.h"
#include "vmx/vmx.h"

/* VMX access rights (§25.4.1): present, system type 11 (busy 64-bit TSS). */
#define AR_TSS64_BUSY (X86_SEG_P | 0xB)

static uint16_t read_sel(int which)
{
	uint16_t s = 0;
	switch (which) {
	case X86_ES: __asm__ volatile("mov %%es, %0" : "=r"(s)); break;
	case X86_CS: __asm__ volatile("mov %%cs, %0" : "=r"(s)); break;
	case X86_SS: __asm__ volatile("mov %%ss, %0" : "=r"(s)); break;
	case X86_DS: __asm__ volatile("mov %%ds, %0" : "=r"(s)); break;
	case X86_FS: __asm__ volatile("mov %%fs, %0" : "=r"(s)); break;
	case X86_GS: __asm__ volatile("mov %%gs, %0" : "=r"(s)); break;
	case 6: __asm__ volatile("sldt %0" : "=r"(s)); break;
	default: __asm__ volatile("str %0" : "=r"(s)); break;
	}
	return s;
}

/* The firmware's segment, as its GDT describes it (hv/x86/segment.c). */
static void capture_segment(unsigned index, uint16_t sel, const struct dtr *gdtr, bool ia32e)
{
	struct x86_segment s;

	x86_segment_from_gdt(&s, sel, (const uint64_t *)gdtr->base, gdtr->limit, ia32e);
	vmwrite(GUEST_ES_SELECTOR + 2 * index, s.selector);
	vmwrite(GUEST_ES_BASE + 2 * index, s.base);
	vmwrite(GUEST_ES_LIMIT + 2 * index, s.limit);
	vmwrite(GUEST_ES_AR + 2 * index, s.attr);
}

/* cr0 and cr4 are the values the guest had (and keeps seeing); the CPU now runs
 * with the VMX fixed bits added (vmx.c). */
void vmcs_capture_guest(struct vcpu *v, uint64_t cr0, uint64_t cr4)
{
	struct dtr gdtr, idtr;
	uint64_t efer = rdmsr(MSR_IA32_EFER), dr7;
	bool ia32e = efer & X86_EFER_LMA;

	read_gdtr(&gdtr);
	read_idtr(&idtr);
	for (unsigned i = 0; i < 8; i++)
		capture_segment(i, read_sel(i), &gdtr, ia32e);
	/* FS and GS bases live in MSRs in IA-32e mode (Vol. 3A §3.4.4). */
	vmwrite(GUEST_ES_BASE + 2 * X86_FS, rdmsr(MSR_IA32_FS_BASE));
	vmwrite(GUEST_ES_BASE + 2 * X86_GS, rdmsr(MSR_IA32_GS_BASE));
	/* Firmware may leave TR = 0 (OVMF does), but VM entry wants a usable
	 * busy TSS (§27.3.1.2): an empty one, as after reset. */
	if (vmread(GUEST_TR_AR) & X86_SEG_UNUSABLE) {
		vmwrite(GUEST_TR_BASE, 0);
		vmwrite(GUEST_TR_LIMIT, 0xFFFF);
		vmwrite(GUEST_TR_AR, AR_TSS64_BUSY);
	}
	vmwrite(GUEST_GDTR_BASE, gdtr.base);
	vmwrite(GUEST_GDTR_LIMIT, gdtr.limit);
	vmwrite(GUEST_IDTR_BASE, idtr.base);
	vmwrite(GUEST_IDTR_LIMIT, idtr.limit);

	vmwrite(GUEST_CR0, read_cr0());
	vmwrite(CR0_READ_SHADOW, cr0);
	vmwrite(GUEST_CR3, read_cr3());
	vmwrite(GUEST_CR4, read_cr4());
	vmwrite(CR4_READ_SHADOW, cr4);
	__asm__ volatile("mov %%dr7, %0" : "=r"(dr7));
	vmwrite(GUEST_DR7, dr7);
	vmwrite(GUEST_IA32_DEBUGCTL, rdmsr(MSR_IA32_DEBUGCTL));
	vmwrite(GUEST_IA32_EFER, efer);
	vmwrite(GUEST_IA32_PAT, rdmsr(MSR_IA32_PAT));
	vmwrite(GUEST_SYSENTER_CS, rdmsr(MSR_IA32_SYSENTER_CS));
	vmwrite(GUEST_SYSENTER_ESP, rdmsr(MSR_IA32_SYSENTER_ESP));
	vmwrite(GUEST_SYSENTER_EIP, rdmsr(MSR_IA32_SYSENTER_EIP));
	if (ia32e)
		vmwrite(ENTRY_CONTROLS, vmread(ENTRY_CONTROLS) | ENTRY_IA32E_MODE_GUEST);

	vmwrite(GUEST_RIP, v->regs.rip);
	vmwrite(GUEST_RSP, v->regs.gpr[X86_RSP]);
	vmwrite(GUEST_RFLAGS, v->regs.rflags | X86_RFLAGS_FIXED1);
	/* Non-register state (§25.4.2): active, nothing blocked or pending; no
	 * shadow VMCS (link pointer all ones, §27.3.1.5). */
	vmwrite(GUEST_INTERRUPTIBILITY, 0);
	vmwrite(GUEST_ACTIVITY_STATE, ACTIVITY_ACTIVE);
	vmwrite(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmwrite(VMCS_LINK_POINTER, ~0ull);
	if ((cr0 & X86_CR0_PG) && (cr4 & X86_CR4_PAE) && !ia32e &&
	    !vmx_load_pdptes(vmread(GUEST_CR3)))
		log_warn("vmx: the firmware's PAE PDPTEs are not valid");
}

/* The host state every VM exit loads (§25.5, §28.5): the hypervisor's GDT,
 * TSS, IDT and page tables, which host_cpu_load has just made current. */
void vmcs_write_host(const struct host_cpu *hc, uint64_t host_rsp)
{
	struct dtr gdtr, idtr;
	read_gdtr(&gdtr);
	read_idtr(&idtr);
	vmwrite(HOST_CR0, read_cr0());
	vmwrite(HOST_CR3, read_cr3());
	vmwrite(HOST_CR4, read_cr4());
	vmwrite(HOST_CS_SELECTOR, HOST_CS);
	vmwrite(HOST_SS_SELECTOR, HOST_DS);
	vmwrite(HOST_DS_SELECTOR, HOST_DS);
	vmwrite(HOST_ES_SELECTOR, HOST_DS);
	vmwrite(HOST_FS_SELECTOR, HOST_DS);
	vmwrite(HOST_GS_SELECTOR, HOST_DS);
	vmwrite(HOST_TR_SELECTOR, HOST_TR);
	vmwrite(HOST_FS_BASE, 0);
	vmwrite(HOST_GS_BASE, 0);
	vmwrite(HOST_TR_BASE, (uint64_t)&hc->tss);
	vmwrite(HOST_GDTR_BASE, gdtr.base);
	vmwrite(HOST_IDTR_BASE, idtr.base);
	vmwrite(HOST_SYSENTER_CS, 0);
	vmwrite(HOST_SYSENTER_ESP, 0);
	vmwrite(HOST_SYSENTER_EIP, 0);
	vmwrite(HOST_IA32_EFER, rdmsr(MSR_IA32_EFER));
	vmwrite(HOST_IA32_PAT, rdmsr(MSR_IA32_PAT));
	vmwrite(HOST_RSP, host_rsp);
	vmwrite(HOST_RIP, (uint64_t)vmx_exit_entry);
}

/* The CR0 and CR4 the guest believes it has: the read shadow for the bits the
 * hypervisor owns, the real register for the rest (§25.6.6). */
uint64_t vmx_guest_cr0(void)
{
	uint64_t mask = vmread(CR0_GUEST_HOST_MASK);
	return (vmread(GUEST_CR0) & ~mask) | (vmread(CR0_READ_SHADOW) & mask);
}

void vmx_read_seg(struct x86_segment *d, unsigned i)
{
	d->selector = (uint16_t)vmread(GUEST_ES_SELECTOR + 2 * i);
	d->base = vmread(GUEST_ES_BASE + 2 * i);
	d->limit = (uint32_t)vmread(GUEST_ES_LIMIT + 2 * i);
	d->attr = (uint32_t)vmread(GUEST_ES_AR + 2 * i);
}

void vmx_write_seg(unsigned i, const struct x86_segment *s)
{
	vmwrite(GUEST_ES_SELECTOR + 2 * i, s->selector);
	vmwrite(GUEST_ES_BASE + 2 * i, s->base);
	vmwrite(GUEST_ES_LIMIT + 2 * i, s->limit);
	vmwrite(GUEST_ES_AR + 2 * i, s->attr);
}

uint64_t vmx_guest_cr4(void)
{
	uint64_t mask = vmread(CR4_GUEST_HOST_MASK);
	return (vmread(GUEST_CR4) & ~mask) | (vmread(CR4_READ_SHADOW) & mask);
}

/* With EPT and PAE paging the CPU keeps the four PDPTEs in the VMCS
 * (§27.3.2.4, §28.3.4); when the hypervisor performs a MOV to CR0 or CR3 that
 * loads them (Vol. 3A §4.4.1) it loads them here. False, with nothing
 * changed, where the MOV must #GP instead (hv/mem/pdpte.h): VM entry would fail
 * on them. */
bool vmx_load_pdptes(uint64_t cr3)
{
	uint64_t p[4];
	if (!hv_read_pdptes(cr3, p))
		return false;
	for (unsigned i = 0; i < 4; i++)
		vmwrite(GUEST_PDPTE0 + 2 * i, p[i]);
	return true;
}

/* A guest MOV to CR0 (or LMSW/CLTS) that touched a bit the hypervisor owns
 * (CR0.NE where VMX needs it set): the guest sees value, the CPU runs with the
 * fixed bits. Paging on or off with EFER.LME moves EFER.LMA and the "IA-32e
 * mode guest" control, as the instruction would have (Vol. 3A §10.8.5). The
 * caller has done the #GP checks. */
void vmx_write_cr0(struct vcpu *v, uint64_t value)
{
	const struct vmx_config *c = &vmx_cfg;
	uint64_t old = vmx_guest_cr0();
	uint64_t fixed0 = c->cr0_fixed0 & ~(X86_CR0_PE | X86_CR0_PG);
	uint64_t efer = vmread(GUEST_IA32_EFER);

	vmwrite(CR0_READ_SHADOW, value);
	vmwrite(GUEST_CR0, (value | fixed0) & c->cr0_fixed1);
	if ((old ^ value) & X86_CR0_PG) {
		uint32_t entry = vmread(ENTRY_CONTROLS);
		if ((value & X86_CR0_PG) && (efer & X86_EFER_LME)) {
			efer |= X86_EFER_LMA;
			entry |= ENTRY_IA32E_MODE_GUEST;
		} else if (!(value & X86_CR0_PG)) {
			efer &= ~X86_EFER_LMA;
			entry &= ~ENTRY_IA32E_MODE_GUEST;
		}
		vmwrite(GUEST_IA32_EFER, efer);
		vmwrite(ENTRY_CONTROLS, entry);
	}
	v->regs.cr0 = value;
	v->regs.efer = efer;
	vmx_flush_guest_tlb();
}

/* The VM-instruction error (§31.4) says why: 12 is "VMREAD/VMWRITE from/to
 * unsupported VMCS component", 13 "VMWRITE to read-only VMCS component". Read
 * with a raw VMREAD, not to recurse. */
static unsigned long vm_instruction_error(void)
{
	uint64_t e = 0;
	__asm__ volatile("vmread %1, %0" : "=r"(e) : "r"((uint64_t)VM_INSTRUCTION_ERROR) : "cc");
	return (unsigned long)e;
}

__attribute__((cold, noinline)) void vmx_vmread_failed(uint32_t field)
{
	log_err("VMREAD of field 0x%x failed (VM-instruction error %lu)", field,
		vm_instruction_error());
}

__attribute__((cold, noinline)) void vmx_vmwrite_failed(uint32_t field, uint64_t value)
{
	log_err("VMWRITE of 0x%lx to field 0x%x failed (VM-instruction error %lu)",
		(unsigned long)value, field, vm_instruction_error());
}
