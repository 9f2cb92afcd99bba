/* SPDX-License-Identifier: GPL-2.0-only */
/* INIT/SIPI storms: with "storm=N", every N operations the BSP sends one of
 * the start-up IPIs to a random AP, drawn from the seed and the operation's
 * index (a generator of its own, so the operations' stream is the same with
 * and without storms). The APs run storm_tramp.S: a loop of trapped port
 * reads and CPUIDs, so the IPIs reach them inside exits. What each must do is
 * what a local APIC does (SDM Vol. 3A §9.4.4, §11.6.1):
 *   INIT            the AP stops and waits for a SIPI;
 *   SIPI            an AP waiting for one starts at the page it names, once;
 *                   a running AP ignores it and keeps running;
 *   INIT-SIPI       a restart;
 *   INIT-SIPI-SIPI  a restart, the second SIPI ignored (the MP start-up
 *                   sequence, SDM Vol. 3A §9.4.4.1).
 * After every batch each AP is restarted once more and must come back. */
#include <efi.h>
#include <efilib.h>
#include "hostile.h"
#include "hv/cpu.h"
#include "hv/dev/testdev.h"
#include "hv/string.h"
#include "hv/x86/arch.h"
#include "mp.h"

#define MAX_APS 7
#define STORM_SALT 0x5707A11ull
/* How long an AP may take to start or to go round its loop once: a ceiling
 * that ends only a broken run, in TSC ticks (storm_init's argument gives the
 * rate; the MSR operations may move the TSC a little, not by seconds). */
#define WAIT_CEILING_MS 30000ull

extern char storm_tramp_start[], storm_tramp_end[], storm_tramp_data[];

/* The words at storm_tramp_data, in their order there. */
struct storm_tramp_data {
	uint32_t starts, rounds, port;
};

struct storm_ap {
	uint32_t apic_id;
	uint64_t page;
	bool waiting; /* INIT taken, no SIPI since: in wait-for-SIPI */
};

enum storm_action { STORM_INIT, STORM_SIPI, STORM_INIT_SIPI, STORM_INIT_SIPI_SIPI, STORM_ACTIONS };
static const char *const action_names[STORM_ACTIONS] = { "INIT", "SIPI", "INIT-SIPI",
							 "INIT-SIPI-SIPI" };

static struct storm_ap aps[MAX_APS];
static unsigned naps;
static uint64_t tsc_ceiling;
static volatile uint32_t *apic;
static uint64_t sent[STORM_ACTIONS], restarts, ignored;

static volatile struct storm_tramp_data *data_of(const struct storm_ap *a)
{
	return (volatile struct storm_tramp_data *)(a->page +
						    (storm_tramp_data - storm_tramp_start));
}

static void send_ipi(uint32_t apic_id, uint32_t low)
{
	guest_xapic_ipi(apic, apic_id, low);
}

static void send_init(const struct storm_ap *a)
{
	send_ipi(a->apic_id, ICR_DELIVERY_INIT << 8 | ICR_LEVEL_ASSERT | ICR_TRIGGER_LEVEL);
	send_ipi(a->apic_id, ICR_DELIVERY_INIT << 8 | ICR_TRIGGER_LEVEL);
}

static void send_sipi(const struct storm_ap *a)
{
	send_ipi(a->apic_id, ICR_DELIVERY_STARTUP << 8 | (uint32_t)(a->page >> 12));
}

static bool wait_above(volatile uint32_t *word, uint32_t value)
{
	uint64_t t0 = rdtsc();
	while (rdtsc() - t0 < tsc_ceiling) {
		if (*word > value)
			return true;
		cpu_relax();
	}
	return *word > value;
}

/* After a sequence that ends with the AP running: it started exactly
 * `expected` times more than `starts0` and runs its loop again. */
static bool came_back(unsigned ap, uint32_t starts0, uint32_t expected, const char *what)
{
	volatile struct storm_tramp_data *d = data_of(&aps[ap]);
	const char *wrong = NULL;
	if (expected && !wait_above(&d->starts, starts0))
		wrong = "did not start";
	uint32_t rounds0 = d->rounds;
	if (!wrong && !wait_above(&d->rounds, rounds0))
		wrong = "does not run its loop";
	else if (!wrong && d->starts != starts0 + expected)
		wrong = expected ? "started more than once" : "restarted on a SIPI while running";
	if (wrong) {
		gprintf("hostile: FAIL: storm: AP %u (APIC ID %u) after %s: %s (starts %u, was %u)\n",
			ap, aps[ap].apic_id, what, wrong, d->starts, starts0);
		return false;
	}
	aps[ap].waiting = false;
	return true;
}

