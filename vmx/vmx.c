/* SPDX-License-Identifier: GPL-2.0-only */
/* Intel VMX backend: detection, per-CPU set-up and the take-over of a running
 * CPU (SDM Vol. 3C chapters 24-29). The twin of svm/svm.c. */
#include "hv/console/console.h"
#include "hv/cpu.h"
#include "hv/host.h"
#include "hv/mem/nested_map.h"
#include "hv/mem/pool.h"
#include "hv/string.h"
#include "hv/vendor.h"
#include "vmx/bitmaps.h"
#include "vmx/ept.h"
#include "vmx/vmx.h"

#define GUEST_VPID 1 /* any non-zero VPID: all vCPUs see one address space */

struct vmx_config vmx_cfg;

/* A control field's value: what we want, plus what the CPU requires (allowed-0
 * settings, the low half of the capability MSR), minus what it cannot do
 * (allowed-1 settings, the high half). With IA32_VMX_BASIC[55] the TRUE_* MSRs
 * give the allowed-0 settings, which lets "default1" controls such as CR3-load
 * exiting be 0 (SDM Vol. 3D §A.3-A.5). False when a needed control is missing. */
static bool adjust(const struct cpu_features *f, const char *what, uint32_t msr,
		   uint32_t true_msr, uint32_t want, uint32_t need, uint32_t *out)
{
	uint64_t cap = rdmsr(f->vmx_true_ctls ? true_msr : msr);
	uint32_t must1 = (uint32_t)cap, may1 = (uint32_t)(cap >> 32);
	uint32_t v = (want | must1) & may1;
	if ((v & need) != need) {
		log_err("vmx: %s controls lack 0x%x (allowed 0x%x): booting without the "
			"hypervisor", what, need & ~v, may1);
		return false;
	}
	*out = v;
	return true;
}

