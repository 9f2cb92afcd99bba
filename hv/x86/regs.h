/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * hv/x86/regs.h - vendor-neutral guest register state.
 *
 * The VMX and SVM backends fill a struct x86_regs from the VMCS/VMCB at an
 * exit, hand it to the x86 library (page walker, emulator, string I/O), and
 * write back what changed: the GPRs, RIP and RFLAGS. Only a task switch
 * (task_switch.h) writes control registers (CR0.TS, CR3), segment registers,
 * TR and CPL, and its caller writes those back too; nothing writes EFER.
 *
 * Conventions the backends must follow:
 *  - gpr[] is indexed by the x86 register number (RAX=0 ... R15=15), the
 *    number ModRM/SIB/REX encode (SDM Vol. 2A §2.1.5, Table 2-2). VMX does
 *    not keep RSP in the GPR save area, SVM keeps RAX and RSP in the VMCB:
 *    copy them in.
 *  - EFER must hold a valid LMA bit (VMX: the guest IA32_EFER field, or the
 *    "IA-32e mode guest" entry control if EFER is not loaded/saved;
 *    SVM: VMCB EFER).
 *  - Segment limits are byte-granular (already scaled by G), as both VMX
 *    (SDM Vol. 3C §25.4.1) and SVM (APM Vol. 2 §15.5.1) store them.
 *  - Segment attributes use the VMX access-rights layout (SDM Vol. 3C
 *    §25.4.1, Table 25-2). SVM's VMCB packs the same bits into 12 bits
 *    (APM Vol. 2, "VMCB Layout, State Save Area", segment attrib field):
 *    use x86_seg_attr_from_svm().
 *  - cpl: VMX: SS.DPL (SDM Vol. 3C §27.3.1.5 guarantees it equals CPL);
 *    SVM: VMCB CPL field.
 *  - pdpte[]: with PAE paging the CPU walks from four PDPTE registers that it
 *    loaded when CR3 was written (SDM Vol. 3A §4.4.1), not from memory. VMX
 *    with EPT keeps them in the VMCS (GUEST_PDPTE0-3): copy them and set
 *    pdpte_valid. If pdpte_valid is false the walker reads them from memory
 *    at CR3, which is what AMD's nested paging does (APM Vol. 2 §15.25.10).
 */
#ifndef HV_X86_REGS_H
#define HV_X86_REGS_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/x86/arch.h"

enum x86_gpr {
	X86_RAX, X86_RCX, X86_RDX, X86_RBX, X86_RSP, X86_RBP, X86_RSI, X86_RDI,
	X86_R8, X86_R9, X86_R10, X86_R11, X86_R12, X86_R13, X86_R14, X86_R15,
	X86_NR_GPRS
};

/* The sreg encoding used by segment-override prefixes and MOV Sreg
 * (SDM Vol. 2A §3.1.1.1, "Sreg" encoding). */
enum x86_sreg { X86_ES, X86_CS, X86_SS, X86_DS, X86_FS, X86_GS, X86_NR_SREGS };

/* Segment attributes in the VMX access-rights layout
 * (SDM Vol. 3C §25.4.1, Table 25-2; descriptor fields: Vol. 3A §3.4.5). */
#define X86_SEG_TYPE_MASK    0xfu
#define X86_SEG_TYPE_A       0x1u  /* accessed */
#define X86_SEG_TYPE_W       0x2u  /* data: writable; code: readable */
#define X86_SEG_TYPE_E       0x4u  /* data: expand-down; code: conforming */
#define X86_SEG_TYPE_CODE    0x8u
#define X86_SEG_S            (1u << 4)   /* code/data (not system) */
#define X86_SEG_DPL_SHIFT    5
#define X86_SEG_DPL_MASK     (3u << 5)
#define X86_SEG_P            (1u << 7)
#define X86_SEG_AVL          (1u << 12)
#define X86_SEG_L            (1u << 13)  /* 64-bit code segment */
#define X86_SEG_DB           (1u << 14)  /* default size / big */
#define X86_SEG_G            (1u << 15)
#define X86_SEG_UNUSABLE     (1u << 16)  /* VMX: null selector loaded */

