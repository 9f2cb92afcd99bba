/* SPDX-License-Identifier: GPL-2.0-only */
/* Everything the common code asks of a vendor backend (svm/, vmx/): one table of
 * operations per vendor, picked once at start (hv/start.c) and reached through
 * hv_vendor. The policy (what the guest sees, which event goes first, when the
 * TLB is flushed) lives in hv/; each hook only moves values between the VMCB or
 * VMCS and vendor-neutral records. Every hook is present (none is NULL). */
#ifndef HV_VENDOR_H
#define HV_VENDOR_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/cpu_features.h"
#include "hv/exit/event.h"
#include "hv/exit/task_switch.h"
#include "hv/vcpu.h"
#include "hv/x86/task_switch.h"

struct hv_reset_state;

struct vendor_ops {
	const char *name;

	/* ---- Bring-up (hv/start.c) ---- */
	/* False (with the reason logged) when this CPU cannot run the backend:
	 * feature missing, disabled or locked off by firmware. */
	bool (*supported)(const struct cpu_features *f);
	/* Shared structures: permission bitmaps, nested page tables covering at
	 * least [0, top). Once, on the BSP. */
	void (*global_init)(const struct cpu_features *f, uint64_t top);
	/* Removes [base, base+size) from the guest's physical address space. */
	void (*hide)(uint64_t base, uint64_t size);
	/* Port and MMIO intercepts, for the IOM's hooks (iom_intercept_ops). */
	int (*set_port_trap)(uint16_t first, uint32_t count, bool trap);
	int (*set_mmio_trap)(uint64_t gpa, uint64_t size, bool trap);
	/* Takes over the calling CPU, interrupts off: enters the guest with
	 * v->regs (RIP, RSP, RFLAGS, RAX and the callee-saved registers) as
	 * hv_takeover set them, everything else as the CPU is now. Returns only
	 * on failure, with a negative value and the CPU as it was. */
	int (*start_cpu)(struct vcpu *v);

	/* ---- Guest state at an exit (hv/vcpu.h) ---- */
	/* Fills v->regs' control registers, EFER (without the hypervisor's
	 * bits: SVME, VMXE), segments and PDPTEs. Most exits never need them. */
	void (*load_full_state)(struct vcpu *v);
	/* Just CR3, CR4 (as the CPU uses it), EFER and CS's attributes, for the
	 * MMIO fast path's fetch (hv/exit/mmio_fast.c). */
	void (*load_code_state)(struct vcpu *v, struct x86_code_state *cs);

	/* ---- The exit tail (hv/exit/exit_tail.c), in this order ---- */
	/* Writes back what the exit handlers may have changed: RIP, RSP,
	 * RFLAGS (and RAX where the hardware keeps it outside the GPRs the run
	 * loop restores). completed: the instruction at the exit's RIP is done,
	 * so the STI / MOV SS shadow it sat in is over: clear it. */
	void (*store_regs)(struct vcpu *v, bool completed);
	/* The guest's CR2 takes this value before the entry (a #PF injection). */
	void (*write_cr2)(struct vcpu *v, uint64_t cr2);
	/* True when the guest cannot take an NMI at this entry: the vendor's
	 * view of NMI blocking and of the STI / MOV SS shadows (hv/exit/event.c
	 * then keeps the NMI pending). */
	bool (*nmi_blocked)(struct vcpu *v);
	/* Injects e (valid, decided by hv/exit/event.c) at the next entry. */
	void (*inject)(struct vcpu *v, const struct hv_event *e);
	/* want: an NMI waits for the guest; ask for an exit as soon as it can
	 * take one (VMX: NMI-window exiting). !want: stop asking. */
	void (*nmi_window)(struct vcpu *v, bool want);
	/* Set when the vendor leaves a software event's RIP at its instruction
	 * (it re-executes rather than being re-injected, hv/exit/event.h). */
	bool soft_events_rerun;
	/* The count of nested-paging changes that need a guest TLB flush; when
	 * it moved since this vCPU's last entry, flush_nested_tlb runs. */
	uint64_t (*nested_generation)(void);
	void (*flush_nested_tlb)(struct vcpu *v);

	/* ---- Machine state ---- */
	/* Writes the state after INIT and SIPI (hv/exit/reset.c) into the VMCB or
	 * VMCS, with the vendor's own bits added (SVME, VMXE, the entry
	 * controls), and cancels any event in flight. The GPRs, RIP and RFLAGS
	 * are in v->regs already and reach the guest through store_regs. */
	void (*write_reset_state)(struct vcpu *v, const struct hv_reset_state *s);
	/* WRMSR to EFER for the guest (hv/exit/msr.c decided it is allowed): keep the
	 * hypervisor's bits set underneath. */
	void (*write_efer)(struct vcpu *v, uint64_t efer);
	/* The host's NMI handler marked v->nmi_pending while the host ran: ask
	 * for an exit at which it can be delivered. Runs in NMI context. */
	void (*host_nmi)(struct vcpu *v);
	/* Lets the external interrupts pending at this CPU's local APIC into the
	 * host for an instant (interrupts on for one instruction boundary), for
	 * the software INIT of the APIC (hv/exit/lapic_init.h). */
	void (*accept_host_interrupts)(void);
	/* A CPU that a real INIT reset, back in the host (hv/rejoin.h): enables
	 * virtualization again, waits for its SIPI and enters the guest there,
	 * on the host stack at stack_top. NULL: a real INIT never resets it. */
	void (*rejoin)(struct vcpu *v, uint64_t stack_top);
	/* True when v's CPU took an INIT exit the host never handled: the
	 * emulator reset it at the exit (hv/rejoin.h). Read from any CPU. NULL:
	 * never. */
	bool (*real_init_unseen)(struct vcpu *v);
	/* ---- Task switches (hv/exit/task_switch.h) ---- */
	/* The state a task switch needs beyond load_full_state's: GDTR, LDTR,
	 * DR7. */
	void (*load_task_state)(struct vcpu *v, struct x86_task_sys *s);
	/* Writes a completed switch back: the six segments, LDTR and TR with
	 * their caches, CPL, CR0, CR3 and the PDPTEs when s->cr3_loaded, DR7,
	 * DR6.BT when s->debug_trap, and NMI blocking as nmi says. RIP, RSP,
	 * RFLAGS and the GPRs go back as after any exit (store_regs). */
	void (*write_task_state)(struct vcpu *v, const struct x86_task_sys *s,
				 enum hv_nmi_change nmi);
	/* Sets DR6.BS for a single-step trap after an instruction the hypervisor
	 * completed; true when the CPU then raises the #DB itself at the entry
	 * (VMX: pending debug exceptions), false when it must be injected. */
	bool (*pend_single_step)(struct vcpu *v);
};

/* The running vendor, set once by hv_start before any CPU is taken over. */
extern const struct vendor_ops *hv_vendor;

extern const struct vendor_ops svm_vendor;
extern const struct vendor_ops vmx_vendor;

#endif
