/* SPDX-License-Identifier: GPL-2.0-only */
#include <stdint.h>
#include "hv/console/console.h"
#include "hv/dev/testdev.h"
#include "hv/exit/exit_marks.h"
#include "hv/spinlock.h"
#include "hv/string.h"
#include "iom/iom.h"

/* One device state for all CPUs, as real hardware has; the lock keeps
 * multi-byte accesses whole. */
static struct {
	struct spinlock lock;
	uint8_t ports[TESTDEV_PORT_COUNT];
	uint8_t mmio[TESTDEV_MMIO_DEFER + TESTDEV_MMIO_DEFER_SIZE];
} dev;

/* Does this access touch a deferring register, in exit context? */
static bool must_defer(iom_ctx_t ctx, uint64_t off, unsigned size, uint64_t defer_at,
		       uint64_t defer_size)
{
	return ctx == IOM_CTX_EXIT && off + size > defer_at && off < defer_at + defer_size;
}

static iom_status_t port_in(void *user, iom_ctx_t ctx, unsigned cpu, uint16_t port,
			    unsigned size, uint32_t *value)
{
	if (must_defer(ctx, port, size, TESTDEV_PORT_DEFER, 4))
		return IOM_DEFER;
	EXIT_MARK(cpu, EXIT_MARK_DEV_IN);
	uint32_t v = 0;
	spin_lock(&dev.lock);
	memcpy(&v, dev.ports + port, size); /* little-endian, as the bus carries it */
	spin_unlock(&dev.lock);
	*value = v;
	EXIT_MARK(cpu, EXIT_MARK_DEV_OUT);
	return IOM_OK;
}

static iom_status_t port_out(void *user, iom_ctx_t ctx, unsigned cpu, uint16_t port,
			     unsigned size, uint32_t value)
{
	if (must_defer(ctx, port, size, TESTDEV_PORT_DEFER, 4))
		return IOM_DEFER;
	spin_lock(&dev.lock);
	memcpy(dev.ports + port, &value, size);
	spin_unlock(&dev.lock);
	return IOM_OK;
}

static iom_status_t mmio_read(void *user, iom_ctx_t ctx, unsigned cpu, uint64_t addr, void *buf,
			      unsigned size)
{
	if (addr + size > sizeof(dev.mmio))
		return IOM_UNUSED;
	if (must_defer(ctx, addr, size, TESTDEV_MMIO_DEFER, TESTDEV_MMIO_DEFER_SIZE))
		return IOM_DEFER;
	EXIT_MARK(cpu, EXIT_MARK_DEV_IN);
	spin_lock(&dev.lock);
	memcpy(buf, dev.mmio + addr, size);
	spin_unlock(&dev.lock);
	EXIT_MARK(cpu, EXIT_MARK_DEV_OUT);
	return IOM_OK;
}

static iom_status_t mmio_write(void *user, iom_ctx_t ctx, unsigned cpu, uint64_t addr,
			       const void *buf, unsigned size)
{
	if (addr + size > sizeof(dev.mmio))
		return IOM_OK; /* nothing there */
	if (must_defer(ctx, addr, size, TESTDEV_MMIO_DEFER, TESTDEV_MMIO_DEFER_SIZE))
		return IOM_DEFER;
	spin_lock(&dev.lock);
	memcpy(dev.mmio + addr, buf, size);
	spin_unlock(&dev.lock);
	return IOM_OK;
}

static const struct iom_port_desc port_names[TESTDEV_PORT_COUNT] = {
	{ "scratch0", "scratch0" }, { "scratch1", "scratch1" },
	{ "scratch2", "scratch2" }, { "scratch3", "scratch3" },
	{ "defer0", "defer0" },	    { "defer1", "defer1" },
	{ "defer2", "defer2" },	    { "defer3", "defer3" },
};

void testdev_register(void)
{
	struct iom_port_config pc = {
		.name = "testdev",
		.count = TESTDEV_PORT_COUNT,
		.in = port_in,
		.out = port_out,
		.descs = port_names,
	};
	struct iom_mmio_config mc = {
		.name = "testdev-mmio",
		.size = TESTDEV_MMIO_SIZE,
		.flags = IOM_MMIO_READ_PASSTHRU | IOM_MMIO_WRITE_PASSTHRU,
		.read = mmio_read,
		.write = mmio_write,
	};
	iom_port_handle_t ph;
	iom_mmio_handle_t mh;
	iom_err_t e;

	if ((e = iom_port_create(&pc, &ph)) || (e = iom_port_map(ph, TESTDEV_PORT_BASE)) ||
	    (e = iom_mmio_create(&mc, &mh)) || (e = iom_mmio_map(mh, TESTDEV_MMIO_BASE))) {
		log_err("testdev: cannot register (%s)", iom_err_name(e));
		return;
	}
	log_info("testdev: ports 0x%x-0x%x, MMIO 0x%lx-0x%lx", TESTDEV_PORT_BASE,
		 TESTDEV_PORT_BASE + TESTDEV_PORT_COUNT - 1, (unsigned long)TESTDEV_MMIO_BASE,
		 (unsigned long)(TESTDEV_MMIO_BASE + TESTDEV_MMIO_SIZE - 1));
}
