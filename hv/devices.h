/* SPDX-License-Identifier: GPL-2.0-only */
/* The hypervisor's devices: IOM clients registered before the take-over. */
#ifndef HV_DEVICES_H
#define HV_DEVICES_H

#include <stdbool.h>

#include <stdint.h>
#include "hv/trace/filter.h"

#define DEVICES_MAX_RULES 32

/* "trace port 0x70-0x71", "deny mmio 0xfed00000+0x400", ... */
enum io_rule_kind { IO_RULE_TRACE, IO_RULE_DENY };
enum io_rule_space { IO_RULE_PORT, IO_RULE_MMIO };

struct io_rule {
	uint8_t kind;  /* enum io_rule_kind */
	uint8_t space; /* enum io_rule_space */
	uint64_t first, last; /* inclusive */
};

/* Plain data, filled by boot/settings.c from the configuration. */
struct device_config {
	bool testdev;  /* the test devices (hv/dev/testdev.c) */
	bool debugcon; /* port 0xE9 output on the console (hv/dev/port_e9.c) */
	bool pcimon;   /* PCI configuration accesses decoded and traced (hv/dev/pcimon.c) */
	bool vuart;    /* the guest's console UART is a proxy (hv/dev/vuart.c; default on) */
	unsigned nrules;
	struct io_rule rules[DEVICES_MAX_RULES];
	struct trace_config trace; /* "trace filter ...", "trace limit ..." */
};

/* Set by boot/ before hv_start. */
void devices_configure(const struct device_config *c);
void devices_register(void);

#endif
