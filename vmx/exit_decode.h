/* SPDX-License-Identifier: GPL-2.0-only */
/* The VMX exit information the common code needs, translated to and from
 * vendor-neutral records. Pure functions: they build on the host, where
 * test/unit/test_vmx_decode.c checks them. */
#ifndef VMX_EXIT_DECODE_H
#define VMX_EXIT_DECODE_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/exit/event.h"
#include "hv/exit/exit.h"
#include "hv/exit/exit_kind.h"
#include "hv/exit/task_switch.h"
#include "vmx/vmcs_fields.h"

/* An I/O-instruction exit: the exit qualification (SDM Vol. 3C §28.2.1, Table
 * 28-5) and, for INS/OUTS when have_info (IA32_VMX_BASIC[54]), the VM-exit
 * instruction-information field (§28.2.5, Table 28-8). Into *a, as
 * svm_ioio_decode (svm/exit_decode.h says why). */
void vmx_io_decode(uint64_t qualification, uint64_t next_rip, bool have_info, uint32_t insn_info,
		   struct hv_port_access *a);

/* A task-switch exit: the exit qualification (SDM Vol. 3C §28.2.1, Table
 * 28-2: bits 15:0 the new TSS's selector, 31:30 the source, numbered as enum
 * x86_task_source) and the exit's instruction length (§28.2.5). */
struct hv_task_exit vmx_task_switch_decode(uint64_t qualification, uint32_t insn_len);

/* The kind of a basic exit reason (SDM Vol. 3D Appendix C), for the debug
 * console's `stats`. Inline: with a constant reason (the exit handler's
 * common cases) the count's index is a constant. */
static inline enum hv_exit_kind vmx_exit_kind(uint32_t basic_reason)
{
	switch (basic_reason) {
	case EXIT_REASON_IO:
		return HV_EXIT_KIND_PORT;
	case EXIT_REASON_EPT_MISCONFIG:
	case EXIT_REASON_EPT_VIOLATION:
		return HV_EXIT_KIND_MMIO;
	case EXIT_REASON_CPUID:
		return HV_EXIT_KIND_CPUID;
	case EXIT_REASON_RDMSR:
	case EXIT_REASON_WRMSR:
		return HV_EXIT_KIND_MSR;
	case EXIT_REASON_VMCALL:
		return HV_EXIT_KIND_HYPERCALL;
	case EXIT_REASON_EXCEPTION_NMI: /* NMI exiting; the exception bitmap is 0 */
	case EXIT_REASON_NMI_WINDOW:
	case EXIT_REASON_INIT:
	case EXIT_REASON_SIPI:
		return HV_EXIT_KIND_NMI;
	}
	return HV_EXIT_KIND_OTHER;
}

/* VM-entry interruption information for e (§25.8.3, Table 25-17); 0 when e is
 * not valid. The error code and instruction length go to their own fields. */
uint32_t vmx_event_encode(const struct hv_event *e);
/* IDT-vectoring information and its error code (§28.2.4); insn_len is the
 * caller's to fill for software events (the exit's instruction length). */
struct hv_event vmx_event_decode(uint32_t info, uint32_t error);

/* Whether the event type needs the VM-entry instruction length (§27.6.1.3). */
static inline bool vmx_event_needs_length(uint8_t type)
{
	return type == HV_EVENT_SOFT_INT || type == HV_EVENT_PRIV_SOFT_EXC ||
	       type == HV_EVENT_SOFT_EXC;
}

#endif