static bool configure(const struct cpu_features *f)
{
	struct vmx_config *c = &vmx_cfg;
	uint64_t basic = rdmsr(MSR_IA32_VMX_BASIC);
	c->revision = VMX_BASIC_REVISION(basic);
	c->ins_outs_info = f->vmx_ins_outs_info;
	/* The VMXON region and VMCS are one 4-KiB pool page each (App. A.1). */
	if (VMX_BASIC_SIZE(basic) > PAGE_SIZE) {
		log_err("vmx: VMCS of %lu bytes: booting without the hypervisor",
			(unsigned long)VMX_BASIC_SIZE(basic));
		return false;
	}
	if (basic & VMX_BASIC_32BIT_ADDR) {
		log_err("vmx: CPU limits VMX structures to 32-bit addresses: booting without "
			"the hypervisor");
		return false;
	}
	c->ept_vpid_cap = rdmsr(MSR_IA32_VMX_EPT_VPID_CAP);
	if (!(c->ept_vpid_cap & EPT_CAP_INVEPT) ||
	    !(c->ept_vpid_cap & (EPT_CAP_INVEPT_SINGLE | EPT_CAP_INVEPT_ALL)) || !f->vmx_ept_2m) {
		log_err("vmx: EPT without INVEPT or 2-MiB pages: booting without the hypervisor");
		return false;
	}
	c->cr0_fixed0 = rdmsr(MSR_IA32_VMX_CR0_FIXED0);
	c->cr0_fixed1 = rdmsr(MSR_IA32_VMX_CR0_FIXED1);
	c->cr4_fixed0 = rdmsr(MSR_IA32_VMX_CR4_FIXED0);
	c->cr4_fixed1 = rdmsr(MSR_IA32_VMX_CR4_FIXED1);

	/* NMIs exit: that is how an INIT reaches a virtualized CPU (hv/exit/ipi.h,
	 * init_sipi.c). Virtual NMIs let the guest's own NMIs be queued with
	 * NMI-window exiting, and leave physical NMIs unblocked in the guest
	 * (§26.3, §27.3.1.5). External interrupts go straight to the guest. */
	if (!adjust(f, "pin-based", MSR_IA32_VMX_PINBASED_CTLS, MSR_IA32_VMX_TRUE_PINBASED_CTLS,
		    PIN_NMI_EXITING | PIN_VIRTUAL_NMIS, PIN_NMI_EXITING, &c->pin))
		return false;
	c->virtual_nmis = c->pin & PIN_VIRTUAL_NMIS;
	if (!adjust(f, "processor-based", MSR_IA32_VMX_PROCBASED_CTLS,
		    MSR_IA32_VMX_TRUE_PROCBASED_CTLS,
		    PROC_USE_IO_BITMAPS | PROC_USE_MSR_BITMAPS | PROC_ACTIVATE_SECONDARY,
		    PROC_USE_IO_BITMAPS | PROC_USE_MSR_BITMAPS | PROC_ACTIVATE_SECONDARY, &c->proc))
		return false;
	if (c->virtual_nmis && !((rdmsr(f->vmx_true_ctls ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS
							: MSR_IA32_VMX_PROCBASED_CTLS) >>
				  32) & PROC_NMI_WINDOW_EXITING))
		c->virtual_nmis = false, c->pin &= ~PIN_VIRTUAL_NMIS;
	/* Instructions the guest may use only if they are enabled here (else #UD,
	 * §26.3): RDTSCP, INVPCID, XSAVES/XRSTORS, TPAUSE/UMONITOR/UMWAIT. */
	uint32_t want2 = PROC2_ENABLE_EPT | PROC2_UNRESTRICTED_GUEST | PROC2_ENABLE_VPID |
			 PROC2_ENABLE_RDTSCP | PROC2_ENABLE_INVPCID | PROC2_ENABLE_XSAVES |
			 PROC2_USER_WAIT_PAUSE;
	if (!adjust(f, "secondary", MSR_IA32_VMX_PROCBASED_CTLS2, MSR_IA32_VMX_PROCBASED_CTLS2,
		    want2, PROC2_ENABLE_EPT | PROC2_UNRESTRICTED_GUEST, &c->proc2))
		return false;
	/* VPID needs INVVPID to flush what the hypervisor changes underneath. */
	c->vpid = (c->proc2 & PROC2_ENABLE_VPID) && (c->ept_vpid_cap & VPID_CAP_INVVPID) &&
		  (c->ept_vpid_cap & (VPID_CAP_INVVPID_SINGLE | VPID_CAP_INVVPID_ALL));
	if (!c->vpid)
		c->proc2 &= ~PROC2_ENABLE_VPID;
	/* The guest keeps its own EFER, PAT and debug controls; the host runs in
	 * 64-bit mode with the EFER and PAT it had at the take-over. */
	uint32_t exit_need = EXIT_HOST_ADDR_SPACE_SIZE | EXIT_SAVE_IA32_EFER |
			     EXIT_LOAD_IA32_EFER | EXIT_SAVE_IA32_PAT | EXIT_LOAD_IA32_PAT;
	if (!adjust(f, "VM-exit", MSR_IA32_VMX_EXIT_CTLS, MSR_IA32_VMX_TRUE_EXIT_CTLS,
		    exit_need | EXIT_SAVE_DEBUG_CONTROLS, exit_need, &c->exit))
		return false;
	uint32_t entry_need = ENTRY_LOAD_IA32_EFER | ENTRY_LOAD_IA32_PAT;
	if (!adjust(f, "VM-entry", MSR_IA32_VMX_ENTRY_CTLS, MSR_IA32_VMX_TRUE_ENTRY_CTLS,
		    entry_need | ENTRY_LOAD_DEBUG_CONTROLS | ENTRY_IA32E_MODE_GUEST, entry_need,
		    &c->entry))
		return false;
	c->entry &= ~ENTRY_IA32E_MODE_GUEST; /* per vCPU, from the guest's EFER.LMA */
	return true;
}

static bool vmx_supported(const struct cpu_features *f)
{
	if (!f->vmx) {
		log_err("vmx: not available on this CPU: booting without the hypervisor");
		return false;
	}
	if (f->vmx_locked_off) {
		log_err("vmx: disabled by firmware (IA32_FEATURE_CONTROL 0x%lx locked without "
			"VMX outside SMX): booting without the hypervisor",
			(unsigned long)f->feature_control);
		return false;
	}
	if (!f->vmx_secondary || !f->vmx_ept || !f->vmx_unrestricted) {
		log_err("vmx: needs EPT and unrestricted guest (ept %s, unrestricted guest %s): "
			"booting without the hypervisor", f->vmx_ept ? "yes" : "no",
			f->vmx_unrestricted ? "yes" : "no");
		return false;
	}
	return configure(f);
}

static void vmx_global_init(const struct cpu_features *f, uint64_t top)
{
	const struct vmx_config *c = &vmx_cfg;
	log_info("vmx: controls pin 0x%x proc 0x%x proc2 0x%x exit 0x%x entry 0x%x; virtual "
		 "NMIs %s, VPID %s", c->pin, c->proc, c->proc2, c->exit, c->entry,
		 c->virtual_nmis ? "on" : "off", c->vpid ? "on" : "off");
	vmx_bitmaps_init();
	ept_init(f, top);
}

static int vmx_set_port_trap(uint16_t first, uint32_t count, bool trap)
{
	vmx_io_bitmap_set(first, count, trap);
	return 0;
}

/* IA32_FEATURE_CONTROL (Vol. 3C §24.7): VMXON outside SMX needs bit 2 and the
 * lock bit 0. Unlocked (firmware left it open), we set both; locked without
 * bit 2, VMXON would #GP. The MSR is per core, so each CPU checks its own. */
