/* SPDX-License-Identifier: GPL-2.0-only */
/* A moved xAPIC: the BSP moves its APIC's registers to another page (WRMSR
 * IA32_APIC_BASE, SDM Vol. 3A §11.4.4), starts every AP with INIT-SIPI-SIPI
 * through the page's new place, moves it back and starts them again. Under a
 * hypervisor that catches INIT and SIPI where they are written, the catching
 * must move along: else the real INIT reaches a CPU under the hypervisor, and
 * the AP never starts. Also, a write with a reserved bit (bit 9) must raise
 * #GP as on the CPU. Machines whose APIC does not move (QEMU keeps its
 * registers at 0xFEE00000 whatever the base says) say so and skip. */
#include "fidelity.h"
#include "hv/cpu.h"
#include "trap.h"

/* Outside QEMU's 1-MiB APIC and MSI window at 0xFEE00000 and its HPET page,
 * inside the hole below 4 GiB that nothing else uses in these machines. */
#define MOVED_BASE 0xFED80000ull
#define ROUNDS 4
#define RESERVED_BIT9 (1ull << 9)

static uint64_t saved_base;

static void write_reserved(void)
{
	wrmsr(MSR_IA32_APIC_BASE, saved_base | RESERVED_BIT9);
}

static bool restart_all(const struct ap_set *set, uint64_t bsp_apic, unsigned *done)
{
	for (unsigned r = 0; r < ROUNDS; r++)
		for (unsigned a = 0; a < set->count; a++) {
			if (!ap_restart(set, a, r, bsp_apic))
				return false;
			(*done)++;
		}
	return true;
}

void test_apic_base_moves(const struct ap_set *set)
{
	saved_base = rdmsr(MSR_IA32_APIC_BASE);
	uint64_t home = saved_base & APIC_BASE_ADDR_MASK;
	gprintf("guest: WRMSR IA32_APIC_BASE with reserved bit 9: %s\n",
		guest_raises_gp(write_reserved) ? "#GP" : "done");
	wrmsr(MSR_IA32_APIC_BASE, saved_base); /* whatever the line above did */

	uint64_t f = irq_save();
	uint32_t version = *(volatile uint32_t *)(home + APIC_REG_VERSION);
	wrmsr(MSR_IA32_APIC_BASE, (saved_base & ~APIC_BASE_ADDR_MASK) | MOVED_BASE);
	bool moved = *(volatile uint32_t *)(MOVED_BASE + APIC_REG_VERSION) == version;
	unsigned done = 0;
	bool ok = !moved || restart_all(set, MOVED_BASE, &done);
	wrmsr(MSR_IA32_APIC_BASE, saved_base);
	ok = ok && (!moved || restart_all(set, home, &done));
	ap_set_park(set, home);
	irq_restore(f);
	if (!moved) {
		gprintf("guest: skip: the APIC's registers do not move with IA32_APIC_BASE here\n");
		return;
	}
	guest_check(ok, "%u APs restarted by INIT-SIPI-SIPI through the BSP's xAPIC moved to "
			"0x%lx, then back at 0x%lx (%u restarts done)",
		    set->count, (unsigned long)MOVED_BASE, (unsigned long)home, done);
}
