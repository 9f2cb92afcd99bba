/* SPDX-License-Identifier: GPL-2.0-only */
/* VMX architectural constants: VMCS field encodings (SDM Vol. 3D, Appendix B),
 * control bits (SDM Vol. 3C §25.6-25.8, the 2023+ numbering; older editions
 * call these chapters 24), exit reasons (Appendix C), capability MSRs
 * (Appendix A) and the EPT entry format (Vol. 3C §29.3.2). */
#ifndef VMX_VMCS_FIELDS_H
#define VMX_VMCS_FIELDS_H

/* ---- Capability and control MSRs (SDM Vol. 4, Table 2-2; Vol. 3D App. A) ---- */
#include "hv/x86/arch.h" /* the MSR numbers and their bits */

/* IA32_VMX_BASIC (App. A.1): bits 44:32 region size, bit 48 32-bit addresses,
 * bits 53:50 memory type, bit 54 INS/OUTS info, bit 55 TRUE_* MSRs. */
#define VMX_BASIC_REVISION(b) ((uint32_t)(b) & 0x7FFFFFFF)
#define VMX_BASIC_SIZE(b) (((b) >> 32) & 0x1FFF)
#define VMX_BASIC_32BIT_ADDR (1ull << 48)

/* IA32_VMX_EPT_VPID_CAP (App. A.10). */
#define EPT_CAP_INVEPT (1ull << 20)
#define EPT_CAP_INVEPT_SINGLE (1ull << 25)
#define EPT_CAP_INVEPT_ALL (1ull << 26)
#define VPID_CAP_INVVPID (1ull << 32)
#define VPID_CAP_INVVPID_SINGLE (1ull << 41)
#define VPID_CAP_INVVPID_ALL (1ull << 42)

/* INVEPT / INVVPID types (Vol. 3C §31.3, instruction pages). */
#define INVEPT_SINGLE_CONTEXT 1
#define INVEPT_ALL_CONTEXT 2
#define INVVPID_SINGLE_CONTEXT 1
#define INVVPID_ALL_CONTEXT 2

/* ---- Pin-based controls (Vol. 3C §25.6.1) ---- */
#define PIN_NMI_EXITING (1u << 3)
#define PIN_VIRTUAL_NMIS (1u << 5)

/* ---- Primary processor-based controls (§25.6.2) ---- */
#define PROC_CR3_LOAD_EXITING (1u << 15)
#define PROC_CR3_STORE_EXITING (1u << 16)
#define PROC_NMI_WINDOW_EXITING (1u << 22)
#define PROC_USE_IO_BITMAPS (1u << 25)
#define PROC_USE_MSR_BITMAPS (1u << 28)
#define PROC_ACTIVATE_SECONDARY (1u << 31)

/* ---- Secondary processor-based controls (§25.6.2) ---- */
#define PROC2_ENABLE_EPT (1u << 1)
#define PROC2_ENABLE_RDTSCP (1u << 3)
#define PROC2_ENABLE_VPID (1u << 5)
#define PROC2_UNRESTRICTED_GUEST (1u << 7)
#define PROC2_ENABLE_INVPCID (1u << 12)
#define PROC2_ENABLE_XSAVES (1u << 20)
#define PROC2_USER_WAIT_PAUSE (1u << 26)

/* ---- VM-exit controls (§25.7.1) ---- */
#define EXIT_SAVE_DEBUG_CONTROLS (1u << 2)
#define EXIT_HOST_ADDR_SPACE_SIZE (1u << 9)
#define EXIT_SAVE_IA32_PAT (1u << 18)
#define EXIT_LOAD_IA32_PAT (1u << 19)
#define EXIT_SAVE_IA32_EFER (1u << 20)
#define EXIT_LOAD_IA32_EFER (1u << 21)

/* ---- VM-entry controls (§25.8.1) ---- */
#define ENTRY_LOAD_DEBUG_CONTROLS (1u << 2)
#define ENTRY_IA32E_MODE_GUEST (1u << 9)
#define ENTRY_LOAD_IA32_PAT (1u << 14)
#define ENTRY_LOAD_IA32_EFER (1u << 15)

/* ---- Event information (§25.8.3, §25.9.2) ---- */
#define INTR_INFO_VECTOR(i) ((i) & 0xFF)
#define INTR_INFO_TYPE(i) (((i) >> 8) & 7)
#define INTR_INFO_DELIVER_CODE (1u << 11)
#define INTR_INFO_NMI_UNBLOCKED_BY_IRET (1u << 12) /* exit info only */
#define INTR_INFO_VALID (1u << 31)
#define INTR_TYPE_EXT_INTR 0
#define INTR_TYPE_NMI 2
#define INTR_TYPE_HW_EXCEPTION 3
#define INTR_TYPE_SW_INTR 4
#define INTR_TYPE_PRIV_SW_EXCEPTION 5
#define INTR_TYPE_SW_EXCEPTION 6

