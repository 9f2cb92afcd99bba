/* SPDX-License-Identifier: GPL-2.0-only */
/* Which guest-physical pages do not behave as RAM: MMIO the IOM traps (kept in
 * step by the IOM's intercept hook) and the hypervisor's own memory. The
 * emulator asks this when an instruction touches memory. */
#ifndef HV_TRAP_MAP_H
#define HV_TRAP_MAP_H

#include <stdbool.h>
#include <stdint.h>

/* Records [gpa, gpa+size) as trapped (or not). Returns 0, -1 when full. */
int trap_map_set(uint64_t gpa, uint64_t size, bool trapped);
void trap_map_hide(uint64_t gpa, uint64_t size);
/* True for trapped and hidden pages. */
bool trap_map_is_special(uint64_t gpa);
bool trap_map_is_hidden(uint64_t gpa);
/* Two windows [lo, hi) (hidden, trapped) that hold every special page, now and
 * before: an address outside both is ordinary RAM. Empty windows have lo == hi.
 * For a caller that asks about many addresses (hv/exit/mmio_fast.c). */
void trap_map_windows(uint64_t lo[2], uint64_t hi[2]);

#endif
