/* SPDX-License-Identifier: GPL-2.0-only */
/* AMD-Vi DMA remapping (hv/iommu/iommu.h, hv/iommu/amdvi_regs.h for the spec
 * sections). Every IOMMU the IVRS table lists gets one device table whose
 * entries, one per device ID, all name domain 1 and the identity map without
 * the hypervisor's memory. Interrupts pass untranslated (IV clear). */
#include "hv/acpi.h"
#include "hv/console/console.h"
#include "hv/format.h"
#include "hv/iommu/amdvi_regs.h"
#include "hv/iommu/iommu_internal.h"
#include "hv/mem/pool.h"
#include "hv/string.h"

#define MAX_UNITS 8
#define DOMAIN 1
#define DTE_QWORDS 4
#define RING_ENTRIES 256

struct amdvi_unit {
	uint64_t base;
	uint16_t segment;
	uint64_t *cmd, *events;
	unsigned cmd_tail;
	bool on;
	volatile uint64_t wait_store; /* written by COMPLETION_WAIT */
	struct iommu_window window;
	char name[24];
};

static struct amdvi_unit *units; /* a pool page: hidden from the guest */
static unsigned nunits;
static uint64_t *devtab;
static unsigned devtab_pages;
static uint32_t last_devid;

static uint64_t r64(const struct amdvi_unit *u, unsigned off)
{
	return *(volatile uint64_t *)(u->base + off);
}

static void w64(const struct amdvi_unit *u, unsigned off, uint64_t v)
{
	*(volatile uint64_t *)(u->base + off) = v;
}

/* Queues one command. The ring never fills: callers wait for completion
 * after at most RING_ENTRIES / 2 commands. */
static void submit(struct amdvi_unit *u, uint64_t q0, uint64_t q1)
{
	u->cmd[2 * u->cmd_tail] = q0;
	u->cmd[2 * u->cmd_tail + 1] = q1;
	u->cmd_tail = (u->cmd_tail + 1) % RING_ENTRIES;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	w64(u, AMDVI_CMD_TAIL, (uint64_t)u->cmd_tail << 4);
}

/* COMPLETION_WAIT (§2.4.1): the IOMMU stores the data once every command
 * before it has completed. */
static bool complete(struct amdvi_unit *u)
{
	u->wait_store = 0;
	uint64_t addr = (uint64_t)&u->wait_store; /* 8-byte aligned */
	submit(u, CMD_OPCODE(CMD_COMPLETION_WAIT) | addr | CMD_WAIT_STORE, 1);
	return iommu_wait64(&u->wait_store, ~0ull, 1);
}

static bool invalidate(struct amdvi_unit *u)
{
	if (r64(u, AMDVI_EFR) & EFR_IA) {
		submit(u, CMD_OPCODE(CMD_INVALIDATE_IOMMU_ALL), 0);
		return complete(u);
	}
	for (uint32_t id = 0; id <= last_devid; id++) {
		submit(u, CMD_OPCODE(CMD_INVALIDATE_DEVTAB_ENTRY) | id, 0);
		/* Let the ring drain now and then instead of spinning on a full one. */
		if (id % (RING_ENTRIES / 2) == RING_ENTRIES / 2 - 1 && !complete(u))
			return false;
	}
	submit(u, CMD_OPCODE(CMD_INVALIDATE_IOMMU_PAGES) | (uint64_t)DOMAIN << 32,
	       INVALIDATE_ALL_PAGES);
	return complete(u);
}

static bool unit_enable(struct amdvi_unit *u)
{
	u->cmd = pool_alloc_pages(1);
	u->events = pool_alloc_pages(1);
	if (!u->cmd || !u->events) {
		log_err("iommu: %s: out of memory", u->name);
		return false;
	}
	uint64_t ctrl = r64(u, AMDVI_CONTROL);
	if (ctrl & CTRL_IOMMU_EN) {
		log_info("iommu: %s: the firmware left it on: replacing its tables", u->name);
		w64(u, AMDVI_CONTROL, 0);
	}
	w64(u, AMDVI_DEVTAB, (uint64_t)devtab | (devtab_pages - 1));
	w64(u, AMDVI_CMDBUF, (uint64_t)u->cmd | RING_LEN_256);
	w64(u, AMDVI_CMD_HEAD, 0);
	w64(u, AMDVI_CMD_TAIL, 0);
	w64(u, AMDVI_EVTLOG, (uint64_t)u->events | RING_LEN_256);
	w64(u, AMDVI_EVT_HEAD, 0);
	w64(u, AMDVI_EVT_TAIL, 0);
	/* An exclusion range would let DMA bypass the tables (§2.2.4): none. */
	w64(u, AMDVI_EXCL_BASE, 0);
	w64(u, AMDVI_EXCL_LIMIT, 0);
	w64(u, AMDVI_STATUS, r64(u, AMDVI_STATUS)); /* clear what is RW1C */
	w64(u, AMDVI_CONTROL, CTRL_CMD_BUF_EN | CTRL_EVENT_LOG_EN | CTRL_IOMMU_EN);
	if (!invalidate(u)) {
		log_err("iommu: %s: commands not completed (status 0x%lx): not taken over",
			u->name, (unsigned long)r64(u, AMDVI_STATUS));
		w64(u, AMDVI_CONTROL, 0);
		return false;
	}
	return true;
}