struct x86_segment {
	uint16_t selector;
	uint64_t base;
	uint32_t limit;  /* byte granular */
	uint32_t attr;   /* X86_SEG_* */
};

struct x86_regs {
	uint64_t gpr[X86_NR_GPRS];
	uint64_t rip;
	uint64_t rflags;
	uint64_t cr0, cr2, cr3, cr4;
	uint64_t efer;
	struct x86_segment seg[X86_NR_SREGS];
	struct x86_segment tr; /* the TSS: its I/O permission bitmap */
	uint8_t cpl;
	bool pdpte_valid;
	uint64_t pdpte[4];
};

/*
 * SVM's 12-bit attribute field holds descriptor bits 40-47 in 7:0 and bits
 * 52-55 (AVL, L, D/B, G) in 11:8; VMX moves the latter to 15:12. SVM has no
 * "unusable" bit: a segment whose P bit is clear is treated as unusable,
 * which only matters in protected mode (the library ignores attributes in
 * real and virtual-8086 mode).
 */
static inline uint32_t x86_seg_attr_from_svm(uint16_t svm_attr)
{
	uint32_t a = (svm_attr & 0xffu) | ((uint32_t)(svm_attr & 0xf00u) << 4);

	if (!(a & X86_SEG_P))
		a |= X86_SEG_UNUSABLE;
	return a;
}

/* The CPU mode that decides default operand/address sizes and how
 * segmentation works (SDM Vol. 3A §2.2, Figure 2-3; Vol. 1 §3.6.1). */
enum x86_cpu_mode {
	X86_MODE_REAL,      /* CR0.PE=0: 16-bit (SDM Vol. 3A §21.1) */
	X86_MODE_V86,       /* protected mode with RFLAGS.VM=1: 16-bit */
	X86_MODE_PROT16,    /* protected mode, CS.D=0 */
	X86_MODE_PROT32,    /* protected mode, CS.D=1 */
	X86_MODE_COMPAT16,  /* IA-32e mode, CS.L=0, CS.D=0 */
	X86_MODE_COMPAT32,  /* IA-32e mode, CS.L=0, CS.D=1 */
	X86_MODE_LONG64,    /* IA-32e mode, CS.L=1 */
};

/* The paging mode (SDM Vol. 3A §4.1.1, Table 4-1). */
enum x86_paging_mode {
	X86_PAGING_NONE,
	X86_PAGING_32,      /* CR4.PAE=0 */
	X86_PAGING_PAE,     /* CR4.PAE=1, EFER.LMA=0 */
	X86_PAGING_4LEVEL,  /* EFER.LMA=1, CR4.LA57=0 */
	X86_PAGING_5LEVEL,  /* EFER.LMA=1, CR4.LA57=1 */
};

enum x86_cpu_mode x86_cpu_mode(const struct x86_regs *r);
enum x86_paging_mode x86_paging_mode(const struct x86_regs *r);

/* Default code size of a mode in bits: 16, 32 or 64. */
unsigned x86_mode_code_bits(enum x86_cpu_mode m);

/* Linear addresses must be canonical in IA-32e mode: bits 63..(N-1) all
 * equal, N = 57 with CR4.LA57, else 48 (SDM Vol. 1 §3.3.7.1, Vol. 3A §4.5). */
bool x86_is_canonical(const struct x86_regs *r, uint64_t la);

/*
 * Register access by operand size. size is 1, 2, 4 or 8; high8 selects
 * AH/CH/DH/BH (bits 15:8 of reg 0-3). Writes of 32 bits zero-extend to 64
 * (SDM Vol. 1 §3.4.1.1); 8- and 16-bit writes leave the other bits alone.
 * The library zero-extends 32-bit writes in every mode; outside 64-bit mode
 * the upper half is invisible to the guest (and undefined, SDM Vol. 1
 * §3.4.1.1), so that is as good as any choice and matches 64-bit mode.
 */
uint64_t x86_gpr_read(const struct x86_regs *r, unsigned reg, bool high8,
		      unsigned size);
void x86_gpr_write(struct x86_regs *r, unsigned reg, bool high8,
		   unsigned size, uint64_t val);

/* All-ones mask of size bytes (1, 2, 4, 8). */
static inline uint64_t x86_size_mask(unsigned size)
{
	return size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;
}

#endif
