/* SPDX-License-Identifier: GPL-2.0-only */
/* DMA containment with the platform's IOMMU (Intel VT-d from the ACPI DMAR
 * table, AMD-Vi from the IVRS table). Every device's DMA goes through an
 * identity map of the physical address space that leaves out the hypervisor's
 * own memory (its pool and image, hv/hv.h), so a bus master the guest programs
 * reaches what the guest reaches and nothing more. The IOMMU's tables are built
 * once, before the first guest entry, and never change; the guest does not see
 * the ACPI table (renamed) and cannot reach the IOMMU's registers (trapped by
 * the IOM: reads show translation off, writes are dropped and logged). */
#ifndef HV_IOMMU_IOMMU_H
#define HV_IOMMU_IOMMU_H

#include <stdint.h>

struct iommu_platform {
	uint64_t acpi_rsdp;	/* 0: no ACPI tables known */
	unsigned phys_bits;	/* MAXPHYADDR (CPUID 80000008H) */
	uint64_t top;		/* highest address in the memory map */
};

/* Finds the IOMMUs, turns DMA translation on and registers the register traps
 * with the IOM (so before iom_freeze). Says on the console what is contained,
 * or "DMA is not contained" and why. */
void iommu_start(const struct iommu_platform *p);

/* Before guest entries: every 10 ms at most, reads the IOMMUs' fault records
 * and logs each blocked DMA. The common case is one RDTSC and a compare. */
void iommu_poll(void);
/* The TSC at which iommu_poll next polls (UINT64_MAX: no IOMMU in use). */
uint64_t iommu_poll_at(void);

#endif
