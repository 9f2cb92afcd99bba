/* SPDX-License-Identifier: GPL-2.0-only */
/* Nested page tables (AMD APM Vol. 2 §15.25): the NPT's entry format for the
 * common writer (hv/mem/nested_map.c). The format is the host's 4-level long-mode
 * format; every level must allow user access, because the nested walk treats
 * all guest accesses as user accesses (§15.25.5).
 *
 * MMIO traps are leaf entries with a reserved physical-address bit set: any
 * access faults with EXITINFO1.RSVD (§15.25.6). Bits from MAXPHYADDR up to 51 are
 * reserved; bit 51 is used when the CPU has fewer than 52 address bits, which is
 * every CPU at the time of writing. (Bits 52-62 are ignored by the walk and
 * would not fault: docs/emulators.md.) On a CPU with 52 address bits the trap
 * falls back to a not-present entry, which the NPF handler also routes to the
 * IOM. The hypervisor's own memory is not present. */
#include "svm/npt.h"
#include "hv/console/console.h"
#include "hv/mem/nested_map.h"
#include "hv/x86/arch.h"

#define NPT_PRESENT (X86_PTE_P | X86_PTE_RW | X86_PTE_US) /* tables and leaves */
#define NPT_RSVD_TRAP (1ull << 51)

static uint64_t trap_bits; /* NPT_RSVD_TRAP, or 0 for the not-present fallback */
static bool gib_pages;

static uint64_t npt_plain(uint64_t pa, uint64_t size)
{
	if (size == PAGE_SIZE_1G && !gib_pages)
		return 0;
	return pa | NPT_PRESENT | (size > PAGE_SIZE_4K ? X86_PTE_PS : 0);
}

static uint64_t npt_trapped(uint64_t pa)
{
	return trap_bits ? pa | NPT_PRESENT | trap_bits : pa;
}

static bool npt_is_plain(uint64_t e)
{
	return (e & X86_PTE_P) && !(e & trap_bits);
}

static const struct nested_format npt_format = {
	.table = NPT_PRESENT, .present = X86_PTE_P, .large = X86_PTE_PS,
	.plain = npt_plain, .trapped = npt_trapped, .is_plain = npt_is_plain,
};

static struct nested_map npt = NESTED_MAP_INIT("npt", &npt_format);

uint64_t npt_root(void)
{
	return nested_map_root(&npt);
}

/* With 1-GiB pages (CPUID.80000001H:EDX[26], which also governs nested paging:
 * APM Vol. 2 §15.25.1) the whole guest-physical space, else what the host map
 * has from the start (hv/mem/idmap.h); the rest on first use (guest_map_on_demand). */
void npt_init(const struct cpu_features *f, uint64_t top)
{
	gib_pages = f->gib_pages;
	trap_bits = f->phys_addr_bits < 52 ? NPT_RSVD_TRAP : 0;

	nested_map_init(&npt, f->phys_addr_bits, gib_pages, top);
	log_info("npt: identity map of %lu GiB with %s pages%s, MMIO traps %s",
		 (unsigned long)(npt.idmap.eager_end / PAGE_SIZE_1G), gib_pages ? "1-GiB" : "2-MiB",
		 npt.idmap.eager_end < npt.idmap.phys_end ? ", the rest on first use" : "",
		 trap_bits ? "by reserved bit 51" : "by not-present entries");
}
