/* SPDX-License-Identifier: GPL-2.0-only */
/* The trace line format, version 1 (README "Trace lines"): one record per line,
 * whitespace-separated fields in a fixed order, then the decoded text:
 *
 *   trace: cpu1 tsc=40312780452 rip=ffffffff8b83e757 rule=1 out 0x70 size=1 <- 0x0a  cmos index = 0x0a (status A), NMI enabled
 *
 * Fields: cpuN; tsc= decimal; rip= hexadecimal; rule= 1-based (0: none);
 * direction in|out (ports, and PCI configuration through 0xCF8/0xCFC) or
 * read|write (MMIO); the address (0x hexadecimal; pci:BB:DD.F+0xRRR for a
 * configuration access); size= bytes; <- (write) or -> (read); the value
 * (0x, two digits per byte); the device ("-" when no decoder knows it); the
 * decoded text. Pure C (unit-tested). */
#ifndef HV_TRACE_LINE_H
#define HV_TRACE_LINE_H

#include "hv/trace/decode/decode.h"

#define TRACE_LINE_FORMAT_VERSION 1
#define TRACE_LINE_MAX 320

/* The line without the console's "iomvisor[N]: " prefix, into buf. */
void trace_format_line(char *buf, unsigned size, const struct trace_record *r,
		       const struct trace_text *t);

#endif
