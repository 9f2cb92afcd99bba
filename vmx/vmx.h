/* SPDX-License-Identifier: GPL-2.0-only */
/* Intel VMX backend: what its files share. */
#ifndef VMX_VMX_H
#define VMX_VMX_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/exit/event.h"
#include "hv/exit/task_switch.h"
#include "hv/vcpu.h"
#include "hv/x86/task_switch.h"
#include "vmx/vmcs_fields.h"

/* What the capability MSRs allow, decided once on the BSP (vmx.c). */
struct vmx_config {
	uint32_t revision;
	uint32_t pin, proc, proc2, exit, entry; /* controls every vCPU starts with */
	bool virtual_nmis;			/* and with them NMI-window exiting */
	bool vpid;
	bool ins_outs_info; /* IA32_VMX_BASIC[54]: instruction information for INS/OUTS */
	uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	uint64_t ept_vpid_cap;
};
extern struct vmx_config vmx_cfg;

struct vmx_vcpu {
	void *vmxon_region;
	void *vmcs;
	uint64_t cr0_mask;	/* CR0 bits the guest sees through the read shadow */
	uint64_t exit_rsp, exit_rflags; /* at the exit: stored back only if changed */
};

/* VMREAD / VMWRITE on the current VMCS (Vol. 3C §31.3, instruction pages). In
 * AT&T order: vmread FIELD, DEST; vmwrite VALUE, FIELD. A VMfail sets CF
 * (VMfailInvalid) or ZF (VMfailValid): one branch on "below or equal" here,
 * the report out of line (vmx_vmread_failed, vmx_vmwrite_failed in vmcs.c),
 * with the field's encoding and the VM-instruction error. Never a guest's
 * doing: a hypervisor bug, or a field this CPU lacks. */
void vmx_vmread_failed(uint32_t field);
void vmx_vmwrite_failed(uint32_t field, uint64_t value);

static inline uint64_t vmread(uint32_t field)
{
	uint64_t v;
	bool fail;
	__asm__ volatile("vmread %2, %0" : "=r"(v), "=@ccbe"(fail) : "r"((uint64_t)field));
	if (__builtin_expect(fail, 0)) {
		vmx_vmread_failed(field);
		return 0;
	}
	return v;
}

static inline void vmwrite(uint32_t field, uint64_t value)
{
	bool fail;
	__asm__ volatile("vmwrite %1, %2"
			 : "=@ccbe"(fail)
			 : "r"(value), "r"((uint64_t)field)
			 : "memory");
	if (__builtin_expect(fail, 0))
		vmx_vmwrite_failed(field, value);
}

/* vmx.c */
void vmx_flush_guest_tlb(void);
/* vmcs.c: guest state from the running CPU; host state for the exits. */
void vmcs_capture_guest(struct vcpu *v, uint64_t cr0, uint64_t cr4);
struct host_cpu;
void vmcs_write_host(const struct host_cpu *hc, uint64_t host_rsp);
void vmx_write_cr0(struct vcpu *v, uint64_t value);
uint64_t vmx_guest_cr0(void);
uint64_t vmx_guest_cr4(void);
bool vmx_load_pdptes(uint64_t cr3);
/* Guest segment i in the VMCS's field order: ES ... GS, then LDTR, TR. */
#define VMCS_LDTR 6
#define VMCS_TR 7
void vmx_read_seg(struct x86_segment *d, unsigned i);
void vmx_write_seg(unsigned i, const struct x86_segment *s);
/* run.S */
_Noreturn void vmx_enter(struct vcpu *v, uint64_t host_stack_top);
void vmx_exit_entry(void);
/* exit.c, called by run.S after every VM exit, and on a failed entry */
void vmx_handle_exit(struct vcpu *v);
_Noreturn void vmx_entry_failed(struct vcpu *v, uint64_t rflags);
void vmx_dump_guest(struct vcpu *v);
/* exit.c: the vendor hooks of hv/vendor.h */
void vmx_load_full_state(struct vcpu *v);
void vmx_load_code_state(struct vcpu *v, struct x86_code_state *cs);
void vmx_store_regs(struct vcpu *v, bool completed);
void vmx_write_cr2(struct vcpu *v, uint64_t cr2);
bool vmx_nmi_blocked(struct vcpu *v);
void vmx_inject(struct vcpu *v, const struct hv_event *e);
void vmx_nmi_window(struct vcpu *v, bool want);
uint64_t vmx_nested_generation(void);
void vmx_flush_nested_tlb(struct vcpu *v);
void vmx_host_nmi(struct vcpu *v);
/* task_state.c: the task-switch hooks of hv/vendor.h */
void vmx_load_task_state(struct vcpu *v, struct x86_task_sys *s);
void vmx_write_task_state(struct vcpu *v, const struct x86_task_sys *s, enum hv_nmi_change nmi);
/* init_sipi.c */
struct hv_reset_state;
void vmx_write_reset_state(struct vcpu *v, const struct hv_reset_state *s);

#endif
