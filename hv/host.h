/* SPDX-License-Identifier: GPL-2.0-only */
/* The host's own execution environment. The firmware's GDT, IDT and page tables
 * live in memory the OS reclaims, so every CPU switches to these before it first
 * enters the guest; all of it is in the hypervisor's pool (runtime memory). */
#ifndef HV_HOST_H
#define HV_HOST_H

#include <stdint.h>
#include "hv/cpu_features.h"
#include "hv/mem/idmap.h"
#include "hv/x86/descriptor.h"

#define HOST_CS 0x08
#define HOST_DS 0x10
#define HOST_TR 0x18
#define HOST_STACK_PAGES 8
/* The host GDT's segment descriptors (SDM Vol. 3A §3.4.5): 64-bit code,
 * present, DPL 0, L=1; flat writable data. */
#define GDT_CODE64 0x00AF9A000000FFFFull
#define GDT_DATA 0x00CF92000000FFFFull

/* One CPU's host state. The GDT comes first, so the GDTR base (which the CPU
 * restores at every VM exit on both vendors) identifies the CPU cheaply. */
struct host_cpu {
	uint64_t gdt[5]; /* null, code64, data, TSS (two slots) */
	struct tss64 tss;
	unsigned index;
	uint64_t stack_top; /* 16-byte aligned */
	uint64_t nmi_stack_top;
};

/* Builds the shared page tables (identity map of [0, top) and beyond, see host.c)
 * and the shared IDT. Once, on the BSP, before any host_cpu_init. */
void host_init_shared(const struct cpu_features *f, uint64_t top);
/* Builds CPU index's GDT, TSS and stacks, and takes n zeroed pages for the
 * backend's own per-CPU structures into page[]. NULL (said on the console,
 * nothing kept) when the pool cannot hold them all. */
struct host_cpu *host_cpu_init(unsigned index, void **page, unsigned n);
/* Switches the calling CPU to its host GDT, TSS, IDT and page tables. */
void host_cpu_load(struct host_cpu *hc);
/* The host's identity map of physical memory; host_maps() before touching an
 * address the guest named (it may lie beyond what was mapped at start). */
extern struct idmap host_idmap;
static inline bool host_maps(uint64_t pa, uint64_t len)
{
	return idmap_ensure(&host_idmap, pa, len);
}
/* host_cpu_load again on a CPU that a real INIT reset (hv/rejoin.h). */
void host_cpu_reload(struct host_cpu *hc);
/* CPU index's host_cpu, NULL if it has none. */
struct host_cpu *host_cpu_of(unsigned index);
/* The calling CPU's host_cpu, or NULL before host_cpu_load on this CPU. */
struct host_cpu *host_cpu_self(void);

static inline void read_gdtr(struct dtr *d)
{
	__asm__ volatile("sgdt %0" : "=m"(*d));
}

static inline void read_idtr(struct dtr *d)
{
	__asm__ volatile("sidt %0" : "=m"(*d));
}

#endif