static uint64_t io_table(uint64_t child, unsigned child_level)
{
	return child | IOPTE_PR | IOPTE_NEXT(child_level) | IOPTE_IR | IOPTE_IW;
}

static uint64_t io_leaf(uint64_t pa, unsigned level)
{
	return pa | IOPTE_PR | IOPTE_IR | IOPTE_IW; /* Next Level 0 */
}

/* The highest device ID an IVHD block names (its device entries). */
static uint32_t ivhd_last_devid(const uint8_t *b, uint16_t len, unsigned first)
{
	uint32_t last = 0;
	for (unsigned off = first; off + 4 <= len;) {
		uint8_t type = b[off];
		uint16_t id;
		memcpy(&id, b + off + 1, 2);
		if (type == IVHD_DEV_ALL)
			return 0xFFFF;
		if (type >= 2 && type < IVHD_DEV_VARIABLE && id > last)
			last = id;
		if (type < 64)
			off += 4;
		else if (type < 128)
			off += 8;
		else if (type >= IVHD_DEV_VARIABLE && off + 22 <= len)
			off += 22 + b[off + IVHD_DEV_HID_UID_LEN];
		else
			return 0xFFFF; /* an entry we cannot size: cover everything */
	}
	return last;
}

static void find_units(const struct acpi_header *ivrs)
{
	const uint8_t *t = (const uint8_t *)ivrs;
	for (uint32_t off = IVRS_BLOCKS; off + 4 <= ivrs->length;) {
		uint8_t type = t[off];
		uint16_t len;
		memcpy(&len, t + off + 2, 2);
		if (len < 4 || off + len > ivrs->length)
			break;
		bool ivhd = type == IVHD_TYPE_10 || type == IVHD_TYPE_11 || type == IVHD_TYPE_40;
		unsigned first = type == IVHD_TYPE_10 ? IVHD_ENTRIES_10 : IVHD_ENTRIES_11;
		if (ivhd && len >= first) {
			uint64_t base;
			memcpy(&base, t + off + IVHD_BASE, 8);
			uint32_t last = ivhd_last_devid(t + off, len, first);
			last_devid = last > last_devid ? last : last_devid;
			/* Types 10h, 11h and 40h may each describe the same IOMMU. */
			bool known = false;
			for (unsigned i = 0; i < nunits; i++)
				known |= units[i].base == base;
			if (!known && nunits < MAX_UNITS) {
				struct amdvi_unit *u = &units[nunits];
				u->base = base;
				memcpy(&u->segment, t + off + IVHD_SEGMENT, 2);
				fmt_snprintf(u->name, sizeof(u->name), "amd-vi unit %u", nunits);
				nunits++;
			}
		}
		off += len;
	}
}

