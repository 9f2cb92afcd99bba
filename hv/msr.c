/* Intercepted MSRs (hv/msr.h):
 *  - EFER: the hypervisor's bits (SVME) stay set underneath and invisible
 *    above (vendor_ops.write_efer, load_full_state).
 *  - x2APIC ICR writes: INIT and SIPI are caught here (hv/ipi.h); #GP outside
 *    x2APIC mode, as the CPU gives (SDM Vol. 3A §11.12.1).
 *  - The virtualization controls read as "off and locked", so the guest does
 *    not try VMX or SVM: VM_CR reads SVMDIS | LOCK and ignores writes, which a
 *    locked VM_CR does (APM Vol. 2 §15.30.1); VM_HSAVE_PA reads 0 and ignores
 *    writes; IA32_FEATURE_CONTROL reads locked without VMX in or outside SMX,
 *    what a CPU whose firmware disabled VMX reports, and writes to it #GP as
 *    to any locked one (SDM Vol. 3C §24.7).
 *  - Everything else that exits: the IA32_VMX_* capability MSRs (#GP without
 *    VMX, CPUID.1:ECX[5] reads 0: SDM Vol. 4 §2.1) and MSRs outside the
 *    bitmaps' ranges, where neither vendor defines any: #GP. */
#include "hv/msr.h"
#include "hv/console.h"
#include "hv/cpu.h"
#include "hv/ipi.h"
#include "hv/vendor.h"
#include "hv/x86/arch.h"

#define MSR_INSN_LEN 2 /* RDMSR 0F 32, WRMSR 0F 30 */

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
		return false;
	}
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
	case MSR_IA32_EFER:
		/* Reserved bits: the hardware judges them at the entry. */
		hv_vendor->write_efer(v, value);
		v->full_state = false;
		return true;
	case MSR_VM_CR:
	case MSR_VM_HSAVE_PA:
		return true;
	default:
		return false;
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
