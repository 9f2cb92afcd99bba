/* SPDX-License-Identifier: GPL-2.0-only */
/* Where this machine's movable devices are, for the trace decoders
 * (hv/trace/decode/decode.h): read once from the ACPI tables at start. */
#ifndef HV_TRACE_PLATFORM_H
#define HV_TRACE_PLATFORM_H

#include <stdint.h>
#include "hv/trace/decode/decode.h"

/* Fills the platform from the FADT, HPET, MADT and MCFG tables found from the
 * RSDP (0: none, the defaults stay), and logs what it found. */
void trace_platform_init(uint64_t acpi_rsdp);
const struct trace_platform *trace_platform(void);

#endif
