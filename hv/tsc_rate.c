/* SPDX-License-Identifier: GPL-2.0-only */
#include "hv/cpu.h"
#include "hv/tsc_rate.h"

/* Assumed TSC rate when CPUID does not say (leaves 0x15/0x16 absent, as on
 * QEMU's qemu64): 2 GHz, so a 50 ms timeout is 100M ticks (25-50 ms on 2-4 GHz). */
#define FALLBACK_TSC_MHZ 2000ull

uint64_t tsc_mhz(void)
{
	static uint64_t mhz;
	if (mhz)
		return mhz;
	/* CPUID 0x15: EAX/EBX is the TSC/crystal clock ratio, ECX the crystal's
	 * Hz; 0x16: EAX[15:0] the base frequency in MHz (SDM Vol. 2A, CPUID). */
	uint32_t max = cpuid(0, 0).eax;
	if (max >= 0x15) {
		struct cpuid_regs r = cpuid(0x15, 0);
		if (r.eax && r.ebx && r.ecx)
			mhz = (uint64_t)r.ecx * r.ebx / r.eax / 1000000;
	}
	if (!mhz && max >= 0x16)
		mhz = cpuid(0x16, 0).eax & 0xFFFF;
	if (!mhz)
		mhz = FALLBACK_TSC_MHZ;
	return mhz;
}