/* Guest interruptibility state (§25.4.2) and activity state. */
#define INTERRUPTIBILITY_STI (1u << 0)
#define INTERRUPTIBILITY_MOV_SS (1u << 1)
#define INTERRUPTIBILITY_NMI (1u << 3)
#define ACTIVITY_ACTIVE 0

/* ---- VMCS field encodings (App. B) ---- */
/* 16-bit */
#define VMCS_VPID 0x0000
#define GUEST_ES_SELECTOR 0x0800 /* + 2 * sreg: ES CS SS DS FS GS LDTR TR */
#define GUEST_LDTR_SELECTOR 0x080C
#define GUEST_TR_SELECTOR 0x080E
#define HOST_ES_SELECTOR 0x0C00
#define HOST_CS_SELECTOR 0x0C02
#define HOST_SS_SELECTOR 0x0C04
#define HOST_DS_SELECTOR 0x0C06
#define HOST_FS_SELECTOR 0x0C08
#define HOST_GS_SELECTOR 0x0C0A
#define HOST_TR_SELECTOR 0x0C0C
/* 64-bit */
#define IO_BITMAP_A 0x2000
#define IO_BITMAP_B 0x2002
#define MSR_BITMAP 0x2004
#define EPT_POINTER 0x201A
#define GUEST_PHYSICAL_ADDRESS 0x2400
#define VMCS_LINK_POINTER 0x2800
#define GUEST_IA32_DEBUGCTL 0x2802
#define GUEST_IA32_PAT 0x2804
#define GUEST_IA32_EFER 0x2806
#define GUEST_PDPTE0 0x280A /* + 2 * n */
#define HOST_IA32_PAT 0x2C00
#define HOST_IA32_EFER 0x2C02
/* 32-bit */
#define PIN_BASED_CONTROLS 0x4000
#define PROC_BASED_CONTROLS 0x4002
#define EXCEPTION_BITMAP 0x4004
#define PF_ERROR_CODE_MASK 0x4006
#define PF_ERROR_CODE_MATCH 0x4008
#define CR3_TARGET_COUNT 0x400A
#define EXIT_CONTROLS 0x400C
#define EXIT_MSR_STORE_COUNT 0x400E
#define EXIT_MSR_LOAD_COUNT 0x4010
#define ENTRY_CONTROLS 0x4012
#define ENTRY_MSR_LOAD_COUNT 0x4014
#define ENTRY_INTR_INFO 0x4016
#define ENTRY_EXCEPTION_ERROR_CODE 0x4018
#define ENTRY_INSTRUCTION_LENGTH 0x401A
#define PROC_BASED_CONTROLS2 0x401E
#define VM_INSTRUCTION_ERROR 0x4400
#define EXIT_REASON 0x4402
#define EXIT_INTR_INFO 0x4404
#define EXIT_INTR_ERROR_CODE 0x4406
#define IDT_VECTORING_INFO 0x4408
#define IDT_VECTORING_ERROR_CODE 0x440A
#define EXIT_INSTRUCTION_LENGTH 0x440C
#define EXIT_INSTRUCTION_INFO 0x440E
#define GUEST_ES_LIMIT 0x4800 /* + 2 * sreg */
#define GUEST_LDTR_LIMIT 0x480C
#define GUEST_TR_LIMIT 0x480E
#define GUEST_GDTR_LIMIT 0x4810
#define GUEST_IDTR_LIMIT 0x4812
#define GUEST_ES_AR 0x4814 /* + 2 * sreg */
#define GUEST_LDTR_AR 0x4820
#define GUEST_TR_AR 0x4822
#define GUEST_INTERRUPTIBILITY 0x4824
#define GUEST_ACTIVITY_STATE 0x4826
#define GUEST_SYSENTER_CS 0x482A
#define HOST_SYSENTER_CS 0x4C00
/* natural width */
#define CR0_GUEST_HOST_MASK 0x6000
#define CR4_GUEST_HOST_MASK 0x6002
#define CR0_READ_SHADOW 0x6004
#define CR4_READ_SHADOW 0x6006
#define EXIT_QUALIFICATION 0x6400
#define GUEST_LINEAR_ADDRESS 0x640A
#define GUEST_CR0 0x6800
#define GUEST_CR3 0x6802
#define GUEST_CR4 0x6804
#define GUEST_ES_BASE 0x6806 /* + 2 * sreg */
#define GUEST_LDTR_BASE 0x6812
#define GUEST_TR_BASE 0x6814
#define GUEST_GDTR_BASE 0x6816
#define GUEST_IDTR_BASE 0x6818
#define GUEST_DR7 0x681A
#define GUEST_RSP 0x681C
#define GUEST_RIP 0x681E
#define GUEST_RFLAGS 0x6820
#define GUEST_PENDING_DBG_EXCEPTIONS 0x6822
#define GUEST_SYSENTER_ESP 0x6824
#define GUEST_SYSENTER_EIP 0x6826
#define HOST_CR0 0x6C00
#define HOST_CR3 0x6C02
#define HOST_CR4 0x6C04
#define HOST_FS_BASE 0x6C06
#define HOST_GS_BASE 0x6C08
#define HOST_TR_BASE 0x6C0A
#define HOST_GDTR_BASE 0x6C0C
#define HOST_IDTR_BASE 0x6C0E
#define HOST_SYSENTER_ESP 0x6C10
#define HOST_SYSENTER_EIP 0x6C12
#define HOST_RSP 0x6C14
#define HOST_RIP 0x6C16