static bool enable_feature_control(unsigned cpu)
{
	uint64_t fc = rdmsr(MSR_IA32_FEATURE_CONTROL);
	if (!(fc & FEATURE_CONTROL_LOCK)) {
		fc |= FEATURE_CONTROL_LOCK | FEATURE_CONTROL_VMX_OUTSIDE_SMX;
		wrmsr(MSR_IA32_FEATURE_CONTROL, fc);
		log_debug("vmx: CPU %u: IA32_FEATURE_CONTROL set to 0x%lx", cpu, (unsigned long)fc);
	}
	if (!(fc & FEATURE_CONTROL_VMX_OUTSIDE_SMX)) {
		log_err("vmx: CPU %u: VMX locked off by firmware (IA32_FEATURE_CONTROL 0x%lx)", cpu,
			(unsigned long)fc);
		return false;
	}
	return true;
}

static bool vmxon(uint64_t pa)
{
	bool fail;
	__asm__ volatile("vmxon %1; setbe %0" : "=qm"(fail) : "m"(pa) : "cc", "memory");
	return !fail;
}

static bool vmclear_and_load(uint64_t pa)
{
	bool fail;
	__asm__ volatile("vmclear %1; setbe %0" : "=qm"(fail) : "m"(pa) : "cc", "memory");
	if (fail)
		return false;
	__asm__ volatile("vmptrld %1; setbe %0" : "=qm"(fail) : "m"(pa) : "cc", "memory");
	return !fail;
}

static void write_cr0(uint64_t v)
{
	__asm__ volatile("mov %0, %%cr0" ::"r"(v) : "memory");
}

/* INVVPID (Vol. 3C §29.4.3.3): the guest's linear and combined mappings, after
 * the hypervisor changed its paging state underneath it (INIT, emulated CR
 * writes). Without VPID every VM entry flushes them anyway. */
void vmx_flush_guest_tlb(void)
{
	if (!vmx_cfg.vpid)
		return;
	struct {
		uint64_t vpid, linear;
	} desc = { GUEST_VPID, 0 };
	uint64_t type = (vmx_cfg.ept_vpid_cap & VPID_CAP_INVVPID_SINGLE) ? INVVPID_SINGLE_CONTEXT
									 : INVVPID_ALL_CONTEXT;
	__asm__ volatile("invvpid %0, %1" ::"m"(desc), "r"(type) : "cc", "memory");
}

static void setup_controls(struct vmx_vcpu *x)
{
	const struct vmx_config *c = &vmx_cfg;
	vmwrite(PIN_BASED_CONTROLS, c->pin);
	vmwrite(PROC_BASED_CONTROLS, c->proc);
	vmwrite(PROC_BASED_CONTROLS2, c->proc2);
	vmwrite(EXIT_CONTROLS, c->exit);
	vmwrite(ENTRY_CONTROLS, c->entry);
	if (c->vpid)
		vmwrite(VMCS_VPID, GUEST_VPID);
	vmwrite(EXCEPTION_BITMAP, 0);
	vmwrite(PF_ERROR_CODE_MASK, 0);
	vmwrite(PF_ERROR_CODE_MATCH, 0);
	vmwrite(CR3_TARGET_COUNT, 0);
	vmwrite(EXIT_MSR_STORE_COUNT, 0);
	vmwrite(EXIT_MSR_LOAD_COUNT, 0);
	vmwrite(ENTRY_MSR_LOAD_COUNT, 0);
	vmwrite(ENTRY_INTR_INFO, 0);
	vmwrite(IO_BITMAP_A, vmx_io_bitmap_a_pa());
	vmwrite(IO_BITMAP_B, vmx_io_bitmap_b_pa());
	vmwrite(MSR_BITMAP, vmx_msr_bitmap_pa());
	vmwrite(EPT_POINTER, ept_pointer());
	/* CR4.VMXE is the hypervisor's: set underneath (CR4_FIXED0), 0 in the
	 * shadow, so the guest reads 0 and a write of 1 exits (§25.6.6, §26.3).
	 * Bits outside CR4_FIXED1 cannot be 1 in VMX operation: owned too. CR0:
	 * the fixed-1 bits other than PE and PG, which unrestricted guest frees
	 * (§27.3.1.1). */
	uint64_t cr0_fixed = c->cr0_fixed0 & ~(X86_CR0_PE | X86_CR0_PG);
	x->cr0_mask = (cr0_fixed | ~c->cr0_fixed1) & 0xFFFFFFFFull;
	vmwrite(CR0_GUEST_HOST_MASK, x->cr0_mask);
	vmwrite(CR4_GUEST_HOST_MASK, c->cr4_fixed0 | ~c->cr4_fixed1);
}

