/* SPDX-License-Identifier: GPL-2.0-only */
/* The VMCB: AMD APM Vol. 2, Appendix B ("Layout of VMCB"), Table B-1 (control
 * area) and Table B-2 (state save area, at offset 0x400). Offsets are checked
 * at compile time below. */
#ifndef SVM_VMCB_H
#define SVM_VMCB_H

#include <stddef.h>
#include <stdint.h>

struct vmcb_seg {
	uint16_t selector;
	uint16_t attrib; /* descriptor bits 40-47 in 7:0, bits 52-55 in 11:8 */
	uint32_t limit;
	uint64_t base;
};

struct vmcb_control {
	uint32_t intercept_cr;	     /* 0x000: reads 15:0, writes 31:16 */
	uint32_t intercept_dr;	     /* 0x004 */
	uint32_t intercept_exceptions; /* 0x008: bit n = vector n */
	uint32_t intercept_misc1;    /* 0x00C: SVM_INTERCEPT_* below */
	uint32_t intercept_misc2;    /* 0x010: SVM_INTERCEPT2_* below */
	uint32_t intercept_misc3;    /* 0x014 */
	uint8_t reserved1[0x3C - 0x18];
	uint16_t pause_filter_threshold; /* 0x03C */
	uint16_t pause_filter_count;	 /* 0x03E */
	uint64_t iopm_base_pa;	     /* 0x040 */
	uint64_t msrpm_base_pa;	     /* 0x048 */
	uint64_t tsc_offset;	     /* 0x050 */
	uint32_t guest_asid;	     /* 0x058 */
	uint8_t tlb_control;	     /* 0x05C */
	uint8_t reserved2[3];
	uint64_t int_ctl;	     /* 0x060: V_TPR, V_IRQ, V_INTR_MASKING, ... */
	uint64_t int_state;	     /* 0x068: bit 0 interrupt shadow */
	uint64_t exit_code;	     /* 0x070 */
	uint64_t exit_info1;	     /* 0x078 */
	uint64_t exit_info2;	     /* 0x080 */
	uint64_t exit_int_info;	     /* 0x088 */
	uint64_t nested_ctl;	     /* 0x090: bit 0 NP_ENABLE */
	uint64_t avic_vapic_bar;     /* 0x098 */
	uint64_t ghcb_pa;	     /* 0x0A0 */
	uint64_t event_inj;	     /* 0x0A8 */
	uint64_t nested_cr3;	     /* 0x0B0 */
	uint64_t virt_ext;	     /* 0x0B8 */
	uint32_t clean_bits;	     /* 0x0C0 */
	uint32_t reserved3;
	uint64_t next_rip;	     /* 0x0C8: valid with NRIP save */
	uint8_t insn_len;	     /* 0x0D0: valid with decode assists */
	uint8_t insn_bytes[15];	     /* 0x0D1 */
	uint8_t reserved4[0x400 - 0xE0];
};

struct vmcb_save {
	struct vmcb_seg es, cs, ss, ds, fs, gs; /* 0x400 - 0x45F */
	struct vmcb_seg gdtr, ldtr, idtr, tr;	/* 0x460 - 0x49F */
	uint8_t reserved1[0x4CB - 0x4A0];
	uint8_t cpl;				/* 0x4CB */
	uint32_t reserved2;
	uint64_t efer;				/* 0x4D0 */
	uint8_t reserved3[0x548 - 0x4D8];
	uint64_t cr4, cr3, cr0, dr7, dr6, rflags, rip; /* 0x548 - 0x57F */
	uint8_t reserved4[0x5D8 - 0x580];
	uint64_t rsp;				/* 0x5D8 */
	uint8_t reserved5[0x5F8 - 0x5E0];
	uint64_t rax;				/* 0x5F8 */
	uint64_t star, lstar, cstar, sfmask, kernel_gs_base; /* 0x600 - 0x627 */
	uint64_t sysenter_cs, sysenter_esp, sysenter_eip;     /* 0x628 - 0x63F */
	uint64_t cr2;				/* 0x640 */
	uint8_t reserved6[0x668 - 0x648];
	uint64_t g_pat;				/* 0x668 */
	uint64_t dbgctl;			/* 0x670 */
	uint8_t reserved7[0x1000 - 0x678];
};

struct vmcb {
	struct vmcb_control control;
	struct vmcb_save save;
};

_Static_assert(offsetof(struct vmcb, control.iopm_base_pa) == 0x040, "VMCB layout");
_Static_assert(offsetof(struct vmcb, control.guest_asid) == 0x058, "VMCB layout");
_Static_assert(offsetof(struct vmcb, control.exit_code) == 0x070, "VMCB layout");
_Static_assert(offsetof(struct vmcb, control.event_inj) == 0x0A8, "VMCB layout");
_Static_assert(offsetof(struct vmcb, control.nested_cr3) == 0x0B0, "VMCB layout");
_Static_assert(offsetof(struct vmcb, control.next_rip) == 0x0C8, "VMCB layout");
_Static_assert(offsetof(struct vmcb, save.cs) == 0x410, "VMCB layout");
_Static_assert(offsetof(struct vmcb, save.tr) == 0x490, "VMCB layout");
_Static_assert(offsetof(struct vmcb, save.cpl) == 0x4CB, "VMCB layout");
_Static_assert(offsetof(struct vmcb, save.efer) == 0x4D0, "VMCB layout");
_Static_assert(offsetof(struct vmcb, save.cr4) == 0x548, "VMCB layout");
_Static_assert(offsetof(struct vmcb, save.rip) == 0x578, "VMCB layout");
_Static_assert(offsetof(struct vmcb, save.rsp) == 0x5D8, "VMCB layout");
_Static_assert(offsetof(struct vmcb, save.rax) == 0x5F8, "VMCB layout");
_Static_assert(offsetof(struct vmcb, save.cr2) == 0x640, "VMCB layout");
_Static_assert(offsetof(struct vmcb, save.g_pat) == 0x668, "VMCB layout");
_Static_assert(sizeof(struct vmcb) == 0x1000, "VMCB layout");