/* ---- Basic exit reasons (App. C) ---- */
#define EXIT_REASON_EXCEPTION_NMI 0
#define EXIT_REASON_EXTERNAL_INTERRUPT 1
#define EXIT_REASON_TRIPLE_FAULT 2
#define EXIT_REASON_INIT 3
#define EXIT_REASON_SIPI 4
#define EXIT_REASON_NMI_WINDOW 8
#define EXIT_REASON_TASK_SWITCH 9
#define EXIT_REASON_CPUID 10
#define EXIT_REASON_GETSEC 11
#define EXIT_REASON_INVD 13
#define EXIT_REASON_VMCALL 18
#define EXIT_REASON_VMCLEAR 19
#define EXIT_REASON_VMLAUNCH 20
#define EXIT_REASON_VMPTRLD 21
#define EXIT_REASON_VMPTRST 22
#define EXIT_REASON_VMREAD 23
#define EXIT_REASON_VMRESUME 24
#define EXIT_REASON_VMWRITE 25
#define EXIT_REASON_VMXOFF 26
#define EXIT_REASON_VMXON 27
#define EXIT_REASON_CR_ACCESS 28
#define EXIT_REASON_IO 30
#define EXIT_REASON_RDMSR 31
#define EXIT_REASON_WRMSR 32
#define EXIT_REASON_INVALID_GUEST_STATE 33
#define EXIT_REASON_MSR_LOADING 34
#define EXIT_REASON_MACHINE_CHECK 41
#define EXIT_REASON_EPT_VIOLATION 48
#define EXIT_REASON_EPT_MISCONFIG 49
#define EXIT_REASON_INVEPT 50
#define EXIT_REASON_INVVPID 53
#define EXIT_REASON_XSETBV 55
#define EXIT_REASON_VMFUNC 59
#define EXIT_REASON_ENTRY_FAILURE (1u << 31) /* §25.9.1 */

/* I/O exit qualification (§28.2.1). */
#define IO_QUAL_SIZE(q) (((q) & 7) + 1)
#define IO_QUAL_IN (1u << 3)
#define IO_QUAL_STRING (1u << 4)
#define IO_QUAL_REP (1u << 5)
#define IO_QUAL_PORT(q) ((uint16_t)((q) >> 16))

/* Control-register access qualification (§28.2.1). */
#define CR_QUAL_CR(q) ((q) & 0xF)
#define CR_QUAL_TYPE(q) (((q) >> 4) & 3)
#define CR_QUAL_GPR(q) (((q) >> 8) & 0xF)
#define CR_QUAL_LMSW_DATA(q) (((q) >> 16) & 0xFFFF)
#define CR_TYPE_MOV_TO 0
#define CR_TYPE_MOV_FROM 1
#define CR_TYPE_CLTS 2
#define CR_TYPE_LMSW 3

/* EPT-violation qualification (§28.2.1). */
#define EPT_QUAL_LINEAR_VALID (1u << 7)
#define EPT_QUAL_TRANSLATED (1u << 8)
#define EPT_QUAL_NMI_UNBLOCKED (1u << 12)

/* EPT entries (Vol. 3C §29.3.2) and the EPT pointer
 * (§25.6.11). */
#define EPT_R (1ull << 0)
#define EPT_W (1ull << 1)
#define EPT_X (1ull << 2)
#define EPT_RWX (EPT_R | EPT_W | EPT_X)
#define EPT_MT_SHIFT 3	      /* leaf bits 5:3, memory type */
#define EPT_IGNORE_PAT (1ull << 6)
#define EPT_LARGE (1ull << 7) /* 1-GiB PDPTE / 2-MiB PDE leaf */
#define EPTP_WALK_LENGTH_4 (3ull << 3) /* bits 5:3 = levels - 1 */

/* Memory types (Vol. 3A §12.3; the same encodings in MTRRs, PAT
 * and EPT). */
#define MT_UC 0
#define MT_WC 1
#define MT_WT 4
#define MT_WP 5
#define MT_WB 6

#endif
