/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test/unit/iom_test_platform.h - host implementation of iom/iom_platform.h
 * plus shared fixtures for the test_iom_*.c programs.
 *
 * Header-only on purpose: every test/unit/test_*.c is its own executable, so
 * each includes this exactly once (it defines the platform hooks).
 */
#ifndef IOM_TEST_PLATFORM_H
#define IOM_TEST_PLATFORM_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "iom/iom.h"
#include "iom/iom_platform.h"

#define IOM_TEST_UNUSED __attribute__((unused))

/* ---- format checking: the hypervisor's formatter is small ---------------- */

/* True if fmt only uses %d %u %x %lx %lu %ld %llx %llu %p %s %c (and %%),
 * with optional '-', '0' and a width. */
static IOM_TEST_UNUSED bool iom_test_format_ok(const char *fmt)
{
	for (const char *p = fmt; *p; p++) {
		if (*p != '%')
			continue;
		p++;
		if (*p == '%')
			continue;
		while (*p == '-' || *p == '0')
			p++;
		while (*p >= '0' && *p <= '9')
			p++;
		int longs = 0;
		while (*p == 'l') {
			longs++;
			p++;
		}
		switch (*p) {
		case 'd': case 'u': case 'x':
			if (longs > 2)
				return false;
			break;
		case 'p': case 's': case 'c':
			if (longs)
				return false;
			break;
		default:
			return false;
		}
	}
	return true;
}

/* ---- the platform hooks ---------------------------------------------------- */

static unsigned iom_test_log_count;
static unsigned iom_test_bad_formats;
static char iom_test_last_log[512];

void iom_platform_log(const char *fmt, ...)
{
	va_list ap;

	if (!iom_test_format_ok(fmt))
		__atomic_fetch_add(&iom_test_bad_formats, 1, __ATOMIC_RELAXED);
	va_start(ap, fmt);
	vsnprintf(iom_test_last_log, sizeof(iom_test_last_log), fmt, ap);
	va_end(ap);
	__atomic_fetch_add(&iom_test_log_count, 1, __ATOMIC_RELAXED);
}

void iom_platform_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#endif
}

/* The IOM tests drain the deferred queues themselves; the hypervisor's
 * tests hook what the hypervisor does (hv/iom_platform.c). */
static void (*iom_test_on_queued)(unsigned cpu);

void iom_platform_deferred_queued(unsigned cpu)
{
	if (iom_test_on_queued)
		iom_test_on_queued(cpu);
}

/* A fake clock the tests control: every call returns the current value,
 * then advances it by iom_test_clock_step, so time spent is exact. */
static uint64_t iom_test_clock;
static uint64_t iom_test_clock_step = 1;

uint64_t iom_platform_timestamp(void)
{
	return __atomic_fetch_add(&iom_test_clock, iom_test_clock_step,
				  __ATOMIC_RELAXED);
}

/* Counts handler calls across every fake device (below), so tests can
 * check the order in which different devices were reached. */
static unsigned dev_seq;

/* Fresh IOM and log before each test (use as cmocka setup). */
static IOM_TEST_UNUSED int iom_test_setup(void **state)
{
	(void)state;
	iom_init();
	iom_test_clock = 0;
	iom_test_clock_step = 1;
	dev_seq = 0;
	iom_test_log_count = 0;
	iom_test_bad_formats = 0;
	iom_test_last_log[0] = 0;
	return 0;
}

/* ---- capturing dumps ----------------------------------------------------- */

struct iom_test_out {
	char buf[32768];
	size_t len;
	unsigned bad_formats;
};

