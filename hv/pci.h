/* SPDX-License-Identifier: GPL-2.0-only */
/* PCI configuration mechanism #1 (PCI Local Bus Specification 3.0 §3.2.2.3.2):
 * the address written to 0xCF8 selects bus, device, function and register; data
 * moves through 0xCFC-0xCFF. Pure C (unit-tested). */
#ifndef HV_PCI_H
#define HV_PCI_H

#include <stdbool.h>
#include <stdint.h>

#define PCI_CONFIG_ADDRESS 0xCF8
#define PCI_CONFIG_DATA 0xCFC

struct pci_config_access {
	bool enabled; /* bit 31 of the address */
	uint8_t bus, device, function;
	uint16_t reg; /* byte offset in configuration space, incl. the data port's lane */
};

/* What a data-port access at `port` (0xCFC-0xCFF) touches, given the address last
 * written to 0xCF8. */
struct pci_config_access pci_decode(uint32_t address, uint16_t port);

#endif
