/* SPDX-License-Identifier: GPL-2.0-only */
#include <stdint.h>
#include "hv/console/console.h"
#include "hv/dev/port_e9.h"
#include "hv/percpu.h"
#include "iom/iom.h"

#define LINE_MAX 160

/* One line per CPU, so CPUs writing at once do not mix their characters. */
static struct {
	char buf[LINE_MAX + 1];
	unsigned len;
} lines[HV_MAX_CPUS];

static iom_status_t debugcon_in(void *user, iom_ctx_t ctx, unsigned cpu, uint16_t port,
				unsigned size, uint32_t *value)
{
	*value = DEBUGCON_PORT;
	return IOM_OK;
}

/* A byte that ends a line is printed, and printing waits for the deferred
 * context: the handler defers it without touching the line. */
static iom_status_t debugcon_out(void *user, iom_ctx_t ctx, unsigned cpu, uint16_t port,
				 unsigned size, uint32_t value)
{
	char c = (char)value;
	if (cpu >= HV_MAX_CPUS)
		return IOM_OK;
	bool ends = c == '\n' || lines[cpu].len == LINE_MAX;
	if (ends && ctx == IOM_CTX_EXIT)
		return IOM_DEFER;
	if (c != '\n' && c != '\r')
		lines[cpu].buf[lines[cpu].len++] = c;
	if (ends) {
		lines[cpu].buf[lines[cpu].len] = '\0';
		log_info("debugcon: cpu %u: %s", cpu, lines[cpu].buf);
		lines[cpu].len = 0;
	}
	return IOM_OK;
}

void debugcon_register(void)
{
	struct iom_port_config pc = {
		.name = "debugcon",
		.count = 1,
		.in = debugcon_in,
		.out = debugcon_out,
	};
	iom_port_handle_t h;
	iom_err_t e;
	if ((e = iom_port_create(&pc, &h)) || (e = iom_port_map(h, DEBUGCON_PORT)))
		log_err("debugcon: not installed (%s)", iom_err_name(e));
	else
		log_info("debugcon: port 0x%x", DEBUGCON_PORT);
}
