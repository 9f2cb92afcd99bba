/* SPDX-License-Identifier: GPL-2.0-only */
/* AVX state across exits: the hypervisor is built for general-purpose
 * registers only and must leave the guest's vector registers as they are
 * (docs/real-hardware.md). YMM0-15 get known values, trapped port, MMIO and
 * CPUID accesses exit (ymm.S), and the registers must read back unchanged,
 * all 256 bits. Needs AVX and XSAVE (CPUID.1:ECX); without them the check
 * is skipped with a SKIP line. If the firmware left CR4.OSXSAVE clear or
 * XCR0 without SSE and AVX state, they are enabled for the check (SDM Vol. 1
 * §13.3, §14.3: VEX instructions need both) and put back after. */
#include "mmiotest.h"
#include "hv/cpu.h"
#include "hv/dev/testdev.h"
#include "hv/x86/arch.h"
#include "iom/iom.h"

#define NYMM 16
#define YMM_BYTES 32

void ymm_across_exits(const uint8_t *in, uint8_t *out, uint16_t port, uint64_t mmio);

static uint8_t ymm_in[NYMM][YMM_BYTES] __attribute__((aligned(32)));
static uint8_t ymm_out[NYMM][YMM_BYTES] __attribute__((aligned(32)));

void run_ymm_case(void)
{
	const char *what = "YMM0-15 unchanged across trapped port, MMIO and CPUID exits";
	uint32_t ecx = cpuid(1, 0).ecx;
	if (!(ecx & CPUID_1_ECX_AVX) || !(ecx & CPUID_1_ECX_XSAVE)) {
		gprintf("guest: SKIP: %s: the CPU has no AVX (CPUID.1:ECX 0x%08x)\n", what, ecx);
		return;
	}
	/* A value per byte that differs across registers, lanes and bytes, so
	 * that a swapped, zeroed or half-restored register shows. */
	for (unsigned r = 0; r < NYMM; r++)
		for (unsigned b = 0; b < YMM_BYTES; b++) {
			ymm_in[r][b] = (uint8_t)(r * 37 + b * 11 + 0x5B);
			ymm_out[r][b] = 0;
		}

	/* Interrupts off: no firmware handler runs between the loads and the
	 * stores (its vector register use is not what is tested). */
	uint64_t fl = irq_save(), cr4 = read_cr4();
	const uint64_t avx_state = X86_XCR0_X87 | X86_XCR0_SSE | X86_XCR0_AVX;
	if (!(cr4 & X86_CR4_OSXSAVE))
		write_cr4(cr4 | X86_CR4_OSXSAVE);
	uint64_t xcr0 = xgetbv(0);
	if ((xcr0 & avx_state) != avx_state)
		xsetbv(0, xcr0 | avx_state);
	uint64_t r0 = range_stat(IOM_SPACE_PORT, TESTDEV_PORT_BASE, IOM_STAT_READS);
	uint64_t w0 = range_stat(IOM_SPACE_PORT, TESTDEV_PORT_BASE, IOM_STAT_WRITES);
	uint64_t m0 = mmio_accesses();
	ymm_across_exits(&ymm_in[0][0], &ymm_out[0][0], TESTDEV_PORT_BASE, TESTDEV_MMIO_BASE);
	uint64_t dr = range_stat(IOM_SPACE_PORT, TESTDEV_PORT_BASE, IOM_STAT_READS) - r0;
	uint64_t dw = range_stat(IOM_SPACE_PORT, TESTDEV_PORT_BASE, IOM_STAT_WRITES) - w0;
	uint64_t dm = mmio_accesses() - m0;
	if ((xcr0 & avx_state) != avx_state)
		xsetbv(0, xcr0);
	if (!(cr4 & X86_CR4_OSXSAVE))
		write_cr4(cr4);
	irq_restore(fl);

	gprintf("guest: ymm: the firmware left CR4.OSXSAVE %d, XCR0 0x%lx\n",
		!!(cr4 & X86_CR4_OSXSAVE), xcr0);
	bool ok = true;
	for (unsigned r = 0, shown = 0; r < NYMM; r++)
		for (unsigned b = 0; b < YMM_BYTES; b++)
			if (ymm_out[r][b] != ymm_in[r][b]) {
				if (shown++ < 4)
					gprintf("guest:   YMM%u byte %u: 0x%02x, expected 0x%02x\n",
						r, b, ymm_out[r][b], ymm_in[r][b]);
				ok = false;
			}
	/* The accesses really exited: two of each to the ports, three at the
	 * page (a deferred one may count again when retried). */
	if (dr < 2 || dw < 2 || dm < 3) {
		gprintf("guest:   the IOM counted %lu port reads, %lu port writes, %lu MMIO accesses; "
			"expected at least 2, 2, 3\n",
			dr, dw, dm);
		ok = false;
	}
	guest_check(ok, "%s", what);
	cases_run++;
}
