/* SPDX-License-Identifier: GPL-2.0-only */
#include "hv/mem/pdpte.h"
#include "hv/mem/guest_access.h"
#include "hv/host.h"
#include "hv/mem/trap_map.h"
#include "hv/x86/arch.h"

#define PDPTE_TABLE_MASK 0xFFFFFFE0ull /* CR3[31:5] in PAE paging */
#define PDPTE_RESERVED_LOW 0x1E6ull    /* bits 2:1 and 8:5 */

bool hv_read_pdptes(uint64_t cr3, uint64_t pdpte[4])
{
	uint64_t table = cr3 & PDPTE_TABLE_MASK;
	if (trap_map_is_special(table) || !host_maps(table, 32))
		return false;
	uint64_t reserved = PDPTE_RESERVED_LOW | ~0ull << guest_phys_bits();
	const volatile uint64_t *p = (const volatile uint64_t *)table;
	for (unsigned i = 0; i < 4; i++) {
		pdpte[i] = p[i];
		if ((pdpte[i] & X86_PTE_P) && (pdpte[i] & reserved))
			return false;
	}
	return true;
}
