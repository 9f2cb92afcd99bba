/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iom/mmio_register.c - creating, mapping and unmapping MMIO ranges.
 */
#include "iom/iom_internal.h"
#include "iom/range_register.h"

#define PAGE_MASK ((uint64_t)IOM_MMIO_PAGE_SIZE - 1)

static bool flags_valid(uint32_t flags)
{
	uint32_t known = IOM_MMIO_F_ABS | IOM_MMIO_READ_MASK | IOM_MMIO_WRITE_MASK;

	return !(flags & ~known)
	       && (flags & IOM_MMIO_READ_MASK) <= IOM_MMIO_READ_DWORD_QWORD
	       && (flags & IOM_MMIO_WRITE_MASK) <= IOM_MMIO_WRITE_ONLY_DWORD_QWORD;
}

iom_err_t iom_mmio_create(const struct iom_mmio_config *cfg,
			  iom_mmio_handle_t *out)
{
	if (!cfg || !out || !cfg->name)
		return IOM_E_INVALID;
	if (cfg->size == 0)
		return IOM_E_ZERO_SIZE;
	if (cfg->size & PAGE_MASK)
		return IOM_E_ALIGN;
	if (cfg->size - 1 > IOM_MMIO_ADDR_MAX)
		return IOM_E_RANGE;
	if (!flags_valid(cfg->flags))
		return IOM_E_FLAGS;
	/* Read-missing modes fetch the unwritten bytes from the device. */
	uint32_t wmode = cfg->flags & IOM_MMIO_WRITE_MASK;
	if ((wmode == IOM_MMIO_WRITE_DWORD_READ_MISSING
	     || wmode == IOM_MMIO_WRITE_DWORD_QWORD_READ_MISSING) && !cfg->read)
		return IOM_E_INVALID;

	struct iom_range tmpl = {
		.name = cfg->name,
		.user = cfg->user,
		.flags = cfg->flags,
		.size = cfg->size,
		.cb.mmio = { .read = cfg->read, .write = cfg->write },
	};
	return iom_range_create(IOM_SPACE_MMIO, &tmpl, out);
}

iom_err_t iom_mmio_map(iom_mmio_handle_t h, uint64_t gpa)
{
	/* Check the handle first so a bad handle is reported as such. */
	if (!iom_handle_range(IOM_SPACE_MMIO, h, NULL))
		return IOM_E_BAD_HANDLE;
	if (gpa & PAGE_MASK)
		return IOM_E_ALIGN;
	return iom_range_map(IOM_SPACE_MMIO, h, gpa);
}

iom_err_t iom_mmio_unmap(iom_mmio_handle_t h)
{
	return iom_range_unmap(IOM_SPACE_MMIO, h);
}

iom_err_t iom_mmio_resize(iom_mmio_handle_t h, uint64_t size)
{
	if (size == 0)
		return IOM_E_ZERO_SIZE;
	if (size & PAGE_MASK)
		return IOM_E_ALIGN;
	if (size - 1 > IOM_MMIO_ADDR_MAX)
		return IOM_E_RANGE;
	return iom_range_resize(IOM_SPACE_MMIO, h, size);
}

iom_err_t iom_mmio_query(iom_mmio_handle_t h, struct iom_range_info *info)
{
	return iom_range_query(IOM_SPACE_MMIO, h, info);
}
