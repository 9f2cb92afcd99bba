/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iom/port_register.c - creating, mapping and unmapping I/O-port ranges.
 */
#include "iom/iom_internal.h"
#include "iom/range_register.h"

iom_err_t iom_port_create(const struct iom_port_config *cfg,
			  iom_port_handle_t *out)
{
	if (!cfg || !out || !cfg->name)
		return IOM_E_INVALID;
	if (cfg->count == 0)
		return IOM_E_ZERO_SIZE;
	if (cfg->count > 0x10000u)
		return IOM_E_RANGE;
	if (cfg->flags & ~IOM_PORT_F_ABS)
		return IOM_E_FLAGS;

	struct iom_range tmpl = {
		.name = cfg->name,
		.user = cfg->user,
		.flags = cfg->flags,
		.size = cfg->count,
		.cb.port = {
			.in = cfg->in,
			.out = cfg->out,
			.in_str = cfg->in_str,
			.out_str = cfg->out_str,
			.descs = cfg->descs,
		},
	};
	return iom_range_create(IOM_SPACE_PORT, &tmpl, out);
}

iom_err_t iom_port_map(iom_port_handle_t h, uint16_t base)
{
	return iom_range_map(IOM_SPACE_PORT, h, base);
}

iom_err_t iom_port_unmap(iom_port_handle_t h)
{
	return iom_range_unmap(IOM_SPACE_PORT, h);
}

iom_err_t iom_port_resize(iom_port_handle_t h, uint32_t count)
{
	if (count == 0)
		return IOM_E_ZERO_SIZE;
	if (count > 0x10000u)
		return IOM_E_RANGE;
	return iom_range_resize(IOM_SPACE_PORT, h, count);
}

iom_err_t iom_port_query(iom_port_handle_t h, struct iom_range_info *info)
{
	return iom_range_query(IOM_SPACE_PORT, h, info);
}
