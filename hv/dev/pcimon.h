/* SPDX-License-Identifier: GPL-2.0-only */
/* The PCI configuration monitor: accesses through 0xCF8/0xCFC-0xCFF pass through
 * to the host bridge and are traced decoded as bus:device.function and register
 * (hv/pci.h, hv/trace/printer.h). */
#ifndef HV_DEV_PCIMON_H
#define HV_DEV_PCIMON_H

void pcimon_register(void);

#endif