static IOM_TEST_UNUSED void iom_test_print(void *arg, const char *fmt, ...)
{
	struct iom_test_out *o = arg;
	va_list ap;

	if (!iom_test_format_ok(fmt))
		o->bad_formats++;
	va_start(ap, fmt);
	int n = vsnprintf(o->buf + o->len, sizeof(o->buf) - o->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n < sizeof(o->buf) - o->len
			  ? (size_t)n : sizeof(o->buf) - o->len - 1;
}

/* ---- a recording fake device -------------------------------------------- */

#define DEV_MEM 8192
#define DEV_LOG 512

struct dev_call {
	char op;                /* 'i' in, 'o' out, 'I' in_str, 'O' out_str,
				 * 'r' mmio read, 'w' mmio write */
	iom_ctx_t ctx;
	unsigned cpu;
	uint64_t addr;          /* what the handler was given */
	unsigned size;
	uint64_t value;         /* little-endian value (first 8 bytes) */
	uint32_t count;         /* string calls: elements asked for */
	iom_status_t st;        /* what the handler returned */
	unsigned seq;           /* position among all devices' calls */
};


struct dev {
	uint8_t mem[DEV_MEM];   /* register file, indexed by addr % DEV_MEM */
	struct dev_call log[DEV_LOG];
	unsigned n;
	/* Exit-context calls with index >= defer_from (counting exit-context
	 * calls of this device from 0) return IOM_DEFER; -1: never. */
	int defer_from;
	unsigned exit_calls;
	/* Returned by calls that do not defer. */
	iom_status_t status;
	/* String handlers do at most this many elements per call (0: all). */
	uint32_t str_limit;
};

static IOM_TEST_UNUSED void dev_init(struct dev *d)
{
	memset(d, 0, sizeof(*d));
	d->defer_from = -1;
	for (unsigned i = 0; i < DEV_MEM; i++)
		d->mem[i] = (uint8_t)(i * 7 + 1);
}

static IOM_TEST_UNUSED uint64_t dev_le(const uint8_t *b, unsigned size)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < size && i < 8; i++)
		v |= (uint64_t)b[i] << (8 * i);
	return v;
}

/* Records a call and decides its status. */
static IOM_TEST_UNUSED iom_status_t dev_call(struct dev *d, char op,
					     iom_ctx_t ctx, unsigned cpu,
					     uint64_t addr, unsigned size,
					     uint64_t value, uint32_t count)
{
	iom_status_t st = d->status;

	if (ctx == IOM_CTX_EXIT) {
		if (d->defer_from >= 0 && d->exit_calls >= (unsigned)d->defer_from)
			st = IOM_DEFER;
		d->exit_calls++;
	}
	if (d->n < DEV_LOG)
		d->log[d->n++] = (struct dev_call){
			.op = op, .ctx = ctx, .cpu = cpu, .addr = addr,
			.size = size, .value = value, .count = count, .st = st,
			.seq = dev_seq,
		};
	dev_seq++;
	return st;
}

static IOM_TEST_UNUSED uint8_t *dev_at(struct dev *d, uint64_t addr)
{
	return &d->mem[addr % DEV_MEM];
}

static IOM_TEST_UNUSED iom_status_t dev_in(void *user, iom_ctx_t ctx,
					   unsigned cpu, uint16_t port,
					   unsigned size, uint32_t *value)
{
	struct dev *d = user;
	iom_status_t st = dev_call(d, 'i', ctx, cpu, port, size, 0, 0);

	if (st != IOM_DEFER && st != IOM_UNUSED)
		*value = (uint32_t)dev_le(dev_at(d, port), size);
	d->log[d->n - 1].value = *value;
	return st;
}

static IOM_TEST_UNUSED iom_status_t dev_out(void *user, iom_ctx_t ctx,
					    unsigned cpu, uint16_t port,
					    unsigned size, uint32_t value)
{
	struct dev *d = user;
	iom_status_t st = dev_call(d, 'o', ctx, cpu, port, size, value, 0);

	if (st != IOM_DEFER)
		for (unsigned i = 0; i < size; i++)
			*dev_at(d, port + i) = (uint8_t)(value >> (8 * i));
	return st;
}

