/* SPDX-License-Identifier: GPL-2.0-only */
/* Intel VT-d DMA remapping (hv/iommu/iommu.h, hv/iommu/vtd_regs.h for the
 * spec sections). Every remapping unit the DMAR table lists gets the same
 * root table, whose 256 entries (one per bus) point to one context table,
 * whose 256 entries (one per device and function) all name domain 1 and the
 * identity map without the hypervisor's memory: one policy for every device,
 * so one table serves them all. */
#include "hv/acpi.h"
#include "hv/console/console.h"
#include "hv/format.h"
#include "hv/iommu/iommu_internal.h"
#include "hv/iommu/vtd_regs.h"
#include "hv/mem/pool.h"
#include "hv/string.h"

#define MAX_UNITS 8
/* Domain 0 is reserved when CAP.CM is set (§11.4.2); 1 is valid everywhere. */
#define DOMAIN 1
#define WIDTH_3_LEVELS 39
#define WIDTH_4_LEVELS 48

struct vtd_unit {
	uint64_t base;
	uint16_t segment;
	uint64_t cap, ecap;
	unsigned fro, nfr;
	bool on;
	volatile uint32_t wait_status; /* written by the unit (invalidation wait) */
	struct iommu_window window;
	char name[24];
};

static struct vtd_unit *units; /* a pool page: hidden from the guest */
static unsigned nunits;

static uint32_t r32(const struct vtd_unit *u, unsigned off)
{
	return *(volatile uint32_t *)(u->base + off);
}

static uint64_t r64(const struct vtd_unit *u, unsigned off)
{
	return *(volatile uint64_t *)(u->base + off);
}

static void w32(const struct vtd_unit *u, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(u->base + off) = v;
}

static void w64(const struct vtd_unit *u, unsigned off, uint64_t v)
{
	*(volatile uint64_t *)(u->base + off) = v;
}

static volatile uint32_t *reg32(const struct vtd_unit *u, unsigned off)
{
	return (volatile uint32_t *)(u->base + off);
}

static volatile uint64_t *reg64(const struct vtd_unit *u, unsigned off)
{
	return (volatile uint64_t *)(u->base + off);
}

/* Sets (want) or clears a persistent command bit, or issues a one-shot
 * command (SRTP), and waits for its status bit to read the same. */
static bool command(struct vtd_unit *u, uint32_t cmd, uint32_t status_bit, bool want)
{
	uint32_t keep = r32(u, VTD_GSTS) & GCMD_PERSISTENT;
	w32(u, VTD_GCMD, (keep & ~cmd) | (want ? cmd : 0));
	return iommu_wait32(reg32(u, VTD_GSTS), status_bit, want ? status_bit : 0);
}

static bool invalidate_registers(struct vtd_unit *u)
{
	w64(u, VTD_CCMD, CCMD_ICC | CCMD_GLOBAL);
	if (!iommu_wait64(reg64(u, VTD_CCMD), CCMD_ICC, 0))
		return false;
	unsigned iotlb = ECAP_IRO(u->ecap) + VTD_IOTLB_REG;
	w64(u, iotlb, IOTLB_IVT | IOTLB_GLOBAL | IOTLB_DR | IOTLB_DW);
	return iommu_wait64(reg64(u, iotlb), IOTLB_IVT, 0);
}

/* Queued invalidation (§6.5.2): with QI enabled the unit ignores the
 * register interface, so where QI exists it is what we use. The queue lives
 * only for these three descriptors; it stays enabled (turning QI off needs
 * the queue idle, which it is, but nothing is gained). */
static bool invalidate_queued(struct vtd_unit *u)
{
	uint64_t *queue = pool_alloc_pages(1);
	if (!queue)
		return false;
	w64(u, VTD_IQT, 0);
	w64(u, VTD_IQA, (uint64_t)queue); /* QS 0: one page, 256 descriptors */
	if (!command(u, GCMD_QIE, GCMD_QIE, true))
		return false;
	u->wait_status = 0;
	queue[0] = QI_CC | QI_GLOBAL;
	queue[1] = 0;
	queue[2] = QI_IOTLB | QI_GLOBAL | QI_IOTLB_DR | QI_IOTLB_DW;
	queue[3] = 0;
	queue[4] = QI_WAIT | QI_WAIT_SW | QI_WAIT_DATA(1);
	queue[5] = (uint64_t)&u->wait_status;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	w64(u, VTD_IQT, 3 << 4);
	if (iommu_wait32(&u->wait_status, ~0u, 1))
		return true;
	log_err("iommu: %s: queued invalidation did not complete (fault status 0x%x)", u->name,
		r32(u, VTD_FSTS));
	return false;
}

