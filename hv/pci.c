/* SPDX-License-Identifier: GPL-2.0-only */
#include "hv/pci.h"

struct pci_config_access pci_decode(uint32_t address, uint16_t port)
{
	/* Bits: 31 enable, 23:16 bus, 15:11 device, 10:8 function, 7:2 dword
	 * register; the data port's low two bits pick the byte lane. */
	return (struct pci_config_access){
		.enabled = address >> 31,
		.bus = (uint8_t)(address >> 16),
		.device = (address >> 11) & 0x1F,
		.function = (address >> 8) & 7,
		.reg = (uint16_t)((address & 0xFC) | (port & 3)),
	};
}
