/* SPDX-License-Identifier: GPL-2.0-only */
/* Starting the IOMMU drivers, the guest's view of their registers, fault
 * polling and reporting (hv/iommu/iommu.h). */
#include "hv/console/console.h"
#include "hv/tsc_rate.h"
#include "hv/cpu.h"
#include "hv/dev/passthrough.h"
#include "hv/format.h"
#include "hv/iommu/iommu_internal.h"
#include "hv/mem/pool.h"
#include "hv/spinlock.h"
#include "hv/string.h"
#include "iom/iom.h"

#define POLL_INTERVAL_US 10000	/* 10 ms between fault checks */
#define WAIT_US 100000		/* a register-level handshake: 100 ms at most */
#define WRITES_LOGGED 8		/* per window; the rest are only counted */

static const struct iommu_driver *drivers[] = { &vtd_driver, &amdvi_driver };
static const struct iommu_driver *active[2];
static unsigned nactive;
static uint64_t poll_interval, next_poll;
static struct spinlock poll_lock;

void iommu_start(const struct iommu_platform *p)
{
	size_t free_before = pool_free_pages();
	for (unsigned i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++)
		if (drivers[i]->start(p))
			active[nactive++] = drivers[i];
	if (!nactive) {
		log_warn("iommu: none usable: DMA is not contained (a bus master the guest "
			 "programs can reach the hypervisor's memory)");
		return;
	}
	log_info("iommu: its tables take %lu pages of the pool",
		 (unsigned long)(free_before - pool_free_pages()));
	poll_interval = tsc_mhz() * POLL_INTERVAL_US;
	next_poll = rdtsc() + poll_interval;
}

/* One CPU polls at a time; the others go on (the next one is due soon). */
static __attribute__((noinline)) void poll_now(uint64_t now)
{
	if (!spin_trylock(&poll_lock))
		return;
	__atomic_store_n(&next_poll, now + poll_interval, __ATOMIC_RELAXED);
	for (unsigned i = 0; i < nactive; i++)
		active[i]->poll();
	spin_unlock(&poll_lock);
}

uint64_t iommu_poll_at(void)
{
	return nactive ? __atomic_load_n(&next_poll, __ATOMIC_RELAXED) : UINT64_MAX;
}

void iommu_poll(void)
{
	if (!nactive)
		return;
	uint64_t now = rdtsc();
	if (now >= __atomic_load_n(&next_poll, __ATOMIC_RELAXED))
		poll_now(now);
}

void iommu_report_blocked(uint16_t segment, uint16_t source, uint64_t addr, const char *what)
{
	char seg[8] = "";
	if (segment)
		fmt_snprintf(seg, sizeof(seg), "%04x:", segment);
	log_warn("iommu: DMA from %s%02x:%02x.%x to 0x%lx blocked (%s)", seg, source >> 8,
		 (source >> 3) & 0x1f, source & 7, (unsigned long)addr, what);
}

void iommu_report_lost(const char *unit)
{
	log_warn("iommu: %s: more DMA was blocked than it could record", unit);
}

static bool wait_until(bool (*done)(volatile void *, uint64_t, uint64_t), volatile void *reg,
		       uint64_t mask, uint64_t want)
{
	uint64_t end = rdtsc() + tsc_mhz() * WAIT_US;
	while (!done(reg, mask, want)) {
		if (rdtsc() > end)
			return done(reg, mask, want);
		cpu_relax();
	}
	return true;
}

static bool done32(volatile void *reg, uint64_t mask, uint64_t want)
{
	return (*(volatile uint32_t *)reg & mask) == want;
}

static bool done64(volatile void *reg, uint64_t mask, uint64_t want)
{
	return (*(volatile uint64_t *)reg & mask) == want;
}

bool iommu_wait32(volatile uint32_t *reg, uint32_t mask, uint32_t want)
{
	return wait_until(done32, reg, mask, want);
}

bool iommu_wait64(volatile uint64_t *reg, uint64_t mask, uint64_t want)
{
	return wait_until(done64, reg, mask, want);
}

/* Reads come as aligned dwords or qwords (IOM_MMIO_READ_DWORD_QWORD): both
 * IOMMUs' registers take only those (VT-d spec §10.2, AMD IOMMU spec §3.4). */
static iom_status_t window_read(void *user, iom_ctx_t ctx, unsigned cpu, uint64_t addr,
				void *buf, unsigned size)
{
	struct iommu_window *w = user;
	uint64_t v = 0;
	if (addr >= w->visible_first && addr + size <= w->visible_end)
		v = mmio_read_phys(w->base + addr, size);
	memcpy(buf, &v, size);
	return IOM_OK;
}

static iom_status_t window_write(void *user, iom_ctx_t ctx, unsigned cpu, uint64_t addr,
				 const void *buf, unsigned size)
{
	struct iommu_window *w = user;
	uint64_t v = 0;
	memcpy(&v, buf, size < sizeof(v) ? size : sizeof(v));
	unsigned n = __atomic_add_fetch(&w->writes, 1, __ATOMIC_RELAXED);
	if (n <= WRITES_LOGGED)
		log_warn("iommu: cpu %u wrote 0x%lx to %s register 0x%lx: dropped%s", cpu,
			 (unsigned long)v, w->name, (unsigned long)addr,
			 n == WRITES_LOGGED ? " (further writes are not logged)" : "");
	return IOM_OK;
}

bool iommu_trap_window(struct iommu_window *w)
{
	struct iom_mmio_config c = {
		.name = w->name,
		.size = w->size,
		.flags = IOM_MMIO_READ_DWORD_QWORD | IOM_MMIO_WRITE_PASSTHRU,
		.user = w,
		.read = window_read,
		.write = window_write,
	};
	iom_mmio_handle_t h;
	iom_err_t e;
	if ((e = iom_mmio_create(&c, &h)) || (e = iom_mmio_map(h, w->base))) {
		/* Translation stays on, but the guest could turn it off. */
		log_err("iommu: cannot trap %s's registers at 0x%lx (%s): DMA is not contained "
			"from a guest that finds them", w->name, (unsigned long)w->base,
			iom_err_name(e));
		return false;
	}
	return true;
}
