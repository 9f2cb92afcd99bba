/* SPDX-License-Identifier: GPL-2.0-only */
#include <efi.h>
#include <efilib.h>
#include <stdint.h>
#include "guest.h"
#include "hv/string.h"
#include "hv/x86/arch.h"
#include "hv/x86/descriptor.h"
#include "idt.h"
#include "user.h"

#define GDT_ENTRIES 64
#define USER_MAP_GIB 64
#define PAGES_PER_GIB 1 /* one page directory of 2-MiB entries per GiB */

static uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(16)));
static struct tss64 tss __attribute__((aligned(16)));
static uint8_t kernel_stack[16384] __attribute__((aligned(16)));
static uint8_t user_stack[16384] __attribute__((aligned(16)));
static struct dtr user_gdtr;
static uint64_t user_cr3;
static unsigned tss_index;
/* Selectors in the new GDT, for user_entry.S. */
uint16_t user_cs, user_ss, user_tr;
uint64_t user_stack_top;

void user_return_entry(void);
void user_enter(void (*fn)(void), uint64_t cr3, const void *gdtr);

/* A code or data descriptor of DPL 3 (§3.4.5): flat, present; code with L. */
static uint64_t user_descriptor(bool code)
{
	uint64_t type = code ? 0xFull /* execute/read, accessed */ : 0x3ull /* read/write */;
	uint64_t d = 0xFFFFull | (type << 40) | (1ull << 44) /* S */ | (3ull << 45) /* DPL */ |
		     (1ull << 47) /* P */ | (0xFull << 48) /* limit 19:16 */ | (1ull << 55) /* G */;
	return code ? d | (1ull << 53) /* L */ : d | (1ull << 54) /* D/B */;
}

bool user_init(void)
{
	struct dtr fw;
	EFI_PHYSICAL_ADDRESS tables = 0;
	UINTN pages = 2 + USER_MAP_GIB * PAGES_PER_GIB;

	if (user_cr3)
		return true;
	if (EFI_ERROR(uefi_call_wrapper(BS->AllocatePages, 4, AllocateAnyPages, EfiLoaderData,
					pages, &tables))) {
		gprintf("user: no memory for the user-mode page tables\n");
		return false;
	}
	uint64_t *pml4 = (uint64_t *)tables, *pdpt = pml4 + 512, *pd = pdpt + 512;
	memset(pml4, 0, pages * 4096);
	const uint64_t rights = X86_PTE_P | X86_PTE_RW | X86_PTE_US;
	pml4[0] = (uint64_t)pdpt | rights;
	for (uint64_t g = 0; g < USER_MAP_GIB; g++) {
		pdpt[g] = (uint64_t)(pd + g * 512) | rights;
		for (uint64_t i = 0; i < 512; i++)
			pd[g * 512 + i] = ((g << 30) + (i << 21)) | rights | X86_PTE_PS;
	}
	user_cr3 = (uint64_t)pml4;

	/* The firmware's descriptors first, so its selectors stay valid. */
	__asm__ volatile("sgdt %0" : "=m"(fw));
	unsigned n = (fw.limit + 1u) / 8;
	if (n + 4 > GDT_ENTRIES) {
		gprintf("user: the firmware's GDT has %u entries, too many\n", n);
		return false;
	}
	memcpy(gdt, (const void *)fw.base, n * 8);
	gdt[n] = user_descriptor(false);
	gdt[n + 1] = user_descriptor(true);
	/* RSP0 for exceptions taken in user mode; the I/O map base points past
	 * the limit, so there is no bitmap (IOPL 3 decides). */
	tss.rsp[0] = (uint64_t)(kernel_stack + sizeof(kernel_stack));
	tss.iomap_base = sizeof(tss);
	tss64_descriptor((uint64_t)&tss, sizeof(tss) - 1, &gdt[n + 2]);
	tss_index = n + 2;
	user_ss = (uint16_t)(n * 8 + 3);
	user_cs = (uint16_t)((n + 1) * 8 + 3);
	user_tr = (uint16_t)((n + 2) * 8);
	user_gdtr.limit = (uint16_t)((n + 4) * 8 - 1);
	user_gdtr.base = (uint64_t)gdt;
	user_stack_top = (uint64_t)(user_stack + sizeof(user_stack));
	return true;
}

void user_run(void (*fn)(void))
{
	/* A DPL-3 gate, so that INT 0x81 is allowed from user mode. */
	guest_idt_set_dpl(USER_RETURN_VECTOR, user_return_entry, 3);
	/* LTR marks the descriptor busy (§9.2.2), and refuses a busy one. */
	gdt[tss_index] = (gdt[tss_index] & ~(0xFull << 40)) | (uint64_t)X86_SEG_TYPE_TSS_AVAIL << 40;
	user_enter(fn, user_cr3, &user_gdtr);
}
