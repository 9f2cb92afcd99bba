/* SPDX-License-Identifier: GPL-2.0-only */
#include "hv/devices.h"
#include "hv/console/debug_console.h"
#include "hv/dev/vuart.h"
#include "hv/dev/lapic.h"
#include "hv/dev/testdev.h"
#include "hv/dev/port_e9.h"
#include "hv/dev/pcimon.h"
#include "hv/dev/rules.h"
#include "hv/trace/printer.h"

static struct device_config config;

void devices_configure(const struct device_config *c)
{
	config = *c;
	trace_configure(&c->trace);
}

void devices_register(uint64_t acpi_rsdp)
{
	/* Always: without it, an OS that starts its CPUs would take them out of
	 * the hypervisor (hv/exit/ipi.h). */
	lapic_register();
	if (config.vuart)
		vuart_register();
	if (config.testdev)
		testdev_register();
	if (config.debugcon)
		debugcon_register();
	if (config.pcimon)
		pcimon_register();
	/* Last: a rule traps only where no device does. */
	rules_register(config.rules, config.nrules < DEVICES_MAX_RULES ? config.nrules
								       : DEVICES_MAX_RULES,
		       acpi_rsdp);
}
