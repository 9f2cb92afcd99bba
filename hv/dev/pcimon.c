/* SPDX-License-Identifier: GPL-2.0-only */
#include "hv/console/console.h"
#include "hv/dev/passthrough.h"
#include "hv/cpu.h"
#include "hv/dev/pcimon.h"
#include "hv/pci.h"
#include "hv/trace/printer.h"
#include "iom/iom.h"

#define PCIMON_PORTS 8 /* 0xCF8-0xCFF */

/* The trace record's address: the configuration address (from the host bridge
 * itself: it is one register for all CPUs) and the data port's lane. */
static uint64_t trace_addr(uint16_t port)
{
	return (uint64_t)inl(PCI_CONFIG_ADDRESS) << 16 | port;
}

static iom_status_t pci_in(void *user, iom_ctx_t ctx, unsigned cpu, uint16_t port,
			   unsigned size, uint32_t *value)
{
	*value = port_read(port, size);
	if (port >= PCI_CONFIG_DATA)
		trace_record(cpu, TRACE_PCI, false, trace_addr(port), size, *value);
	return IOM_OK;
}

static iom_status_t pci_out(void *user, iom_ctx_t ctx, unsigned cpu, uint16_t port,
			    unsigned size, uint32_t value)
{
	port_write(port, size, value);
	if (port >= PCI_CONFIG_DATA)
		trace_record(cpu, TRACE_PCI, true, trace_addr(port), size, value);
	return IOM_OK;
}

void pcimon_register(void)
{
	struct iom_port_config pc = {
		.name = "pcimon",
		.count = PCIMON_PORTS,
		.flags = IOM_PORT_F_ABS,
		.in = pci_in,
		.out = pci_out,
	};
	iom_port_handle_t h;
	iom_err_t e;
	if ((e = iom_port_create(&pc, &h)) || (e = iom_port_map(h, PCI_CONFIG_ADDRESS)))
		log_err("pcimon: not installed (%s)", iom_err_name(e));
	else
		log_info("pcimon: ports 0x%x-0x%x", PCI_CONFIG_ADDRESS,
			 PCI_CONFIG_ADDRESS + PCIMON_PORTS - 1);
}
