/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef BOOT_BANNER_H
#define BOOT_BANNER_H

#include "boot/memmap.h"
#include "boot/mp.h"
#include "hv/cpu_features.h"

/* The start-up banner on the serial console (after the version line): CPU, virtualization
 * features and what the firmware left enabled, CPUs, memory. Tests read it. */
void banner_print(const struct cpu_features *f, const struct mp_summary *mp,
		  const struct memmap_summary *mem);

#endif