static IOM_TEST_UNUSED iom_status_t dev_in_str(void *user, iom_ctx_t ctx,
					       unsigned cpu, uint16_t port,
					       unsigned size, void *dst,
					       uint32_t *count)
{
	struct dev *d = user;
	iom_status_t st = dev_call(d, 'I', ctx, cpu, port, size, 0, *count);
	uint32_t n = *count;

	if (st == IOM_DEFER)
		return st;
	if (d->str_limit && n > d->str_limit)
		n = d->str_limit;
	/* Element i reads the register plus i, so order is checkable. */
	for (uint32_t i = 0; i < n; i++) {
		uint32_t v = (uint32_t)dev_le(dev_at(d, port), size) + i;
		memcpy((uint8_t *)dst + (size_t)i * size, &v, size);
	}
	*count -= n;
	return st;
}

static IOM_TEST_UNUSED iom_status_t dev_out_str(void *user, iom_ctx_t ctx,
						unsigned cpu, uint16_t port,
						unsigned size, const void *src,
						uint32_t *count)
{
	struct dev *d = user;
	iom_status_t st = dev_call(d, 'O', ctx, cpu, port, size,
				   dev_le(src, size), *count);
	uint32_t n = *count;

	if (st == IOM_DEFER)
		return st;
	if (d->str_limit && n > d->str_limit)
		n = d->str_limit;
	/* Keep the last element written, like a data register. */
	memcpy(dev_at(d, port), (const uint8_t *)src + (size_t)(n - 1) * size,
	       size);
	*count -= n;
	return st;
}

static IOM_TEST_UNUSED iom_status_t dev_read(void *user, iom_ctx_t ctx,
					     unsigned cpu, uint64_t addr,
					     void *buf, unsigned size)
{
	struct dev *d = user;
	iom_status_t st = dev_call(d, 'r', ctx, cpu, addr, size, 0, 0);

	if (st != IOM_DEFER && st != IOM_UNUSED)
		for (unsigned i = 0; i < size; i++)
			((uint8_t *)buf)[i] = *dev_at(d, addr + i);
	d->log[d->n - 1].value = dev_le(buf, size);
	return st;
}

static IOM_TEST_UNUSED iom_status_t dev_write(void *user, iom_ctx_t ctx,
					      unsigned cpu, uint64_t addr,
					      const void *buf, unsigned size)
{
	struct dev *d = user;
	iom_status_t st = dev_call(d, 'w', ctx, cpu, addr, size,
				   dev_le(buf, size), 0);

	if (st != IOM_DEFER)
		for (unsigned i = 0; i < size; i++)
			*dev_at(d, addr + i) = ((const uint8_t *)buf)[i];
	return st;
}

/* Asserts call number i of d. */
#define assert_call(d, i, op_, ctx_, addr_, size_)                      \
	do {                                                            \
		assert_true((i) < (d)->n);                              \
		assert_int_equal((d)->log[i].op, (op_));                \
		assert_int_equal((d)->log[i].ctx, (ctx_));              \
		assert_int_equal((d)->log[i].addr, (addr_));            \
		assert_int_equal((d)->log[i].size, (size_));            \
	} while (0)

/* Creates and maps a port range over dev d; returns the handle. */
static IOM_TEST_UNUSED iom_port_handle_t map_port_dev(struct dev *d,
						      const char *name,
						      uint16_t base,
						      uint32_t count,
						      uint32_t flags)
{
	struct iom_port_config cfg = {
		.name = name, .count = count, .flags = flags, .user = d,
		.in = dev_in, .out = dev_out,
	};
	iom_port_handle_t h = 0;

	assert_int_equal(iom_port_create(&cfg, &h), IOM_E_OK);
	assert_int_equal(iom_port_map(h, base), IOM_E_OK);
	return h;
}

static IOM_TEST_UNUSED iom_mmio_handle_t map_mmio_dev(struct dev *d,
						      const char *name,
						      uint64_t gpa,
						      uint64_t size,
						      uint32_t flags)
{
	struct iom_mmio_config cfg = {
		.name = name, .size = size, .flags = flags, .user = d,
		.read = dev_read, .write = dev_write,
	};
	iom_mmio_handle_t h = 0;

	assert_int_equal(iom_mmio_create(&cfg, &h), IOM_E_OK);
	assert_int_equal(iom_mmio_map(h, gpa), IOM_E_OK);
	return h;
}

#endif
