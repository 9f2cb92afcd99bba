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

void devices_register(void)
{
	/* Always: without it, an OS that starts its CPUs would take them out of
	 * the hypervisor (hv/exit/ipi.h). */
	lapic_register();
	if (config.vuart) {
		vuart_register();
		if (vuart_present())
			debug_commands_register();
	}
	if (config.testdev)
		testdev_register();
	if (config.debugcon)
		debugcon_register();
	if (config.pcimon)
		pcimon_register();
	for (unsigned i = 0; i < config.nrules && i < DEVICES_MAX_RULES; i++)
		io_rule_register(&config.rules[i]);
}
