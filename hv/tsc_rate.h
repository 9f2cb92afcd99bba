/* SPDX-License-Identifier: GPL-2.0-only */
/* The TSC's rate, for timeouts measured in TSC ticks: the hypervisor's
 * console line timeout and UART polling, and the test guests that must know
 * whether they stayed within such a timeout. */
#ifndef HV_TSC_RATE_H
#define HV_TSC_RATE_H

#include <stdint.h>

/* MHz from CPUID 0x15 (TSC/crystal ratio times the crystal's frequency) or
 * 0x16 (base frequency), else an assumed 2000 (QEMU's qemu64 has neither). */
uint64_t tsc_mhz(void);

#endif