static bool unit_enable(struct vtd_unit *u, uint64_t root_table)
{
	uint32_t gsts = r32(u, VTD_GSTS);
	if (gsts & GCMD_IRE) {
		/* Its interrupt remapping table is the firmware's, in memory the
		 * guest owns, and needs the queue we would take over. */
		log_err("iommu: %s: the firmware left interrupt remapping on: not taken over",
			u->name);
		return false;
	}
	if (gsts & GCMD_TE)
		log_info("iommu: %s: the firmware left translation on: replacing its tables",
			 u->name);
	if ((gsts & GCMD_QIE) && !command(u, GCMD_QIE, GCMD_QIE, false))
		goto timeout;
	w64(u, VTD_RTADDR, root_table); /* TTM 00b: legacy root table (§11.4.5) */
	if (!command(u, GCMD_SRTP, GCMD_SRTP, true))
		goto timeout;
	if (u->cap & CAP_RWBF) { /* WBF is one-shot; WBFS clears when done */
		w32(u, VTD_GCMD, (r32(u, VTD_GSTS) & GCMD_PERSISTENT) | GCMD_WBF);
		if (!iommu_wait32(reg32(u, VTD_GSTS), GCMD_WBF, 0))
			goto timeout;
	}
	if (!((u->ecap & ECAP_QI) ? invalidate_queued(u) : invalidate_registers(u)))
		goto timeout;
	w32(u, VTD_FECTL, FECTL_IM);
	if (!command(u, GCMD_TE, GCMD_TE, true))
		goto timeout;
	/* Pre-boot DMA protection: the firmware's protected memory regions are
	 * no longer needed once translation is on (§10.4.16-10.4.18). */
	if (r32(u, VTD_PMEN) & PMEN_PRS) {
		w32(u, VTD_PMEN, 0);
		iommu_wait32(reg32(u, VTD_PMEN), PMEN_PRS, 0);
	}
	return true;
timeout:
	log_err("iommu: %s: no answer (status 0x%x): not taken over", u->name, r32(u, VTD_GSTS));
	return false;
}

static uint64_t sl_table(uint64_t child, unsigned child_level)
{
	return child | SL_R | SL_W;
}

static uint64_t sl_leaf(uint64_t pa, unsigned level)
{
	return pa | SL_R | SL_W | (level > 1 ? SL_PS : 0);
}

static bool find_units(const struct acpi_header *dmar)
{
	const uint8_t *t = (const uint8_t *)dmar;
	units = pool_alloc_pages(1);
	if (!units)
		return false;
	for (uint32_t off = DMAR_STRUCTURES; off + 4 <= dmar->length;) {
		uint16_t type, len;
		memcpy(&type, t + off, 2);
		memcpy(&len, t + off + 2, 2);
		if (len < 4 || off + len > dmar->length)
			break;
		if (type == DMAR_TYPE_DRHD && len >= 16 && nunits < MAX_UNITS &&
		    (nunits + 1) * sizeof(*units) <= PAGE_SIZE) {
			struct vtd_unit *u = &units[nunits];
			memcpy(&u->base, t + off + DRHD_BASE, 8);
			memcpy(&u->segment, t + off + DRHD_SEGMENT, 2);
			/* The register set's size: 2^N pages (§8.3), at least one. */
			u->window.size = PAGE_SIZE << (t[off + DRHD_SIZE] & 0xF);
			fmt_snprintf(u->name, sizeof(u->name), "vt-d unit %u", nunits);
			nunits++;
		}
		off += len;
	}
	return nunits > 0;
}

