/*
 * iom/port_dispatch.c - IN and OUT from the backends.
 */
#include "iom/iom_internal.h"
#include "iom/port_io.h"

iom_status_t iom_port_read(unsigned cpu, iom_ctx_t ctx, uint16_t port,
			   unsigned size, uint32_t *value)
{
	uint8_t b[4] = { 0xff, 0xff, 0xff, 0xff };

	if (!iom_port_size_ok(size) || !value) {
		iom_platform_log("iom: port read of %x: bad size %u or NULL value",
				 port, size);
		return IOM_INTERNAL_ERROR;
	}
	switch (iom_enter(cpu, IOM_SPACE_PORT, ctx, "port read")) {
	case IOM_ENTER_BAD:
		return IOM_INTERNAL_ERROR;
	case IOM_ENTER_TOO_DEEP:
		*value = iom_le_get(b, size);      /* the default action */
		return IOM_OK;
	case IOM_ENTER_OK:
		break;
	}
	iom_count_cpu(cpu, IOM_SPACE_PORT, IOM_STAT_READS, 1);
	iom_count_cpu(cpu, IOM_SPACE_PORT, IOM_STAT_IN, 1);
	iom_status_t st = iom_access(cpu, IOM_SPACE_PORT, ctx, IOM_OP_READ,
				     port, b, size);
	iom_leave(cpu);
	*value = iom_le_get(b, size);
	return st;
}

iom_status_t iom_port_write(unsigned cpu, iom_ctx_t ctx, uint16_t port,
			    unsigned size, uint32_t value)
{
	uint8_t b[4];

	if (!iom_port_size_ok(size)) {
		iom_platform_log("iom: port write of %x: bad size %u", port,
				 size);
		return IOM_INTERNAL_ERROR;
	}
	switch (iom_enter(cpu, IOM_SPACE_PORT, ctx, "port write")) {
	case IOM_ENTER_BAD:
		return IOM_INTERNAL_ERROR;
	case IOM_ENTER_TOO_DEEP:
		return IOM_OK;                     /* dropped */
	case IOM_ENTER_OK:
		break;
	}
	iom_count_cpu(cpu, IOM_SPACE_PORT, IOM_STAT_WRITES, 1);
	iom_count_cpu(cpu, IOM_SPACE_PORT, IOM_STAT_OUT, 1);
	iom_le_put(b, size, value);
	iom_status_t st = iom_access(cpu, IOM_SPACE_PORT, ctx, IOM_OP_WRITE,
				     port, b, size);
	iom_leave(cpu);
	return st;
}
