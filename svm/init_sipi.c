/* INIT and SIPI on SVM. SVM has no wait-for-SIPI state: the INIT intercept
 * brings the CPU to the host, which waits there for the SIPI (caught at the
 * sender, hv/ipi.h) and then loads the state a real CPU has after INIT and SIPI:
 * real mode at vector:0000 (Intel SDM Vol. 3A §10.1.1, Table 10-1; AMD APM Vol. 2
 * §14.1.3). */
#include "hv/cpu.h"
#include "hv/ipi.h"
#include "hv/string.h"
#include "svm/permission_maps.h"
#include "svm/svm.h"

/* VMCB segment attributes (descriptor bits 40-47): present, S, type. */
#define ATTR_CODE16 0x9B  /* execute/read, accessed */
#define ATTR_DATA16 0x93  /* read/write, accessed */
#define ATTR_LDT 0x82
#define ATTR_TSS_BUSY 0x8B
#define RESET_PAT 0x0007040600070406ull
#define RESET_CR0 0x60000010ull /* CD, NW, ET */

static void real_seg(struct vmcb_seg *s, uint16_t selector, uint16_t attrib)
{
	*s = (struct vmcb_seg){ .selector = selector, .attrib = attrib, .limit = 0xFFFF,
				.base = (uint64_t)selector << 4 };
}

/* An intercepted NMI is still pending (AMD APM Vol. 2 §15.21.2; QEMU likewise):
 * opening GIF for a moment lets the host's NMI handler take it (hv/host.c marks
 * nmi_pending). Then it is either the INIT some CPU sent us, or the guest's. */
void svm_exit_nmi(struct vcpu *v, struct vmcb *vmcb)
{
	__asm__ volatile("stgi; clgi" ::: "memory");
	if (__atomic_load_n(&v->init_pending, __ATOMIC_ACQUIRE)) {
		v->nmi_pending = false;
		svm_exit_init(v, vmcb);
	}
}

void svm_exit_init(struct vcpu *v, struct vmcb *vmcb)
{
	uint8_t vector = hv_wait_for_sipi(v);
	struct vmcb_save *g = &vmcb->save;

	real_seg(&g->cs, (uint16_t)(vector << 8), ATTR_CODE16);
	real_seg(&g->ds, 0, ATTR_DATA16);
	real_seg(&g->es, 0, ATTR_DATA16);
	real_seg(&g->ss, 0, ATTR_DATA16);
	real_seg(&g->fs, 0, ATTR_DATA16);
	real_seg(&g->gs, 0, ATTR_DATA16);
	real_seg(&g->ldtr, 0, ATTR_LDT);
	real_seg(&g->tr, 0, ATTR_TSS_BUSY);
	g->gdtr = (struct vmcb_seg){ .limit = 0xFFFF };
	g->idtr = (struct vmcb_seg){ .limit = 0xFFFF };
	g->cpl = 0;
	g->efer = EFER_SVME; /* the guest sees 0 */
	g->cr0 = RESET_CR0;
	g->cr2 = g->cr3 = g->cr4 = 0;
	g->dr6 = 0xFFFF0FF0;
	g->dr7 = 0x400;
	g->g_pat = RESET_PAT;
	vmcb->control.event_inj = 0;
	vmcb->control.int_state = 0;
	vmcb->control.tlb_control = SVM_TLB_CONTROL_FLUSH_ALL;

	/* General registers: zero, but EDX holds the processor signature. The
	 * common exit path writes RAX, RSP, RIP and RFLAGS back from these. */
	memset(v->regs.gpr, 0, sizeof(v->regs.gpr));
	v->regs.gpr[X86_RDX] = cpuid(1, 0).eax;
	v->regs.rip = 0;
	v->regs.rflags = 0x2;
	v->event.pending = false;
}