static unsigned vtd_start(const struct iommu_platform *p)
{
	const struct acpi_header *dmar = acpi_find_table(p->acpi_rsdp, "DMAR");
	if (!dmar)
		return 0;
	if (!find_units(dmar)) {
		log_err("iommu: the DMAR table lists no remapping unit");
		return 0;
	}
	unsigned width = ((const uint8_t *)dmar)[DMAR_HAW] + 1;
	unsigned levels = 4, max_leaf = 3;
	bool coherent = true;
	for (unsigned i = 0; i < nunits; i++) {
		struct vtd_unit *u = &units[i];
		u->cap = r64(u, VTD_CAP);
		u->ecap = r64(u, VTD_ECAP);
		u->fro = CAP_FRO(u->cap);
		u->nfr = CAP_NFR(u->cap);
		if (!(CAP_SAGAW(u->cap) & 4))
			levels = 3;
		unsigned sllps = CAP_SLLPS(u->cap);
		unsigned leaf = (sllps & 2) ? 3 : (sllps & 1) ? 2 : 1;
		max_leaf = leaf < max_leaf ? leaf : max_leaf;
		coherent &= (u->ecap & ECAP_C) != 0;
		/* The window covers what the capabilities say the registers use. */
		uint64_t used = u->fro + u->nfr * 16;
		uint64_t iotlb_end = ECAP_IRO(u->ecap) + 16;
		used = used > iotlb_end ? used : iotlb_end;
		while (u->window.size < used)
			u->window.size += PAGE_SIZE;
		log_info("iommu: %s at 0x%lx: version 0x%x, cap 0x%lx, ecap 0x%lx (%s invalidation)",
			 u->name, (unsigned long)u->base, r32(u, VTD_VER), (unsigned long)u->cap,
			 (unsigned long)u->ecap, (u->ecap & ECAP_QI) ? "queued" : "register");
		if (!(CAP_SAGAW(u->cap) & 6)) {
			log_err("iommu: %s takes neither 3- nor 4-level tables: DMA is not "
				"contained", u->name);
			return 0;
		}
	}
	if (max_leaf < 2) {
		/* 4-KiB pages only: the map of RAM alone would cost a page per 2 MiB. */
		log_err("iommu: VT-d without large pages: DMA is not contained");
		return 0;
	}
	unsigned agaw = levels == 4 ? WIDTH_4_LEVELS : WIDTH_3_LEVELS;
	width = width < agaw ? width : agaw;
	struct io_pt_format fmt = { sl_table, sl_leaf, max_leaf };
	uint64_t end = io_pt_end(p, width, max_leaf);
	struct io_range holes[MAX_UNITS];
	for (unsigned i = 0; i < nunits; i++)
		holes[i] = (struct io_range){ units[i].base, units[i].window.size };
	uint64_t *pt = io_pt_build(&fmt, levels, end, holes, nunits);
	uint64_t *root = pool_alloc_pages(1), *context = pool_alloc_pages(1);
	if (!pt || !root || !context) {
		log_err("iommu: out of memory for the VT-d tables: DMA is not contained");
		return 0;
	}
	for (unsigned i = 0; i < 256; i++) {
		root[2 * i] = (uint64_t)context | ROOT_P;
		context[2 * i] = (uint64_t)pt | CTX_P;
		context[2 * i + 1] = CTX_AW(levels) | CTX_DID(DOMAIN);
	}
	if (!coherent)
		io_pt_flush_caches();

	unsigned on = 0;
	for (unsigned i = 0; i < nunits; i++) {
		struct vtd_unit *u = &units[i];
		u->on = unit_enable(u, (uint64_t)root);
		on += u->on;
	}
	if (!on)
		return 0;
	/* From here the guest must not find or reach the units: a DMAR-aware OS
	 * would otherwise program them with its own tables. */
	acpi_rename_table(dmar, "HDMR");
	for (unsigned i = 0; i < nunits; i++) {
		struct vtd_unit *u = &units[i];
		u->window.name = u->name;
		u->window.base = u->base;
		u->window.visible_end = VTD_ECAP + 8; /* version and capabilities */
		iommu_trap_window(&u->window);
	}
	log_info("iommu: VT-d: %u of %u units translating (%u-level tables, identity map of "
		 "0x%lx bytes without the hypervisor's memory); DMAR hidden from the guest",
		 on, nunits, levels, (unsigned long)end);
	if (on < nunits)
		log_err("iommu: DMA is not contained behind the units that did not start");
	return on;
}

static void unit_poll(struct vtd_unit *u)
{
	uint32_t fsts = r32(u, VTD_FSTS);
	if (!(fsts & (FSTS_PPF | FSTS_PFO)))
		return;
	for (unsigned i = 0; i < u->nfr; i++) {
		unsigned off = u->fro + i * 16;
		uint64_t hi = r64(u, off + 8);
		if (!(hi & FRCD_F))
			continue;
		uint64_t lo = r64(u, off);
		char what[40];
		fmt_snprintf(what, sizeof(what), "%s, fault reason %u",
			     (hi & FRCD_T) ? "read" : "write", FRCD_REASON(hi));
		iommu_report_blocked(u->segment, FRCD_SOURCE(hi), lo & ~0xFFFull, what);
		w32(u, off + 12, (uint32_t)(FRCD_F >> 32)); /* F is RW1C */
	}
	if (fsts & FSTS_PFO) {
		w32(u, VTD_FSTS, FSTS_PFO);
		iommu_report_lost(u->name);
	}
}

static void vtd_poll(void)
{
	for (unsigned i = 0; i < nunits; i++)
		if (units[i].on)
			unit_poll(&units[i]);
}

const struct iommu_driver vtd_driver = { "VT-d", vtd_start, vtd_poll };