/* Intercept vector 3 at 0x00C (APM Vol. 2, Table B-1). */
#define SVM_INTERCEPT_NMI (1u << 1)
#define SVM_INTERCEPT_INIT (1u << 3)
#define SVM_INTERCEPT_CPUID (1u << 18)
#define SVM_INTERCEPT_IRET (1u << 20)
#define SVM_INTERCEPT_INVD (1u << 22)
#define SVM_INTERCEPT_IOIO_PROT (1u << 27)
#define SVM_INTERCEPT_MSR_PROT (1u << 28)
#define SVM_INTERCEPT_SHUTDOWN (1u << 31)
/* Intercept vector 4 at 0x010. */
#define SVM_INTERCEPT2_VMRUN (1u << 0)
#define SVM_INTERCEPT2_VMMCALL (1u << 1)
#define SVM_INTERCEPT2_VMLOAD (1u << 2)
#define SVM_INTERCEPT2_VMSAVE (1u << 3)
#define SVM_INTERCEPT2_STGI (1u << 4)
#define SVM_INTERCEPT2_CLGI (1u << 5)
#define SVM_INTERCEPT2_SKINIT (1u << 6)

/* Exit codes (APM Vol. 2, Appendix C, Table C-1). */
#define SVM_EXIT_EXCP_BASE 0x040
#define SVM_EXIT_NMI 0x061
#define SVM_EXIT_INIT 0x063
#define SVM_EXIT_CPUID 0x072
#define SVM_EXIT_IRET 0x074
#define SVM_EXIT_INVD 0x076
#define SVM_EXIT_IOIO 0x07B
#define SVM_EXIT_MSR 0x07C
#define SVM_EXIT_SHUTDOWN 0x07F
#define SVM_EXIT_VMRUN 0x080
#define SVM_EXIT_VMMCALL 0x081
#define SVM_EXIT_VMLOAD 0x082
#define SVM_EXIT_VMSAVE 0x083
#define SVM_EXIT_STGI 0x084
#define SVM_EXIT_CLGI 0x085
#define SVM_EXIT_SKINIT 0x086
#define SVM_EXIT_NPF 0x400
#define SVM_EXIT_INVALID 0xFFFFFFFFu /* low 32 bits of -1 */

/* EXITINFO1 of IOIO exits (APM Vol. 2 §15.10.2, Figure 15-2). */
#define SVM_IOIO_IN (1u << 0)
#define SVM_IOIO_STR (1u << 2)
#define SVM_IOIO_REP (1u << 3)
#define SVM_IOIO_SZ8 (1u << 4)
#define SVM_IOIO_SZ16 (1u << 5)
#define SVM_IOIO_SZ32 (1u << 6)
#define SVM_IOIO_A16 (1u << 7)
#define SVM_IOIO_A32 (1u << 8)
#define SVM_IOIO_A64 (1u << 9)
#define SVM_IOIO_PORT_SHIFT 16

/* EXITINFO1 of nested page faults: a #PF error code (APM Vol. 2 §15.25.6). */
#define SVM_NPF_P (1ull << 0)
#define SVM_NPF_W (1ull << 1)
#define SVM_NPF_RSVD (1ull << 3)
#define SVM_NPF_ID (1ull << 4)
#define SVM_NPF_GUEST_TABLE (1ull << 33) /* fault during the guest's own walk */

/* EVENTINJ (APM Vol. 2 §15.20, Figure 15-4). */
#define SVM_EVTINJ_VALID (1ull << 31)
#define SVM_EVTINJ_ERROR_VALID (1ull << 11)
#define SVM_EVTINJ_TYPE_NMI (2ull << 8)
#define SVM_EVTINJ_TYPE_EXCEPTION (3ull << 8)
#define SVM_EVTINJ_TYPE_SOFT_INT (4ull << 8) /* INTn */
#define SVM_EVTINJ_TYPE_MASK (7ull << 8)
#define SVM_EVTINJ_TYPE_SHIFT 8
#define SVM_EVTINJ_VECTOR_MASK 0xFFull
#define SVM_EVTINJ_ERROR_SHIFT 32

/* int_state (APM Vol. 2 §15.21.5): the guest sits in an STI or MOV SS shadow. */
#define SVM_INT_STATE_SHADOW (1ull << 0)

#define SVM_NESTED_CTL_NP_ENABLE (1ull << 0)
#define SVM_TLB_CONTROL_FLUSH_ALL 1

#endif
