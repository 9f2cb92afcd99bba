/* SPDX-License-Identifier: GPL-2.0-only */
/* A real INIT on SVM (hv/rejoin.h). The INIT intercept exits, but the INIT
 * stays pending while GIF is clear (AMD APM Vol. 2 §15.13.2) and resets the
 * CPU at the next STGI, wherever that is: so it is let in here, where nothing
 * is locked and the vCPU is already marked waiting for a SIPI. */
#include "hv/exit/exit_tail.h"
#include "hv/exit/reset.h"
#include "hv/rejoin.h"
#include "hv/vendor.h"
#include "hv/x86/arch.h"
#include "svm/svm.h"

/* The #VMEXIT writes its exit code to the VMCB (APM Vol. 2 §15.6); QEMU then
 * resets the CPU before the host runs. So an INIT exit code still in the VMCB
 * is an INIT the host never saw: the host overwrites it whenever it handles
 * one (here, or back through the trampoline). */
#define EXIT_CODE_HANDLED SVM_EXIT_INVALID

bool svm_real_init_unseen(struct vcpu *v)
{
	return v->arch &&
	       __atomic_load_n(&vmcb_of(v)->control.exit_code, __ATOMIC_ACQUIRE) == SVM_EXIT_INIT;
}

void svm_exit_real_init(struct vcpu *v)
{
	vmcb_of(v)->control.exit_code = EXIT_CODE_HANDLED;
	if (hv_real_init_begin(v)) {
		/* GIF set: the held INIT resets the CPU at this boundary. */
		__asm__ volatile("stgi; nop; clgi" ::: "memory");
		hv_real_init_missed(v);
	}
	hv_exit_init(v);
}

/* Back in the host with the host's GDT, IDT and page tables: SVM as at the
 * take-over (svm_start_cpu: EFER.SVME, VM_HSAVE_PA, the host's VMSAVE area;
 * INIT cleared them: APM Vol. 2 §15.30.4), then the vCPU's SIPI (recorded by
 * its sender) and the guest. */
void svm_rejoin(struct vcpu *v, uint64_t stack_top)
{
	struct svm_vcpu *s = v->arch;
	wrmsr(MSR_IA32_EFER, rdmsr(MSR_IA32_EFER) | X86_EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, (uint64_t)s->host_save);
	__asm__ volatile("vmsave %%rax" ::"a"(v->host_state_pa) : "memory");
	__asm__ volatile("clgi" ::: "memory"); /* the host runs with GIF clear */
	__atomic_store_n(&vmcb_of(v)->control.exit_code, EXIT_CODE_HANDLED, __ATOMIC_RELEASE);
	hv_exit_init(v);
	hv_exit_finish(v, &svm_vendor);
	svm_enter(v, stack_top);
}
