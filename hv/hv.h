/* SPDX-License-Identifier: GPL-2.0-only */
/* Starting the hypervisor, and what it knows about itself. */
#ifndef HV_HV_H
#define HV_HV_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/cpu_features.h"

/* The hypervisor's own memory, hidden from the guest. */
struct hv_memory {
	uint64_t pool_base, pool_size;
	uint64_t image_base, image_size;
	/* Below 1 MiB, for CPUs a real INIT resets (hv/rejoin.h); 0 if none. */
	uint64_t low_base, low_size;
};

/* Everything the hypervisor learns from boot/. It runs from its own copy of the
 * image (boot/relocate.c), whose variables start out as they were when the copy
 * was made, so all it needs is passed here. */
struct hv_start_params {
	const struct cpu_features *features;
	struct hv_memory memory;
	uint64_t top;		/* highest guest-physical address in the memory map */
	unsigned cpus;		/* logical CPUs */
	const uint32_t *apic_ids; /* of CPU 0 .. cpus-1 */
	uint16_t uart_base;	/* the console */
	uint64_t acpi_rsdp;	/* the ACPI RSDP's address, 0 if none (hv/iommu/) */
	int log_level;
};

enum hv_start_result {
	/* ready: every CPU may now take itself over */
	HV_STARTED,
	/* this CPU cannot run it (reason logged); nothing was set up */
	HV_NO_BACKEND,
	/* set-up failed part way (reason logged); its memory stays in use */
	HV_START_FAILED,
};
/* Builds the hypervisor's shared state and registers the devices; no CPU is
 * taken over yet. */
enum hv_start_result hv_start(const struct hv_start_params *p);
/* Then every CPU calls this (hv/takeover.S) from guest-visible code: it returns
 * 0 with the caller running as the guest, or a negative value. */
int hv_takeover_this_cpu(void);
unsigned hv_running_cpus(void);
const struct hv_memory *hv_memory(void);
/* Whether [first, last] touches the hypervisor's own memory (its pool or its
 * image), which no trap may ever expose. */
bool hv_memory_overlaps(uint64_t first, uint64_t last);

#endif