/* INIT-SIPI-SIPI; the AP must come back. */
static bool restart(unsigned ap, const char *what)
{
	uint32_t starts0 = data_of(&aps[ap])->starts;
	send_init(&aps[ap]);
	send_sipi(&aps[ap]);
	send_sipi(&aps[ap]);
	restarts++;
	return came_back(ap, starts0, 1, what);
}

bool storm_init(uint64_t tsc_per_ms)
{
	tsc_ceiling = WAIT_CEILING_MS * tsc_per_ms;
	uint32_t ids[MAX_APS];
	naps = guest_ap_ids(ids, MAX_APS);
	if (!naps) {
		gprintf("hostile: FAIL: storm: needs two CPUs or more\n");
		return false;
	}
	apic = guest_xapic();
	if (!apic) {
		gprintf("hostile: FAIL: storm: the APIC is not in xAPIC mode\n");
		return false;
	}
	for (unsigned a = 0; a < naps; a++)
		aps[a].apic_id = ids[a];
	/* One page each below 1 MiB: a SIPI names a page there. */
	EFI_PHYSICAL_ADDRESS pages = 0x9FFFF;
	if (EFI_ERROR(uefi_call_wrapper(BS->AllocatePages, 4, AllocateMaxAddress, EfiLoaderData,
					naps, &pages))) {
		gprintf("hostile: FAIL: storm: no pages below 1 MiB for the APs\n");
		return false;
	}
	size_t size = (size_t)(storm_tramp_end - storm_tramp_start);
	for (unsigned a = 0; a < naps; a++) {
		aps[a].page = pages + 4096ull * a;
		memcpy((void *)aps[a].page, storm_tramp_start, size);
		data_of(&aps[a])->port = TESTDEV_PORT_BASE;
	}
	for (unsigned a = 0; a < naps; a++)
		if (!restart(a, "the first start"))
			return false;
	restarts = 0;
	gprintf("hostile: storm: %u APs, one IPI sequence every %lu operations\n", naps, cfg.storm);
	return true;
}

bool storm_step(uint64_t index)
{
	struct prng p = prng_for(cfg.seed ^ STORM_SALT, index);
	unsigned ap = (unsigned)prng_below(&p, naps);
	enum storm_action act = (enum storm_action)prng_below(&p, STORM_ACTIONS);
	struct storm_ap *a = &aps[ap];
	uint32_t starts0 = data_of(a)->starts;
	sent[act]++;
	if (cfg.verbose)
		gprintf("hostile: storm at op %lu: %s to AP %u%s\n", index, action_names[act], ap,
			a->waiting ? " (waiting for SIPI)" : "");
	switch (act) {
	case STORM_INIT:
		send_init(a);
		a->waiting = true;
		return true;
	case STORM_SIPI:
		send_sipi(a);
		ignored += !a->waiting;
		return came_back(ap, starts0, a->waiting, "a SIPI");
	case STORM_INIT_SIPI:
		send_init(a);
		send_sipi(a);
		return came_back(ap, starts0, 1, "INIT-SIPI");
	default:
		send_init(a);
		send_sipi(a);
		send_sipi(a);
		return came_back(ap, starts0, 1, "INIT-SIPI-SIPI");
	}
}

bool storm_check(void)
{
	for (unsigned a = 0; a < naps; a++)
		if (!restart(a, "the batch's restart"))
			return false;
	return true;
}

void storm_report(bool ok)
{
	uint64_t total = 0;
	for (unsigned i = 0; i < STORM_ACTIONS; i++)
		total += sent[i];
	gprintf("hostile: storm: %lu sequences to %u APs: %lu INIT, %lu SIPI (%lu to a running "
		"AP), %lu INIT-SIPI, %lu INIT-SIPI-SIPI; %lu batch restarts\n",
		total, naps, sent[STORM_INIT], sent[STORM_SIPI], ignored, sent[STORM_INIT_SIPI],
		sent[STORM_INIT_SIPI_SIPI], restarts);
	guest_check(ok && total, "every AP came back after every INIT/SIPI sequence");
	/* Leave the APs parked: nothing else must run on them. */
	for (unsigned a = 0; a < naps; a++)
		send_ipi(aps[a].apic_id,
			 ICR_DELIVERY_INIT << 8 | ICR_LEVEL_ASSERT | ICR_TRIGGER_LEVEL);
}
