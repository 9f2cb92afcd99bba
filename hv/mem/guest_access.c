/* SPDX-License-Identifier: GPL-2.0-only */
#include "hv/mem/guest_access.h"
#include "hv/cpu.h"
#include "hv/host.h"
#include "hv/string.h"
#include "hv/mem/trap_map.h"
#include "hv/dev/rules.h"

/* REP string instructions on MMIO give the run loop a chance (pending interrupts,
 * the deferred queue) every so many iterations, as the CPU does between
 * iterations. */
#define REP_BUDGET 4096

static int read_gpa(void *ctx, uint64_t gpa, void *buf, size_t len)
{
	/* Page tables in hidden memory read as all ones (nothing is there for the
	 * guest), which the walker reports as a reserved-bit #PF; so do those the
	 * host cannot map (hv/mem/idmap.h: out of memory). */
	if (trap_map_is_hidden(gpa) || !host_maps(gpa, len))
		memset(buf, 0xFF, len);
	else
		memcpy(buf, (const void *)gpa, len);
	return 0;
}

static bool is_mmio(void *ctx, uint64_t gpa)
{
	return trap_map_is_special(gpa);
}

/* Rules (hv/dev/rules.h) act before and after the device. */
/* Always inlined (across files, by LTO): the MMIO fast path's read then pays
 * for one frame and one call less. */
__attribute__((always_inline)) iom_status_t guest_mmio_read(struct vcpu *v, iom_ctx_t ctx,
							    uint64_t gpa, void *buf, size_t size)
{
	bool rules = rules_active();
	iom_status_t st = rules && rules_before_read(v, RULE_MMIO, gpa, (unsigned)size, buf)
				  ? IOM_OK
				  : iom_mmio_read(v->index, ctx, gpa, buf, (unsigned)size);
	if (rules && st == IOM_OK)
		rules_after_read(v, RULE_MMIO, gpa, (unsigned)size, buf);
	return st;
}

iom_status_t guest_mmio_write(struct vcpu *v, iom_ctx_t ctx, uint64_t gpa, const void *buf,
			      size_t size)
{
	uint8_t steered[IOM_MMIO_MAX_ACCESS];
	if (rules_active() && size <= sizeof(steered)) {
		memcpy(steered, buf, size);
		if (!rules_before_write(v, RULE_MMIO, gpa, (unsigned)size, steered))
			return IOM_OK; /* dropped by a rule */
		buf = steered;
	}
	return iom_mmio_write(v->index, ctx, gpa, buf, (unsigned)size);
}

static int mmio_read(void *ctx, uint64_t gpa, void *buf, size_t size)
{
	struct guest_access *ga = ctx;
	return guest_mmio_read(ga->v, ga->ctx, gpa, buf, size);
}

static int mmio_write(void *ctx, uint64_t gpa, const void *buf, size_t size)
{
	struct guest_access *ga = ctx;
	return guest_mmio_write(ga->v, ga->ctx, gpa, buf, size);
}

/* Memory the IOM does not trap is not always RAM: an instruction that touches a
 * trapped page may also touch an untrapped device (MOVS between two BARs). So a
 * 1-, 2-, 4- or 8-byte access is one move of that width, as the guest's would
 * be, never a byte loop. */
static void move(void *dst, const void *src, size_t size)
{
	switch (size) {
	case 1:
		*(volatile uint8_t *)dst = *(const volatile uint8_t *)src;
		return;
	case 2:
		*(volatile uint16_t *)dst = *(const volatile uint16_t *)src;
		return;
	case 4:
		*(volatile uint32_t *)dst = *(const volatile uint32_t *)src;
		return;
	case 8:
		*(volatile uint64_t *)dst = *(const volatile uint64_t *)src;
		return;
	default:
		memcpy(dst, src, size);
	}
}

/* Memory the host cannot map (out of memory for its tables: hv/mem/idmap.h) takes
 * the default action of an unclaimed access: reads all ones, writes vanish. */
static int ram_read(void *ctx, uint64_t gpa, void *buf, size_t size)
{
	if (host_maps(gpa, size))
		move(buf, (const void *)gpa, size);
	else
		memset(buf, 0xFF, size);
	return 0;
}

static int ram_write(void *ctx, uint64_t gpa, const void *buf, size_t size)
{
	if (host_maps(gpa, size))
		move((void *)gpa, buf, size);
	return 0;
}

/* With a rule on, INS and OUTS go element by element, each through the
 * rules as an IN or OUT would, with the string contract of iom.h: a read that
 * defers reports the elements done before it; a write that finds the queue
 * full is a partial transfer (or IOM_RETRY if it was the first); another
 * outcome stops the transfer after its element. */
static iom_status_t port_string_ruled(struct guest_access *ga, uint16_t port, unsigned size,
				      bool is_in, uint8_t *buf, uint32_t *left)
{
	struct vcpu *v = ga->v;
	uint32_t wanted = *left;
	for (uint32_t i = 0; i < wanted; i++) {
		uint8_t *e = buf + (size_t)i * size;
		uint32_t value = 0;
		iom_status_t st;
		if (is_in) {
			st = rules_before_read(v, RULE_PORT, port, size, &value)
				     ? IOM_OK
				     : iom_port_read(v->index, ga->ctx, port, size, &value);
			if (st == IOM_READ_DEFERRED) {
				*left = wanted - i;
				return st;
			}
			if (st == IOM_OK)
				rules_after_read(v, RULE_PORT, port, size, &value);
			memcpy(e, &value, size);
		} else {
			memcpy(&value, e, size);
			st = rules_before_write(v, RULE_PORT, port, size, &value)
				     ? iom_port_write(v->index, ga->ctx, port, size, value)
				     : IOM_OK;
			if (st == IOM_RETRY) {
				*left = wanted - i;
				return i ? IOM_OK : IOM_RETRY;
			}
		}
		if (st != IOM_OK) {
			*left = wanted - i - 1;
			return st;
		}
	}
	*left = 0;
	return IOM_OK;
}

static int port_string(void *ctx, uint16_t port, unsigned size, bool is_in, void *buf,
		       uint64_t *count)
{
	struct guest_access *ga = ctx;
	uint32_t left = *count > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)*count;
	uint32_t wanted = left;
	iom_status_t st =
		rules_active() ? port_string_ruled(ga, port, size, is_in, buf, &left)
		: is_in	       ? iom_port_read_string(ga->v->index, ga->ctx, port, size, buf, &left)
			       : iom_port_write_string(ga->v->index, ga->ctx, port, size, buf, &left);
	*count = wanted - left; /* the callback reports the elements done */
	return st;
}

/* The guest sees the host's physical-address width (CPUID 80000008H passes
 * through), so its paging entries are checked against that. */
unsigned guest_phys_bits(void)
{
	static unsigned bits;
	if (!bits)
		bits = cpuid(0x80000008, 0).eax & 0xFF;
	return bits;
}

void guest_ops_init(struct x86_ops *ops, struct guest_access *ga)
{
	*ops = (struct x86_ops){
		.ctx = ga,
		.phys_bits = guest_phys_bits(),
		.rep_budget = REP_BUDGET,
		.read_gpa = read_gpa,
		.is_mmio = is_mmio,
		.mmio_read = mmio_read,
		.mmio_write = mmio_write,
		.ram_read = ram_read,
		.ram_write = ram_write,
		.port_string = port_string,
	};
}