static unsigned amdvi_start(const struct iommu_platform *p)
{
	const struct acpi_header *ivrs = acpi_find_table(p->acpi_rsdp, "IVRS");
	if (!ivrs)
		return 0;
	units = pool_alloc_pages(1);
	if (!units)
		return 0;
	find_units(ivrs);
	if (!nunits) {
		log_err("iommu: the IVRS table lists no IOMMU");
		return 0;
	}
	/* 4 levels reach 256 TiB; 1-GiB pages are level-3 entries with Next
	 * Level 0 (§2.2.3), which every AMD-Vi IOMMU takes. */
	unsigned levels = 4;
	struct io_pt_format fmt = { io_table, io_leaf, 3 };
	uint64_t end = io_pt_end(p, 48, 3);
	struct io_range holes[MAX_UNITS];
	for (unsigned i = 0; i < nunits; i++) {
		struct amdvi_unit *u = &units[i];
		u->window.size =
			(r64(u, AMDVI_EFR) & EFR_PC) ? AMDVI_MMIO_SIZE_PC : AMDVI_MMIO_SIZE;
		holes[i] = (struct io_range){ u->base, u->window.size };
	}
	uint64_t *pt = io_pt_build(&fmt, levels, end, holes, nunits);
	/* 32 bytes per device ID, in whole pages (§2.2.2.1). */
	devtab_pages = ((last_devid + 1) * DTE_QWORDS * 8 + PAGE_SIZE - 1) / PAGE_SIZE;
	devtab = pool_alloc_pages(devtab_pages);
	if (!pt || !devtab) {
		log_err("iommu: out of memory for the AMD-Vi tables: DMA is not contained");
		return 0;
	}
	for (uint32_t id = 0; id <= last_devid; id++) {
		uint64_t *dte = devtab + id * DTE_QWORDS;
		dte[0] = DTE_V | DTE_TV | DTE_MODE(levels) | (uint64_t)pt | DTE_IR | DTE_IW;
		dte[1] = DOMAIN | DTE_IOCTL_PASS;
	}
	io_pt_flush_caches();

	unsigned on = 0;
	for (unsigned i = 0; i < nunits; i++) {
		struct amdvi_unit *u = &units[i];
		log_info("iommu: %s at 0x%lx: extended features 0x%lx", u->name,
			 (unsigned long)u->base, (unsigned long)r64(u, AMDVI_EFR));
		u->on = unit_enable(u);
		on += u->on;
	}
	if (!on)
		return 0;
	acpi_rename_table(ivrs, "HIVR");
	for (unsigned i = 0; i < nunits; i++) {
		struct amdvi_unit *u = &units[i];
		u->window.name = u->name;
		u->window.base = u->base;
		u->window.visible_first = AMDVI_EFR;
		u->window.visible_end = AMDVI_EFR + 8;
		iommu_trap_window(&u->window);
	}
	log_info("iommu: AMD-Vi: %u of %u IOMMUs translating (device IDs 0-0x%x, 4-level "
		 "tables, identity map of 0x%lx bytes without the hypervisor's memory); IVRS "
		 "hidden from the guest", on, nunits, last_devid, (unsigned long)end);
	if (on < nunits)
		log_err("iommu: DMA is not contained behind the IOMMUs that did not start");
	return on;
}

/* Blocked DMA is an IO_PAGE_FAULT event (AMD IOMMU spec §2.5.3). QEMU 7.2's
 * amd-iommu writes no events at all (docs/emulators.md), so on that emulator
 * nothing appears here. */
static void unit_poll(struct amdvi_unit *u)
{
	uint64_t head = r64(u, AMDVI_EVT_HEAD) & RING_OFFSET_MASK;
	uint64_t tail = r64(u, AMDVI_EVT_TAIL) & RING_OFFSET_MASK;
	if (head == tail && !(r64(u, AMDVI_STATUS) & STATUS_EVENT_OVERFLOW))
		return;
	while (head != tail) {
		const uint64_t *e = u->events + head / 8;
		uint64_t q0 = e[0], q1 = e[1];
		char what[40];
		if (EVENT_CODE(q0) == EVENT_IO_PAGE_FAULT) {
			iommu_report_blocked(u->segment, (uint16_t)q0, q1 & ~0xFFFull,
					     EVENT_RW(q0) ? "write, I/O page fault" :
							    "read, I/O page fault");
		} else {
			fmt_snprintf(what, sizeof(what), "event code 0x%x", EVENT_CODE(q0));
			iommu_report_blocked(u->segment, (uint16_t)q0, q1, what);
		}
		head = (head + 16) % (RING_ENTRIES * 16);
	}
	w64(u, AMDVI_EVT_HEAD, head);
	if (r64(u, AMDVI_STATUS) & STATUS_EVENT_OVERFLOW) {
		/* The log stops at overflow; restart it (§3.4.13). */
		w64(u, AMDVI_CONTROL, CTRL_CMD_BUF_EN | CTRL_IOMMU_EN);
		w64(u, AMDVI_STATUS, STATUS_EVENT_OVERFLOW);
		w64(u, AMDVI_EVT_HEAD, 0);
		w64(u, AMDVI_EVT_TAIL, 0);
		w64(u, AMDVI_CONTROL, CTRL_CMD_BUF_EN | CTRL_EVENT_LOG_EN | CTRL_IOMMU_EN);
		iommu_report_lost(u->name);
	}
}

static void amdvi_poll(void)
{
	for (unsigned i = 0; i < nunits; i++)
		if (units[i].on)
			unit_poll(&units[i]);
}

const struct iommu_driver amdvi_driver = { "AMD-Vi", amdvi_start, amdvi_poll };
