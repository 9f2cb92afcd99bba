/* SPDX-License-Identifier: GPL-2.0-only */
/* Which trace records are printed ("trace filter" on the console and in the
 * configuration), and how many lines per second one register may print
 * ("trace limit"). A filter is a set of criteria that must all hold: rule N,
 * a port, MMIO or PCI range, a direction, a CPU, a value. A record is printed
 * when it matches no "not" filter and, if there are other filters, one of
 * them. Records that are not printed are still counted ("trace top").
 * Pure C (unit-tested). */
#ifndef HV_TRACE_FILTER_H
#define HV_TRACE_FILTER_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/trace/ring.h"

#define TRACE_MAX_FILTERS 8
#define TRACE_LIMIT_DEFAULT 20 /* lines per register per second */

enum {
	TF_RULE = 1 << 0,
	TF_SPACE = 1 << 1, /* kind (port, mmio, pci), within first..last */
	TF_WRITE = 1 << 2, /* direction */
	TF_CPU = 1 << 3,
	TF_VALUE = 1 << 4,
};

struct trace_filter {
	bool exclude; /* "not ...": records that match are not printed */
	uint8_t has;  /* TF_* criteria set */
	uint8_t kind; /* enum trace_kind, with TF_SPACE */
	bool write;
	uint16_t rule, cpu;
	uint64_t first, last, value;
};

/* What boot/ hands to hv/ (hv/devices.h), and what the console changes. */
struct trace_config {
	struct trace_filter filters[TRACE_MAX_FILTERS];
	unsigned nfilters;
	unsigned limit; /* lines per register per second; 0: no limit */
	bool limit_set; /* else TRACE_LIMIT_DEFAULT */
};

/* Parses the words after "trace filter": "[not] CRITERION..." with criteria
 * "rule N", "port SPAN", "mmio SPAN", "pci [SPAN]", "in|read", "out|write",
 * "cpu N", "value V" (SPAN as in hv/number.h). Returns NULL, or what is wrong. */
const char *trace_filter_parse(char *const *words, unsigned n, struct trace_filter *f);
/* Applies the words after "trace" when they are "filter ..." or "limit N|off"
 * (the configuration's and the console's syntax): adds a filter, "filter
 * clear" removes them all, sets the limit. *handled says whether the words
 * were one of these; returns NULL or what is wrong. */
const char *trace_config_apply(struct trace_config *c, char *const *words, unsigned n,
			       bool *handled);
bool trace_filter_match(const struct trace_filter *f, const struct trace_record *r);
/* Whether r is printed under the filters. */
bool trace_filters_pass(const struct trace_config *c, const struct trace_record *r);
/* "not port 0x70-0x71 in" (for listing). */
void trace_filter_describe(const struct trace_filter *f, char *buf, unsigned size);
unsigned trace_config_limit(const struct trace_config *c);

#endif
