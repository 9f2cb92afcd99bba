/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iom/range_register.h - the space-independent half of registration.
 */
#ifndef IOM_RANGE_REGISTER_H
#define IOM_RANGE_REGISTER_H

#include "iom/iom_internal.h"

/* tmpl is fully checked by the caller; this only claims a slot. */
iom_err_t iom_range_create(iom_space_t sp, const struct iom_range *tmpl,
			   uint32_t *handle);
/* Checks handle, mapped state, address limit and overlap, then traps and
 * publishes. Space-specific alignment is checked by the caller. */
iom_err_t iom_range_map(iom_space_t sp, uint32_t handle, uint64_t base);
iom_err_t iom_range_unmap(iom_space_t sp, uint32_t handle);
/* Sets an unmapped range's size; the caller checked it for its space. */
iom_err_t iom_range_resize(iom_space_t sp, uint32_t handle, uint64_t size);
iom_err_t iom_range_query(iom_space_t sp, uint32_t handle,
			  struct iom_range_info *info);

#endif
