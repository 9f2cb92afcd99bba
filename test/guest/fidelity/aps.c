/* SPDX-License-Identifier: GPL-2.0-only */
/* AP restarts with interrupts flowing: the BSP starts and restarts every AP
 * with INIT-SIPI-SIPI, many times, alternating between two start-up pages, and
 * each time the AP checks that it starts as INIT leaves a CPU: from the page
 * its SIPI named, with a local APIC that delivers nothing until the AP enables
 * it (INIT resets the APIC's IRR, ISR and LVTs: SDM Vol. 3A §11.4.7.3), even
 * though the BSP left a fixed IPI pending in it just before the INIT. The AP's
 * program is ap_tramp.S. */
#include <efi.h>
#include <efilib.h>
#include "fidelity.h"
#include "hv/cpu.h"
#include "hv/string.h"
#include "mp.h"

#define IPI_VECTOR 0x41
#define IPIS_PER_ROUND 3
#define SPIN_CEILING 1000000000ull /* ends only a broken run */

extern char ap_tramp_start[], ap_tramp_end[], ap_tramp_data[], ap_tramp_ivtd[], ap_tramp_gdtd[],
	ap_tramp_gdt[], ap_tramp_ivt[], ap_tramp_stubs[];

/* The data words at ap_tramp_data, in their order there. */
struct ap_tramp_data {
	uint32_t alive, phase1, apic_on, ipis, ipi_target, masked, unexpected, last_vector;
	uint32_t apic_base, gp_taken, gp_bad_frame;
};

#define OFF(sym) ((uintptr_t)(sym) - (uintptr_t)ap_tramp_start)

static volatile uint32_t *apic; /* the BSP's xAPIC, which sends the IPIs */
static uint32_t ap_apic_base;	/* where each AP finds its own */

static volatile struct ap_tramp_data *data_of(uint64_t page)
{
	return (volatile struct ap_tramp_data *)(page + OFF(ap_tramp_data));
}

static void prepare_page(uint64_t page)
{
	memcpy((void *)page, ap_tramp_start, (size_t)(ap_tramp_end - ap_tramp_start));
	*(uint32_t *)(page + OFF(ap_tramp_ivtd) + 2) = (uint32_t)(page + OFF(ap_tramp_ivt));
	*(uint32_t *)(page + OFF(ap_tramp_gdtd) + 2) = (uint32_t)(page + OFF(ap_tramp_gdt));
	uint32_t *ivt = (uint32_t *)(page + OFF(ap_tramp_ivt));
	for (unsigned v = 0; v < 256; v++) /* real-mode far pointers: offset, segment */
		ivt[v] = (uint32_t)(page >> 4) << 16 | (uint32_t)(OFF(ap_tramp_stubs) + 8 * v);
}

static bool wait_for(volatile uint32_t *word, uint32_t value)
{
	for (uint64_t spin = 0; spin < SPIN_CEILING; spin++) {
		if (*word >= value)
			return true;
		cpu_relax();
	}
	return false;
}

static void send_ipi(uint32_t apic_id, uint32_t low)
{
	guest_xapic_ipi(apic, apic_id, low);
}

