/* INIT and SIPI on VMX. An INIT to a virtualized CPU arrives as an NMI exit with
 * init_pending set (hv/ipi.h); a physical INIT as exit reason 3. Either way the
 * host waits, as a real CPU waits for a SIPI (caught at the sender), and then
 * loads the state a CPU has after INIT and SIPI: real mode at vector:0000 (SDM
 * Vol. 3A §10.1.1, Table 10-1), which unrestricted guest runs directly
 * (§27.3.1.1: CR0.PE and PG may be 0). The wait-for-SIPI activity state is not
 * used, so a SIPI exit (reason 4) is not expected; it is taken the same way. */
#include "hv/console.h"
#include "hv/cpu.h"
#include "hv/ipi.h"
#include "hv/string.h"
#include "vmx/vmx.h"

/* VMX access rights (§25.4.1): present, S, type. */
#define AR_CODE16 0x9B /* execute/read, accessed */
#define AR_DATA16 0x93 /* read/write, accessed */
#define AR_LDT 0x82
#define AR_TSS16_BUSY 0x8B /* type 11; a 32-bit busy TSS, valid outside IA-32e mode */
#define RESET_PAT 0x0007040600070406ull
#define RESET_CR0 0x60000010ull /* CD, NW, ET */
#define RESET_DR7 0x400ull

static void real_seg(unsigned i, uint16_t selector, uint32_t ar)
{
	vmwrite(GUEST_ES_SELECTOR + 2 * i, selector);
	vmwrite(GUEST_ES_BASE + 2 * i, (uint64_t)selector << 4);
	vmwrite(GUEST_ES_LIMIT + 2 * i, 0xFFFF);
	vmwrite(GUEST_ES_AR + 2 * i, ar);
}

/* An NMI exit: the NMI is consumed by the exit (§28.2.2), unlike on SVM. It is
 * the INIT some CPU sent us, or the guest's own, delivered at the next entry. */
void vmx_exit_nmi(struct vcpu *v)
{
	if (__atomic_load_n(&v->init_pending, __ATOMIC_ACQUIRE))
		vmx_exit_init(v);
	else
		v->nmi_pending = true;
}

static void load_start_state(struct vcpu *v, uint8_t vector)
{
	struct vmx_vcpu *x = v->arch;

	real_seg(X86_CS, (uint16_t)(vector << 8), AR_CODE16);
	real_seg(X86_DS, 0, AR_DATA16);
	real_seg(X86_ES, 0, AR_DATA16);
	real_seg(X86_SS, 0, AR_DATA16);
	real_seg(X86_FS, 0, AR_DATA16);
	real_seg(X86_GS, 0, AR_DATA16);
	real_seg(6, 0, AR_LDT);
	real_seg(7, 0, AR_TSS16_BUSY);
	vmwrite(GUEST_GDTR_BASE, 0);
	vmwrite(GUEST_GDTR_LIMIT, 0xFFFF);
	vmwrite(GUEST_IDTR_BASE, 0);
	vmwrite(GUEST_IDTR_LIMIT, 0xFFFF);

	/* EFER 0 first: vmx_write_cr0 then sees no long mode to leave. CR4 0 as
	 * the guest sees it, VMXE underneath. */
	vmwrite(GUEST_IA32_EFER, 0);
	vmwrite(ENTRY_CONTROLS, vmread(ENTRY_CONTROLS) & ~ENTRY_IA32E_MODE_GUEST);
	vmwrite(GUEST_CR3, 0);
	vmwrite(CR4_READ_SHADOW, 0);
	vmwrite(GUEST_CR4, vmx_cfg.cr4_fixed0);
	vmx_write_cr0(v, RESET_CR0);
	__asm__ volatile("mov %0, %%cr2" ::"r"(0ul));
	vmwrite(GUEST_DR7, RESET_DR7);
	vmwrite(GUEST_IA32_DEBUGCTL, 0);
	vmwrite(GUEST_IA32_PAT, RESET_PAT);
	vmwrite(GUEST_SYSENTER_CS, 0);
	vmwrite(GUEST_SYSENTER_ESP, 0);
	vmwrite(GUEST_SYSENTER_EIP, 0);
	vmwrite(GUEST_INTERRUPTIBILITY, 0);
	vmwrite(GUEST_ACTIVITY_STATE, ACTIVITY_ACTIVE);
	vmwrite(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmwrite(ENTRY_INTR_INFO, 0);
	vmx_flush_guest_tlb();

	/* Whatever was in flight belonged to the CPU before its INIT. */
	x->idt_vectoring = 0;
	v->event.pending = false;
	v->nmi_pending = false;

	/* General registers: zero, but EDX holds the processor signature. The
	 * common exit path writes RSP, RIP and RFLAGS back from these. */
	memset(v->regs.gpr, 0, sizeof(v->regs.gpr));
	v->regs.gpr[X86_RDX] = cpuid(1, 0).eax;
	v->regs.rip = 0;
	v->regs.rflags = X86_RFLAGS_FIXED1;
}

void vmx_exit_init(struct vcpu *v)
{
	load_start_state(v, hv_wait_for_sipi(v));
}

void vmx_exit_sipi(struct vcpu *v, uint8_t vector)
{
	log_warn("vcpu %u: unexpected SIPI exit (vector 0x%x): starting there", v->index, vector);
	load_start_state(v, vector);
}
