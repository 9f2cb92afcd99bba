/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iom/intercept.c - keeping the backend's traps in step with the registry.
 *
 * The backend (VMX I/O bitmap + EPT, SVM IOPM + NPT) decides what exits; the
 * IOM decides what is mapped. Both change only under the registration lock,
 * and map/unmap call the hook on the safe side of publishing (trap before a
 * range becomes visible, untrap after it disappeared), so there is never a
 * moment in which a mapped handler can be bypassed by a non-trapping access.
 */
#include "iom/iom_internal.h"

int iom_intercept(iom_space_t sp, uint64_t first, uint64_t size, bool trap)
{
	if (!iom_have_ops)
		return 0;       /* the backend replays when it installs its ops */
	if (sp == IOM_SPACE_PORT)
		return iom_ops.set_port_intercept
			? iom_ops.set_port_intercept(iom_ops.arg, (uint16_t)first,
						     (uint32_t)size, trap)
			: 0;
	return iom_ops.set_mmio_intercept
		? iom_ops.set_mmio_intercept(iom_ops.arg, first, size, trap)
		: 0;
}

iom_err_t iom_set_intercept_ops(const struct iom_intercept_ops *ops)
{
	iom_err_t err = IOM_E_OK;

	iom_spin_lock(&iom_reg_lock, &iom_lock_spins);
	if (!ops) {
		iom_have_ops = false;
		__builtin_memset(&iom_ops, 0, sizeof(iom_ops));
		iom_spin_unlock(&iom_reg_lock);
		return IOM_E_OK;
	}
	iom_ops = *ops;
	iom_have_ops = true;
	for (unsigned sp = 0; sp < IOM_SPACE_COUNT && err == IOM_E_OK; sp++) {
		const struct iom_addr_space *s = &iom_spaces[sp];

		for (uint32_t i = 0; i < s->n_map; i++) {
			const struct iom_map_entry *e = &s->map[i];

			if (iom_intercept((iom_space_t)sp, e->first,
					  e->last - e->first + 1, true) != 0) {
				iom_platform_log("iom: replaying %s to the backend failed",
						 s->ranges[e->range].name);
				err = IOM_E_INTERCEPT;
				break;
			}
		}
	}
	if (err != IOM_E_OK) {
		iom_have_ops = false;
		__builtin_memset(&iom_ops, 0, sizeof(iom_ops));
	}
	iom_spin_unlock(&iom_reg_lock);
	return err;
}

void iom_for_each_mapped_port(iom_port_visit_fn *fn, void *arg)
{
	const struct iom_addr_space *s = &iom_spaces[IOM_SPACE_PORT];

	iom_spin_lock(&iom_reg_lock, &iom_lock_spins);
	for (uint32_t i = 0; i < s->n_map; i++)
		fn(arg, (uint16_t)s->map[i].first,
		   (uint32_t)(s->map[i].last - s->map[i].first + 1),
		   s->handle_tag | s->map[i].range);
	iom_spin_unlock(&iom_reg_lock);
}

void iom_for_each_mapped_mmio(iom_mmio_visit_fn *fn, void *arg)
{
	const struct iom_addr_space *s = &iom_spaces[IOM_SPACE_MMIO];

	iom_spin_lock(&iom_reg_lock, &iom_lock_spins);
	for (uint32_t i = 0; i < s->n_map; i++)
		fn(arg, s->map[i].first, s->map[i].last - s->map[i].first + 1,
		   s->handle_tag | s->map[i].range);
	iom_spin_unlock(&iom_reg_lock);
}
