/* SPDX-License-Identifier: GPL-2.0-only */
/* Intercepted MSRs (hv/exit/msr.h):
 *  - EFER: the hypervisor's bits (SVME) stay set underneath and invisible
 *    above (vendor_ops.write_efer, load_full_state).
 *  - x2APIC ICR writes: INIT and SIPI are caught here (hv/exit/ipi.h); #GP outside
 *    x2APIC mode, as the CPU gives (SDM Vol. 3A §11.12.1).
 *  - IA32_APIC_BASE writes: checked as the CPU checks them, and the xAPIC
 *    page's trap follows the base (hv/dev/lapic.h). Reads pass through.
 *  - The virtualization controls read as "off and locked", so the guest does
 *    not try VMX or SVM: VM_CR reads SVMDIS | LOCK and ignores writes, which a
 *    locked VM_CR does (APM Vol. 2 §15.30.1); VM_HSAVE_PA reads 0 and ignores
 *    writes; IA32_FEATURE_CONTROL reads locked without VMX in or outside SMX,
 *    what a CPU whose firmware disabled VMX reports, and writes to it #GP as
 *    to any locked one (SDM Vol. 3C §24.7).
 *  - EFER writes are checked as the CPU checks them (SDM Vol. 4, IA32_EFER;
 *    APM Vol. 2 §3.1.7): a reserved bit or a bit the CPU lacks, or LME
 *    changed while paging is on, is #GP; LMA is the CPU's and ignores writes.
 *    Unchecked, a bad value failed VMRUN or VM entry and took the host down.
 *  - HWCR (AMD): the guest may not clear INVD-to-WBINVD, so that no INVD it
 *    runs outside the intercept can drop the hypervisor's dirty lines.
 *  - The memory map (AMD): TOP_MEM, TOP_MEM2 and SYSCFG's memory-map bits say
 *    which addresses are DRAM and how the CPU reaches them, for the
 *    hypervisor as for the guest (APM Vol. 2 §7.9); SYSCFG also turns on
 *    memory encryption and the SNP RMP checks (§7.10.1, §15.36.2). Firmware
 *    sets them and an OS leaves them, so a guest's change is ignored and
 *    logged (SYSCFG's other bits are written): no guest can turn the
 *    hypervisor's memory into MMIO. Reads return the real values.
 *  - The MSRs of features the guest's CPU lacks raise #GP: the IA32_VMX_*
 *    capability MSRs, as without VMX (CPUID.1:ECX[5] reads 0: SDM Vol. 4
 *    §2.1), and Intel PT's RTIT MSRs (CPUID.(7,0):EBX[25] reads 0; PT writes
 *    to physical addresses past EPT, hv/exit/exit_cpuid.c).
 *  - PAT and DEBUGCTL do not exit on either backend, so no guest value for
 *    them passes through here: the CPU checks the guest's WRMSR itself (#GP
 *    on a reserved PAT type or bit, SDM Vol. 3A §12.12.2, APM Vol. 2 §7.8.1;
 *    on a reserved DEBUGCTL bit, SDM Vol. 3B §18.4.1, APM Vol. 2 §13.1.1.5)
 *    and only a value it accepted reaches the VMCS (saved at VM exit) or
 *    G_PAT. Intercepting either would need the same checks as EFER, as the
 *    VM-entry and VMRUN consistency checks fail on a reserved value (SDM
 *    Vol. 3C §27.3.1.1; APM Vol. 2 §15.5.1).
 *  - Everything else that exits (on SVM every MSR outside the permission
 *    map's ranges, APM Vol. 2 §15.11; on VMX those outside the bitmap's):
 *    executed for the guest, and a #GP the CPU raises goes to the guest, so
 *    it gets exactly the bare-metal answer (hv/exit/msr_safe.h). */
#include "hv/exit/msr.h"
#include "hv/console/console.h"
#include "hv/cpu.h"
#include "hv/dev/lapic.h"
#include "hv/exit/ipi.h"
#include "hv/exit/msr_intercepts.h"
#include "hv/exit/msr_safe.h"
#include "hv/vendor.h"
#include "hv/x86/arch.h"

#define MSR_INSN_LEN 2 /* RDMSR 0F 32, WRMSR 0F 30 */

/* SYSCFG bits that route memory or enable encryption and the RMP. */
#define SYSCFG_MEMORY_MAP_BITS                                                          \
	(SYSCFG_MTRR_FIX_DRAM_EN | SYSCFG_MTRR_FIX_DRAM_MOD_EN | SYSCFG_MTRR_VAR_DRAM_EN | \
	 SYSCFG_MTRR_TOM2_EN | SYSCFG_TOM2_FORCE_WB | SYSCFG_MEM_ENCRYPTION_EN |          \
	 SYSCFG_SNP_EN | SYSCFG_VMPL_EN)

static bool msr_read(struct vcpu *v, uint32_t msr, uint64_t *value)
{
	switch (msr) {
	case MSR_IA32_EFER:
		vcpu_full_state(v);
		*value = v->regs.efer;
		return true;
	case MSR_VM_CR:
		*value = VM_CR_SVMDIS | VM_CR_LOCK;
		return true;
	case MSR_VM_HSAVE_PA:
		*value = 0;
		return true;
	case MSR_IA32_FEATURE_CONTROL:
		*value = (rdmsr(MSR_IA32_FEATURE_CONTROL) | FEATURE_CONTROL_LOCK) &
			 ~(FEATURE_CONTROL_VMX_IN_SMX | FEATURE_CONTROL_VMX_OUTSIDE_SMX);
		return true;
	default:
		return !msr_of_absent_feature(msr) && msr_read_safe(msr, value);
	}
}


