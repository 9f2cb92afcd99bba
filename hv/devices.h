/* SPDX-License-Identifier: GPL-2.0-only */
/* The hypervisor's devices: IOM clients registered before the take-over. */
#ifndef HV_DEVICES_H
#define HV_DEVICES_H

#include <stdbool.h>

#include <stdint.h>
#include "hv/rules/rule.h"
#include "hv/trace/filter.h"

#define DEVICES_MAX_RULES 32

/* Plain data, filled by boot/settings.c from the configuration. */
struct device_config {
	bool testdev;  /* the test devices (hv/dev/testdev.c) */
	bool debugcon; /* port 0xE9 output on the console (hv/dev/port_e9.c) */
	bool pcimon;   /* PCI configuration accesses decoded and traced (hv/dev/pcimon.c) */
	bool vuart;    /* the guest's console UART is a proxy (hv/dev/vuart.c; default on) */
	unsigned nrules;
	struct rule rules[DEVICES_MAX_RULES]; /* the configuration's, with their lines */
	struct trace_config trace; /* "trace filter ...", "trace limit ..." */
};

/* Set by boot/ before hv_start. */
void devices_configure(const struct device_config *c);
/* acpi_rsdp: where the rules find the ECAM window (0: none). */
void devices_register(uint64_t acpi_rsdp);

#endif
