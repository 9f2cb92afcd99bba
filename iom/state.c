/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iom/state.c - the IOM's global state: tables, per-CPU data, life cycle.
 */
#include "iom/iom_internal.h"

static struct iom_map_entry port_map[IOM_MAX_PORT_RANGES];
static struct iom_range port_ranges[IOM_MAX_PORT_RANGES];
static struct iom_map_entry mmio_map[IOM_MAX_MMIO_RANGES];
static struct iom_range mmio_ranges[IOM_MAX_MMIO_RANGES];
/* Per-range counters, per CPU (footprint: see iom.h). */
static struct iom_range_stats port_rstats[IOM_MAX_CPUS][IOM_MAX_PORT_RANGES];
static struct iom_range_stats mmio_rstats[IOM_MAX_CPUS][IOM_MAX_MMIO_RANGES];

struct iom_addr_space iom_spaces[IOM_SPACE_COUNT];
struct iom_cpu iom_cpus[IOM_MAX_CPUS];
bool iom_fast_enabled = true;
uint32_t iom_reg_lock;
uint64_t iom_lock_spins;
bool iom_frozen;
bool iom_have_ops;
struct iom_intercept_ops iom_ops;

void iom_init(void)
{
	__builtin_memset(port_map, 0, sizeof(port_map));
	__builtin_memset(port_ranges, 0, sizeof(port_ranges));
	__builtin_memset(mmio_map, 0, sizeof(mmio_map));
	__builtin_memset(mmio_ranges, 0, sizeof(mmio_ranges));
	__builtin_memset(port_rstats, 0, sizeof(port_rstats));
	__builtin_memset(mmio_rstats, 0, sizeof(mmio_rstats));
	__builtin_memset(iom_cpus, 0, sizeof(iom_cpus));
	for (unsigned i = 0; i < IOM_MAX_CPUS; i++)
		iom_hints_reset(&iom_cpus[i]);
	iom_lock_spins = 0;
	__builtin_memset(&iom_ops, 0, sizeof(iom_ops));
	iom_have_ops = false;
	iom_frozen = false;
	iom_reg_lock = 0;

	iom_spaces[IOM_SPACE_PORT] = (struct iom_addr_space){
		.max_ranges = IOM_MAX_PORT_RANGES,
		.addr_max = 0xFFFF,
		.handle_tag = IOM_PORT_HANDLE_TAG,
		.map = port_map,
		.ranges = port_ranges,
		.rstats = &port_rstats[0][0],
	};
	iom_spaces[IOM_SPACE_MMIO] = (struct iom_addr_space){
		.max_ranges = IOM_MAX_MMIO_RANGES,
		.addr_max = IOM_MMIO_ADDR_MAX,
		.handle_tag = IOM_MMIO_HANDLE_TAG,
		.map = mmio_map,
		.ranges = mmio_ranges,
		.rstats = &mmio_rstats[0][0],
	};
	for (unsigned i = 0; i < IOM_MAX_CPUS; i++) {
		iom_cpus[i].rstats[IOM_SPACE_PORT] = port_rstats[i];
		iom_cpus[i].rstats[IOM_SPACE_MMIO] = mmio_rstats[i];
	}
	/* Make the reset visible to CPUs that start using the IOM after this
	 * CPU hands them control through some release/acquire of their own. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void iom_freeze(void)
{
	iom_spin_lock(&iom_reg_lock, &iom_lock_spins);
	iom_frozen = true;
	iom_spin_unlock(&iom_reg_lock);
}

bool iom_is_frozen(void)
{
	iom_spin_lock(&iom_reg_lock, &iom_lock_spins);
	bool frozen = iom_frozen;
	iom_spin_unlock(&iom_reg_lock);
	return frozen;
}

struct iom_range *iom_handle_range(iom_space_t sp, uint32_t handle,
				   uint32_t *index)
{
	struct iom_addr_space *s = &iom_spaces[sp];

	if ((handle & ~0xFFFFu) != s->handle_tag)
		return NULL;
	uint32_t i = handle & 0xFFFFu;
	/* Acquire pairs with the release in create: a handle we accept names
	 * a fully initialised range. */
	if (i >= __atomic_load_n(&s->n_ranges, __ATOMIC_ACQUIRE))
		return NULL;
	if (index)
		*index = i;
	return &s->ranges[i];
}
