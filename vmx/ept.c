/* SPDX-License-Identifier: GPL-2.0-only */
/* EPT (SDM Vol. 3C §29.3): the EPT's entry format for the common writer
 * (hv/mem/nested_map.c), and the EPT pointer and INVEPT. Entries: bits 2:0 read,
 * write, execute; leaves bits 5:3 memory type, bit 6 ignore PAT (kept 0, so the
 * guest's PAT combines with the EPT type as on bare metal, §29.3.7), bit 7
 * large page in PDPTEs (1 GiB) and PDEs (2 MiB).
 *
 * The memory type of every leaf comes from the MTRRs (vmx/mtrr.c): with EPT on
 * the CPU uses the EPT type instead of the MTRRs, so a map that said WB
 * everywhere would make device memory cacheable (docs/real-hardware.md). A
 * large page is used only where the MTRRs give its whole range one type.
 *
 * MMIO traps are 4-KiB leaves with W=1, R=0: any access to them is an EPT
 * misconfiguration (§29.3.3.1), which reports the guest-physical address
 * (exit 49). The hypervisor's memory is not present (EPT violation, exit 48). */
#include "vmx/ept.h"
#include "hv/console/console.h"
#include "hv/mem/nested_map.h"
#include "hv/x86/arch.h"
#include "vmx/mtrr.h"
#include "vmx/vmcs_fields.h"
#include "vmx/vmx.h"

#define EPT_TABLE EPT_RWX
#define EPT_TRAP EPT_W /* write-only: a misconfiguration */

static uint64_t eptp;
static struct mtrr_state mtrrs;
static bool gib_pages;

static uint64_t ept_plain(uint64_t pa, uint64_t size)
{
	int type = size == PAGE_SIZE_1G && !gib_pages ? -1 : mtrr_type(&mtrrs, pa, size);
	if (type < 0)
		return 0;
	return pa | EPT_RWX | (uint64_t)type << EPT_MT_SHIFT |
	       (size > PAGE_SIZE_4K ? EPT_LARGE : 0);
}

static uint64_t ept_trapped(uint64_t pa)
{
	return pa | EPT_TRAP;
}

static bool ept_is_plain(uint64_t e)
{
	return (e & EPT_RWX) == EPT_RWX;
}

static const struct nested_format ept_format = {
	.table = EPT_TABLE, .present = EPT_RWX, .large = EPT_LARGE,
	.plain = ept_plain, .trapped = ept_trapped, .is_plain = ept_is_plain,
};

static struct nested_map ept = NESTED_MAP_INIT("ept", &ept_format);

uint64_t ept_pointer(void)
{
	return eptp;
}

void ept_init(const struct cpu_features *f, uint64_t top)
{
	unsigned phys_bits = f->phys_addr_bits ? f->phys_addr_bits : 36;
	mtrr_read(&mtrrs, phys_bits);

	/* Like the host map (hv/host.c): the whole physical address space with
	 * 1-GiB pages, else [0, top) and at least the 4 GiB of 32-bit MMIO; the
	 * rest on first use (guest_map_on_demand). */
	gib_pages = f->vmx_ept_1g;
	nested_map_init(&ept, phys_bits, gib_pages, top);
	/* EPTP (§25.6.11): bits 2:0 the paging-structure memory type, bits 5:3
	 * the walk length minus one; A/D flags off. */
	eptp = nested_map_root(&ept) | EPTP_WALK_LENGTH_4 | (f->vmx_ept_wb ? MT_WB : MT_UC);
	log_info("ept: identity map of %lu GiB (%u 1-GiB, %u 2-MiB, %u 4-KiB pages)%s, "
		 "memory types from the MTRRs, MMIO traps by misconfiguration",
		 (unsigned long)(ept.idmap.eager_end / PAGE_SIZE_1G), ept.leaves[0], ept.leaves[1],
		 ept.leaves[2], ept.idmap.eager_end < ept.idmap.phys_end ? ", the rest on first use" : "");
}

/* INVEPT (Vol. 3C §29.4.3.1): drops the guest-physical and combined mappings
 * derived from this EPTP (single context), or from all (all context). */
void ept_invalidate(void)
{
	struct {
		uint64_t eptp, reserved;
	} desc = { eptp, 0 };
	uint64_t type = (vmx_cfg.ept_vpid_cap & EPT_CAP_INVEPT_SINGLE) ? INVEPT_SINGLE_CONTEXT
									 : INVEPT_ALL_CONTEXT;
	if (!(vmx_cfg.ept_vpid_cap & EPT_CAP_INVEPT))
		return;
	__asm__ volatile("invept %0, %1" ::"m"(desc), "r"(type) : "cc", "memory");
}
