/* SPDX-License-Identifier: GPL-2.0-only */
/* The alias window: the firmware's page tables map memory 1:1, so the test
 * MMIO page (0xFE800000) is nowhere near RAM. An empty PML4 slot gets page
 * tables of our own that put, side by side, a code page, RAM pages and the
 * MMIO page. That gives RIP-relative operands that reach the MMIO page from
 * code 8 KiB away, an access that straddles the end of a RAM page into the
 * MMIO page, and linear addresses that differ from physical ones (the
 * emulator has to walk the guest's page tables). */
#include <efi.h>
#include <efilib.h>
#include "mmiotest.h"
#include "hv/cpu.h"
#include "hv/dev/testdev.h"

#define PTE_P (1ull << 0)
#define PTE_RW (1ull << 1)
#define PTE_PWT (1ull << 3)
#define PTE_PCD (1ull << 4)
#define CR0_WP (1ull << 16)
#define CR4_LA57 (1ull << 12)
#define ADDR_MASK 0x000FFFFFFFFFF000ull

enum { PG_PDPT, PG_PD, PG_PT, PG_CODE, PG_RAM_A, PG_RAM_B, PG_RAM_C, NPAGES };

static uint64_t pages; /* physical = linear (identity map) */
static uint64_t *pml4_entry;
static uint64_t window;

static void write_cr0(uint64_t v) { __asm__ volatile("mov %0, %%cr0" ::"r"(v) : "memory"); }
static void write_cr3(uint64_t v) { __asm__ volatile("mov %0, %%cr3" ::"r"(v) : "memory"); }

static uint64_t page(unsigned n)
{
	return pages + 0x1000ull * n;
}

static void set_pml4(uint64_t v)
{
	/* The firmware may have made its page tables read-only. */
	uint64_t fl = irq_save(), cr0 = read_cr0();
	write_cr0(cr0 & ~CR0_WP);
	*(volatile uint64_t *)pml4_entry = v;
	write_cr0(cr0);
	write_cr3(read_cr3());
	irq_restore(fl);
}

bool alias_init(void)
{
	EFI_PHYSICAL_ADDRESS a = 0xFFFFFFFF;
	if (read_cr4() & CR4_LA57) {
		gprintf("guest: alias window: 5-level paging is not handled\n");
		return false;
	}
	if (EFI_ERROR(uefi_call_wrapper(BS->AllocatePages, 4, AllocateMaxAddress, EfiLoaderCode,
					NPAGES, &a))) {
		gprintf("guest: alias window: no memory\n");
		return false;
	}
	pages = a;
	for (unsigned i = 0; i < NPAGES; i++)
		__builtin_memset((void *)page(i), 0, 0x1000);

	uint64_t *pml4 = (uint64_t *)(read_cr3() & ADDR_MASK);
	int slot = -1;
	for (int i = 255; i > 0; i--)
		if (!(pml4[i] & PTE_P)) {
			slot = i;
			break;
		}
	if (slot < 0) {
		gprintf("guest: alias window: no free PML4 slot\n");
		return false;
	}
	uint64_t *pdpt = (uint64_t *)page(PG_PDPT), *pd = (uint64_t *)page(PG_PD),
		 *pt = (uint64_t *)page(PG_PT);
	pdpt[0] = page(PG_PD) | PTE_P | PTE_RW;
	pd[0] = page(PG_PT) | PTE_P | PTE_RW;
	pt[ALIAS_CODE] = page(PG_CODE) | PTE_P | PTE_RW;
	pt[ALIAS_RAM_A] = page(PG_RAM_A) | PTE_P | PTE_RW;
	pt[ALIAS_MMIO] = TESTDEV_MMIO_BASE | PTE_P | PTE_RW | PTE_PCD | PTE_PWT;
	pt[ALIAS_RAM_B] = page(PG_RAM_B) | PTE_P | PTE_RW;
	pt[ALIAS_RAM_C] = page(PG_RAM_C) | PTE_P | PTE_RW;
	pml4_entry = &pml4[slot];
	set_pml4(page(PG_PDPT) | PTE_P | PTE_RW);
	window = (uint64_t)slot << 39;
	gprintf("guest: alias window at 0x%lx (PML4 slot %d; pages at physical 0x%lx)\n", window,
		slot, pages);
	return true;
}

uint64_t alias_page(unsigned n)
{
	return window ? window + 0x1000ull * n : 0;
}

void alias_release(void)
{
	if (!window)
		return;
	set_pml4(0);
	window = 0;
	uefi_call_wrapper(BS->FreePages, 2, pages, NPAGES);
}
