/* SPDX-License-Identifier: GPL-2.0-only */
/* A task switch the CPU handed to the hypervisor instead of performing it (VMX:
 * exit reason 9, unconditional, SDM Vol. 3C §26.4.2; SVM exits only when asked
 * to, and iomvisor never asks). The switch itself is hv/x86/task_switch.c's;
 * this applies it to a vCPU: the event it delivers, the faults, NMI blocking,
 * and the backend's write-back (vendor_ops.write_task_state). */
#ifndef HV_EXIT_TASK_SWITCH_H
#define HV_EXIT_TASK_SWITCH_H

#include <stdint.h>
#include "hv/vcpu.h"

/* What the backend reports. An event delivered through a task gate in the IDT
 * (source X86_TASK_GATE) is the exit's cut-short event, v->interrupted. */
struct hv_task_exit {
	uint8_t source;	   /* enum x86_task_source */
	uint16_t selector; /* the new TSS */
	/* The length of the instruction that switched: CALL, JMP, IRET, INT n,
	 * INT3, INTO, INT1 (undefined for other events). */
	uint8_t insn_len;
};

/* NMI blocking after the switch (SDM Vol. 3A §6.7.1): an NMI delivered
 * through a task gate blocks NMIs as any NMI delivery does; IRET ends it. */
enum hv_nmi_change { HV_NMI_KEEP, HV_NMI_BLOCK, HV_NMI_UNBLOCK };

void hv_exit_task_switch(struct vcpu *v, const struct hv_task_exit *t);

#endif
