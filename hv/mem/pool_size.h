/* SPDX-License-Identifier: GPL-2.0-only */
/* How big the hypervisor's pool (hv/mem/pool.h) must be: sized from the
 * number of CPUs and the memory map it must hold, not a fixed figure. */
#ifndef HV_POOL_SIZE_H
#define HV_POOL_SIZE_H

#include <stddef.h>
#include <stdint.h>

/* Pages for cpus CPUs on a machine whose memory map ends at top. */
size_t pool_pages_for(unsigned cpus, uint64_t top);

#endif