/* The EFER bits this CPU implements (CPUID 80000001H: EDX[11] SYSCALL,
 * EDX[29] long mode, EDX[20] NX, EDX[25] FFXSR, ECX[17] TCE). SVME is the
 * hypervisor's and hidden (CPUID says no SVM), LMSLE is left out as on every
 * CPU that no longer has it. */
static uint64_t efer_valid_bits(void)
{
	static uint64_t valid;
	static bool known;
	if (!known) {
		struct cpuid_regs r = cpuid(0x80000001, 0);
		valid = (r.edx & CPUID_80000001_EDX_SYSCALL ? X86_EFER_SCE : 0) |
			(r.edx & CPUID_80000001_EDX_LM ? X86_EFER_LME | X86_EFER_LMA : 0) |
			(r.edx & CPUID_80000001_EDX_NX ? X86_EFER_NXE : 0) |
			(r.edx & CPUID_80000001_EDX_FFXSR ? X86_EFER_FFXSR : 0) |
			(r.ecx & CPUID_80000001_ECX_TCE ? X86_EFER_TCE : 0);
		known = true;
	}
	return valid;
}

/* WRMSR EFER's #GP conditions; on success *efer is what the CPU would hold
 * (LMA kept: the CPU sets it from LME and CR0.PG). */
static bool efer_write_ok(struct vcpu *v, uint64_t *efer)
{
	vcpu_full_state(v);
	uint64_t old = v->regs.efer;
	if (*efer & ~efer_valid_bits())
		return false;
	if (((*efer ^ old) & X86_EFER_LME) && (v->regs.cr0 & X86_CR0_PG))
		return false;
	*efer = (*efer & ~X86_EFER_LMA) | (old & X86_EFER_LMA);
	return true;
}

/* WRMSR TOP_MEM, TOP_MEM2 or SYSCFG: the memory-map part stays as it is. */
static bool memory_map_write(struct vcpu *v, uint32_t msr, uint64_t value)
{
	uint64_t keep = msr == MSR_AMD_SYSCFG ? SYSCFG_MEMORY_MAP_BITS : ~0ull, now;
	if (!msr_read_safe(msr, &now))
		return msr_write_safe(msr, value); /* not on this CPU: its #GP */
	if ((value ^ now) & keep) {
		const char *name = msr == MSR_AMD_SYSCFG ? "SYSCFG"
				   : msr == MSR_AMD_TOP_MEM ? "TOP_MEM" : "TOP_MEM2";
		log_warn("vcpu %u: WRMSR %s 0x%lx ignored: the memory map stays as the "
			 "firmware set it (0x%lx)", v->index, name, (unsigned long)value,
			 (unsigned long)now);
		value = (value & ~keep) | (now & keep);
	}
	return value == now || msr_write_safe(msr, value);
}

static void send_x2apic_icr(uint64_t icr)
{
	wrmsr(MSR_X2APIC_ICR, icr);
}

static bool msr_write(struct vcpu *v, uint32_t msr, uint64_t value)
{
	switch (msr) {
	case MSR_X2APIC_ICR:
		if (!(rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_X2APIC))
			return false;
		hv_icr_write(v, value, true, send_x2apic_icr);
		return true;
	case MSR_IA32_APIC_BASE:
		return lapic_base_write(v, value);
	case MSR_IA32_EFER:
		if (!efer_write_ok(v, &value)) {
			log_warn("vcpu %u: WRMSR EFER 0x%lx refused: #GP", v->index,
				 (unsigned long)value);
			return false;
		}
		hv_vendor->write_efer(v, value);
		v->full_state = false;
		return true;
	case MSR_VM_CR:
	case MSR_VM_HSAVE_PA:
		return true;
	case MSR_AMD_HWCR:
		return msr_write_safe(msr, value | HWCR_INVD_WBINVD);
	case MSR_AMD_SYSCFG:
	case MSR_AMD_TOP_MEM:
	case MSR_AMD_TOP_MEM2:
		return memory_map_write(v, msr, value);
	default:
		return !msr_of_absent_feature(msr) && msr_write_safe(msr, value);
	}
}

void hv_exit_msr(struct vcpu *v, bool write)
{
	uint64_t *g = v->regs.gpr;
	uint32_t msr = (uint32_t)g[X86_RCX];
	uint64_t value = (g[X86_RDX] << 32) | (uint32_t)g[X86_RAX];

	if (write ? !msr_write(v, msr, value) : !msr_read(v, msr, &value)) {
		log_debug("vcpu %u: %s of MSR 0x%x: #GP", v->index, write ? "WRMSR" : "RDMSR",
			  msr);
		hv_raise_exception(v, X86_EXC_GP, 0);
		return;
	}
	if (!write) {
		g[X86_RAX] = (uint32_t)value;
		g[X86_RDX] = value >> 32;
	}
	v->regs.rip += MSR_INSN_LEN;
}
