/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iom/range_register.c - create, map, unmap and query, shared by both spaces.
 * The space-specific argument checks live in port_register.c and
 * mmio_register.c.
 */
#include "iom/iom_internal.h"
#include "iom/range_register.h"

iom_err_t iom_range_create(iom_space_t sp, const struct iom_range *tmpl,
			   uint32_t *handle)
{
	struct iom_addr_space *s = &iom_spaces[sp];
	iom_err_t err = IOM_E_OK;

	iom_spin_lock(&iom_reg_lock, &iom_lock_spins);
	if (iom_frozen) {
		err = IOM_E_FROZEN;
	} else if (s->n_ranges >= s->max_ranges) {
		err = IOM_E_NO_SPACE;
	} else {
		uint32_t i = s->n_ranges;

		s->ranges[i] = *tmpl;
		s->ranges[i].space = (uint8_t)sp;
		s->ranges[i].index = i;
		s->ranges[i].base = 0;
		s->ranges[i].mapped = 0;
		/* Its counters are zero: iom_init cleared them and indices
		 * are never reused. */
		/* Release: whoever sees the new count sees the whole range. */
		__atomic_store_n(&s->n_ranges, i + 1, __ATOMIC_RELEASE);
		*handle = s->handle_tag | i;
	}
	iom_spin_unlock(&iom_reg_lock);
	if (err != IOM_E_OK)
		iom_platform_log("iom: cannot create %s: %s", tmpl->name,
				 iom_err_name(err));
	return err;
}

iom_err_t iom_range_map(iom_space_t sp, uint32_t handle, uint64_t base)
{
	struct iom_addr_space *s = &iom_spaces[sp];
	iom_err_t err = IOM_E_OK;
	uint32_t index;

	iom_spin_lock(&iom_reg_lock, &iom_lock_spins);
	struct iom_range *r = iom_handle_range(sp, handle, &index);
	if (!r) {
		err = IOM_E_BAD_HANDLE;
	} else if (r->mapped) {
		err = IOM_E_ALREADY_MAPPED;
	} else if (base > s->addr_max || r->size - 1 > s->addr_max - base) {
		err = IOM_E_RANGE;
	} else if (iom_table_overlaps(s, base, base + r->size - 1)) {
		err = IOM_E_OVERLAP;
	} else if (iom_intercept(sp, base, r->size, true) != 0) {
		err = IOM_E_INTERCEPT;
	} else {
		/* Trapping first, visible second. */
		iom_table_publish(s, index, base);
	}
	iom_spin_unlock(&iom_reg_lock);
	return err;
}

iom_err_t iom_range_unmap(iom_space_t sp, uint32_t handle)
{
	struct iom_addr_space *s = &iom_spaces[sp];
	iom_err_t err = IOM_E_OK;
	uint32_t index;

	iom_spin_lock(&iom_reg_lock, &iom_lock_spins);
	struct iom_range *r = iom_handle_range(sp, handle, &index);
	if (!r) {
		err = IOM_E_BAD_HANDLE;
	} else if (!r->mapped) {
		err = IOM_E_NOT_MAPPED;
	} else {
		uint64_t base = r->base;

		/* Invisible first, untrapped second. A failure to untrap only
		 * leaves accesses trapping into the default action: safe. */
		iom_table_unpublish(s, index);
		if (iom_intercept(sp, base, r->size, false) != 0)
			iom_platform_log("iom: backend failed to untrap %s",
					 r->name);
	}
	iom_spin_unlock(&iom_reg_lock);
	return err;
}

iom_err_t iom_range_resize(iom_space_t sp, uint32_t handle, uint64_t size)
{
	iom_err_t err = IOM_E_OK;

	iom_spin_lock(&iom_reg_lock, &iom_lock_spins);
	struct iom_range *r = iom_handle_range(sp, handle, NULL);
	if (!r)
		err = IOM_E_BAD_HANDLE;
	else if (r->mapped)
		err = IOM_E_ALREADY_MAPPED;
	else
		r->size = size;
	iom_spin_unlock(&iom_reg_lock);
	return err;
}

iom_err_t iom_range_query(iom_space_t sp, uint32_t handle,
			  struct iom_range_info *info)
{
	if (!info)
		return IOM_E_INVALID;
	iom_spin_lock(&iom_reg_lock, &iom_lock_spins);
	struct iom_range *r = iom_handle_range(sp, handle, NULL);
	if (r) {
		info->name = r->name;
		info->base = r->base;
		info->size = r->size;
		info->flags = r->flags;
		info->mapped = r->mapped != 0;
	}
	iom_spin_unlock(&iom_reg_lock);
	return r ? IOM_E_OK : IOM_E_BAD_HANDLE;
}
