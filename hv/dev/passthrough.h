/* SPDX-License-Identifier: GPL-2.0-only */
/* Reaching the real device behind a trapped port or MMIO address: what the
 * trace, deny, debugcon and PCI devices pass through to. The host identity-maps
 * physical memory, so an MMIO address is usable as a pointer in the host. */
#ifndef HV_DEV_PASSTHROUGH_H
#define HV_DEV_PASSTHROUGH_H

#include <stdint.h>

uint32_t port_read(uint16_t port, unsigned size);
void port_write(uint16_t port, unsigned size, uint32_t value);
/* Accesses of 1, 2, 4 or 8 bytes, as one access of that size. */
uint64_t mmio_read_phys(uint64_t gpa, unsigned size);
void mmio_write_phys(uint64_t gpa, unsigned size, uint64_t value);

#endif
