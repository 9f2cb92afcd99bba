/* SPDX-License-Identifier: GPL-2.0-only */
/* iomvisor's guest interface: CPUID leaves and hypercalls. Documented in README.md
 * ("Guest interface"); the test guests use it. */
#ifndef HV_HYPERCALL_H
#define HV_HYPERCALL_H

#define HV_CPUID_BASE 0x40000000u
#define HV_CPUID_VERSION 0x40000001u /* EAX: hypercall ABI version */
#define HV_CPUID_MAX HV_CPUID_VERSION
/* "iomvisor" then four NUL bytes, in EBX, ECX, EDX (little-endian ASCII). */
#define HV_SIGNATURE_EBX 0x766d6f69u /* "iomv" */
#define HV_SIGNATURE_ECX 0x726f7369u /* "isor" */
#define HV_SIGNATURE_EDX 0x00000000u
#define HV_HYPERCALL_ABI_VERSION 1

/* Hypercall numbers, in RAX for VMMCALL (AMD) or VMCALL (Intel), from CPL 0.
 * Results: RAX = HC_OK or a negative HC_E_* code; values in RBX, RCX, RDX, RSI. */
#define HC_INFO 0	  /* RBX: ABI version; RCX: number of vCPUs; RDX: this vCPU */
#define HC_IOM_STAT 1	  /* in RBX: space (0 ports, 1 MMIO), RCX: counter, RDX: CPU or
			   * 0xFFFFFFFF for all; out RBX: the counter (iom_stat_get) */
#define HC_RANGE_STAT 2	  /* in RBX: space, RCX: a port or address inside a mapped range,
			   * RDX: counter; out RBX: that range's counter */
#define HC_HV_MEMORY 3	  /* out RBX, RCX: the hypervisor's pool base and size; RDX, RSI:
			   * its image base and size (all hidden from the guest) */
#define HC_RULE_STAT 4	  /* in RBX: a rule's number, RCX: 0 for its hits, 1+K for its
			   * action K's; out RBX: that counter (hv/dev/rules.h) */
#define HC_EXIT_MARKS 5	  /* out RBX, RCX, RDX, RSI, RDI: the previous exit's parts in TSC
			   * ticks (vendor exit decode, handler, IOM, device, exit tail;
			   * hv/exit/exit_marks.h); HC_E_INVALID in a build without marks */

/* Any other number raises #UD, as VMMCALL/VMCALL do without a hypervisor. */

#define HC_OK 0
#define HC_E_INVALID (-2) /* bad argument */
#define HC_E_NOT_FOUND (-3) /* no mapped range there; no such rule */

#endif