/* One life of one AP; false (with the reason printed) when it went wrong. */
static bool restart(uint32_t id, uint64_t page, unsigned round)
{
	volatile struct ap_tramp_data *d = data_of(page);
	d->alive = d->phase1 = d->apic_on = d->ipis = d->masked = d->unexpected = 0;
	d->gp_taken = d->gp_bad_frame = 0;
	d->ipi_target = IPIS_PER_ROUND;
	d->apic_base = ap_apic_base;

	/* INIT assert, INIT de-assert, then two SIPIs (SDM Vol. 3A §9.4.4.1). */
	send_ipi(id, ICR_DELIVERY_INIT << 8 | ICR_LEVEL_ASSERT | ICR_TRIGGER_LEVEL);
	send_ipi(id, ICR_DELIVERY_INIT << 8 | ICR_TRIGGER_LEVEL);
	send_ipi(id, ICR_DELIVERY_STARTUP << 8 | (uint32_t)(page >> 12));
	send_ipi(id, ICR_DELIVERY_STARTUP << 8 | (uint32_t)(page >> 12));

	const char *what = NULL;
	if (!wait_for(&d->alive, 1))
		what = "did not start from the page its SIPI named";
	else if (!wait_for(&d->phase1, 1) && d->gp_bad_frame)
		what = "took a real-mode #GP with an error code on its stack";
	else if (!wait_for(&d->phase1, 1))
		what = "stopped before enabling interrupts";
	else if (d->unexpected)
		what = "took an interrupt with the APIC as INIT leaves it";
	else if (!wait_for(&d->apic_on, 1))
		what = "did not enable its APIC";
	for (unsigned k = 1; !what && k <= IPIS_PER_ROUND; k++) {
		send_ipi(id, ICR_DELIVERY_FIXED << 8 | IPI_VECTOR);
		if (!wait_for(&d->ipis, k))
			what = "did not take the BSP's IPI";
	}
	if (!what && !wait_for(&d->masked, 1))
		what = "did not mask interrupts";
	if (!what && d->unexpected)
		what = "took an unexpected interrupt";
	if (what) {
		gprintf("guest: AP %u, round %u: %s (unexpected vector 0x%x, %u of them)\n", id,
			round, what, d->last_vector, d->unexpected);
		return false;
	}
	/* Left pending in the halted AP's IRR: the next INIT must drop it. */
	send_ipi(id, ICR_DELIVERY_FIXED << 8 | IPI_VECTOR);
	return true;
}

bool ap_set_init(struct ap_set *set)
{
	set->count = guest_ap_ids(set->ids, AP_SET_MAX);
	if (!set->count) {
		gprintf("guest: skip: one CPU\n");
		return false;
	}
	apic = guest_xapic();
	if (!apic) {
		gprintf("guest: skip: the APIC is not in xAPIC mode\n");
		return false;
	}
	ap_apic_base = (uint32_t)(uintptr_t)apic;

	EFI_PHYSICAL_ADDRESS pages = 0x9FFFF; /* below 1 MiB: a SIPI names a page there */
	if (EFI_ERROR(uefi_call_wrapper(BS->AllocatePages, 4, AllocateMaxAddress, EfiLoaderData, 2,
					&pages))) {
		guest_check(false, "two pages below 1 MiB for the APs' start-up code");
		return false;
	}
	prepare_page(pages);
	prepare_page(pages + 4096);
	set->pages = pages;
	return true;
}

bool ap_restart(const struct ap_set *set, unsigned a, unsigned round, uint64_t bsp_apic)
{
	apic = (volatile uint32_t *)bsp_apic;
	return restart(set->ids[a], set->pages + 4096 * (round & 1), round);
}

void ap_set_park(const struct ap_set *set, uint64_t bsp_apic)
{
	apic = (volatile uint32_t *)bsp_apic;
	for (unsigned a = 0; a < set->count; a++)
		send_ipi(set->ids[a],
			 ICR_DELIVERY_INIT << 8 | ICR_LEVEL_ASSERT | ICR_TRIGGER_LEVEL);
}

void test_ap_restarts(const struct ap_set *set, unsigned rounds)
{
	unsigned done = 0, gps = 0;
	bool ok = true;
	uint64_t f = irq_save();
	for (unsigned r = 0; ok && r < rounds; r++)
		for (unsigned a = 0; ok && a < set->count; a++) {
			ok = ap_restart(set, a, r, ap_apic_base);
			done += ok;
			gps += data_of(set->pages + 4096 * (r & 1))->gp_taken;
		}
	/* The APs stay parked in wait-for-SIPI: nothing else runs on them. */
	ap_set_park(set, ap_apic_base);
	irq_restore(f);
	gprintf("guest: real-mode RDMSR IA32_VMX_BASIC raised #GP in %u of %u AP starts\n", gps,
		done);
	guest_check(ok,
		    "%u APs restarted %u times each with INIT-SIPI-SIPI, IPIs flowing, "
		    "no unexpected vector (%u restarts done)",
		    set->count, rounds, done);
}