static int vmx_start_cpu(struct vcpu *v)
{
	const struct vmx_config *c = &vmx_cfg;
	if (!enable_feature_control(v->index))
		return -1;
	/* The vCPU record, VMXON region and VMCS. */
	void *page[3];
	struct host_cpu *hc = host_cpu_init(v->index, page, 3);
	if (!hc)
		return -1;
	struct vmx_vcpu *x = page[0];
	x->vmxon_region = page[1];
	x->vmcs = page[2];

	/* VMX operation needs the CR0/CR4 fixed bits (§24.8, App. A.7-A.8),
	 * CR4.VMXE among them; the guest keeps seeing its own values through the
	 * read shadows. Interrupts are off (hv/takeover.S). */
	uint64_t cr0 = read_cr0(), cr4 = read_cr4();
	write_cr0((cr0 | c->cr0_fixed0) & c->cr0_fixed1);
	write_cr4((cr4 | c->cr4_fixed0) & c->cr4_fixed1);
	/* Both regions start with the VMCS revision identifier (§25.2, §24.11.5). */
	*(uint32_t *)x->vmxon_region = c->revision;
	*(uint32_t *)x->vmcs = c->revision;
	if (!vmxon((uint64_t)x->vmxon_region)) {
		write_cr4(cr4);
		write_cr0(cr0);
		log_err("vmx: CPU %u: VMXON failed (already in VMX operation?)", v->index);
		return -1;
	}
	if (!vmclear_and_load((uint64_t)x->vmcs)) {
		__asm__ volatile("vmxoff" ::: "cc");
		write_cr4(cr4);
		write_cr0(cr0);
		log_err("vmx: CPU %u: VMCLEAR/VMPTRLD failed", v->index);
		return -1;
	}
	v->arch = x;
	v->ctl_pa = (uint64_t)x->vmcs;
	v->nested_generation = guest_map_generation();
	setup_controls(x);
	vmcs_capture_guest(v, cr0, cr4);
	host_cpu_load(hc);
	/* The exit path finds struct vcpu just above the host RSP (run.S). */
	*(struct vcpu **)(hc->stack_top - 8) = v;
	vmcs_write_host(hc, hc->stack_top - 16);
	ept_invalidate();
	vmx_flush_guest_tlb();
	vmx_enter(v, hc->stack_top);
}

/* WRMSR to EFER (not intercepted today: the guest owns it). LMA follows
 * CR0.PG and EFER.LME, never the write (SDM Vol. 3A §10.8.5). */
static void vmx_write_efer(struct vcpu *v, uint64_t efer)
{
	uint64_t lma = vmread(GUEST_IA32_EFER) & X86_EFER_LMA;
	vmwrite(GUEST_IA32_EFER, (efer & ~X86_EFER_LMA) | lma);
}

/* In VMX root operation the host takes interrupts when RFLAGS.IF allows:
 * STI's shadow ends at the NOP (SDM Vol. 2B, STI). */
static void vmx_accept_host_interrupts(void)
{
	__asm__ volatile("sti; nop; cli" ::: "memory");
}

/* The pending-debug-exceptions field's BS bit (SDM Vol. 3C §25.4.2, Table
 * 25-4): the entry then delivers the #DB and sets DR6 as the CPU would. */
static bool vmx_pend_single_step(struct vcpu *v)
{
	vmwrite(GUEST_PENDING_DBG_EXCEPTIONS, vmread(GUEST_PENDING_DBG_EXCEPTIONS) | X86_DR6_BS);
	return true;
}

const struct vendor_ops vmx_vendor = {
	.name = "vmx",
	.supported = vmx_supported,
	.global_init = vmx_global_init,
	.hide = guest_map_hide,
	.set_port_trap = vmx_set_port_trap,
	.set_mmio_trap = guest_map_set_trap,
	.start_cpu = vmx_start_cpu,
	.load_full_state = vmx_load_full_state,
	.load_code_state = vmx_load_code_state,
	.store_regs = vmx_store_regs,
	.write_cr2 = vmx_write_cr2,
	.nmi_blocked = vmx_nmi_blocked,
	.inject = vmx_inject,
	.nmi_window = vmx_nmi_window,
	/* VM exits leave RIP at the instruction; the entry pushes RIP plus the
	 * instruction length (§27.6.1.3), so software events are re-injected. */
	.soft_events_rerun = false,
	.nested_generation = vmx_nested_generation,
	.flush_nested_tlb = vmx_flush_nested_tlb,
	.write_reset_state = vmx_write_reset_state,
	.write_efer = vmx_write_efer,
	.host_nmi = vmx_host_nmi,
	.accept_host_interrupts = vmx_accept_host_interrupts,
	.pend_single_step = vmx_pend_single_step,
	.load_task_state = vmx_load_task_state,
	.write_task_state = vmx_write_task_state,
};
