/* SPDX-License-Identifier: GPL-2.0-only */
/* System structures with an architectural layout, shared by the host (hv/host.c)
 * and the test guests: the 64-bit TSS and its GDT descriptor, the 32- and 16-bit
 * TSSs (hv/x86/task_switch.c), and the operand
 * of LGDT/LIDT (SDM Vol. 3A: "Task Management in 64-bit Mode", the TSS and LDT
 * descriptors in 64-bit mode, and "Global Descriptor Table Register"). */
#ifndef HV_X86_DESCRIPTOR_H
#define HV_X86_DESCRIPTOR_H

#include <stdint.h>
#include "hv/x86/arch.h"

/* 64-bit TSS: RSP0-2 for privilege changes, the IST stacks, and the offset of
 * the I/O permission bitmap (X86_TSS_IOMAP_BASE). */
struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

/* 32-bit TSS (SDM Vol. 3A §8.2.1, Figure 8-2): the state a task switch saves
 * and loads. Selectors sit in the low half of their 32-bit slots (the high half
 * is reserved). */
struct tss32 {
	uint16_t link, reserved0; /* previous task link (§8.4) */
	struct {
		uint32_t esp;
		uint32_t ss;
	} stack[3]; /* privilege levels 0-2 */
	uint32_t cr3;
	uint32_t eip;
	uint32_t eflags;
	uint32_t gpr[8]; /* EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI */
	uint32_t sreg[6]; /* ES, CS, SS, DS, FS, GS */
	uint32_t ldt;
	uint16_t trap; /* X86_TSS32_T */
	uint16_t iomap_base;
} __attribute__((packed));

/* 16-bit TSS (SDM Vol. 3A §8.6, Figure 8-11): no CR3, FS, GS or T flag. */
struct tss16 {
	uint16_t link;
	struct {
		uint16_t sp;
		uint16_t ss;
	} stack[3];
	uint16_t ip;
	uint16_t flags;
	uint16_t gpr[8]; /* AX, CX, DX, BX, SP, BP, SI, DI */
	uint16_t sreg[4]; /* ES, CS, SS, DS */
	uint16_t ldt;
} __attribute__((packed));

/* The operand of LGDT, LIDT, SGDT and SIDT in 64-bit mode. */
struct dtr {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

/* The 16-byte GDT descriptor of an available 64-bit TSS at base, present,
 * DPL 0, byte-granular limit: d[0] and d[1] are two consecutive GDT slots. */
static inline void tss64_descriptor(uint64_t base, uint32_t limit, uint64_t d[2])
{
	d[0] = (limit & 0xFFFFull) | (base & 0xFFFFFFull) << 16 |
	       (uint64_t)(X86_SEG_TYPE_TSS_AVAIL | 0x80u /* P */) << 40 |
	       ((uint64_t)(limit >> 16) & 0xF) << 48 | ((base >> 24) & 0xFF) << 56;
	d[1] = base >> 32;
}

/* An 8-byte code, data or 32-bit system descriptor (SDM Vol. 3A §3.4.5,
 * Figure 3-8): access is bits 47:40 (P, DPL, S, type), flags bits 55:52 (G,
 * D/B, L, AVL); limit is the raw 20 bits. */
static inline uint64_t x86_descriptor(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags)
{
	return (limit & 0xFFFFull) | (uint64_t)(base & 0xFFFFFF) << 16 | (uint64_t)access << 40 |
	       (uint64_t)((limit >> 16) & 0xF) << 48 | (uint64_t)(flags & 0xF) << 52 |
	       (uint64_t)(base >> 24) << 56;
}

#endif
