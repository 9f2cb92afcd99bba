/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test/iom/bench_iom.c - instructions per IOM port dispatch (make bench-iom).
 *
 * Run under callgrind (test/iom/bench.sh): for 1, 16, 256 and 4,096 mapped
 * port ranges it times, in instructions, four ways of getting a port read
 * to its handler:
 *   direct    the handler called through a function pointer (the floor);
 *   linear    a linear scan over the same ranges, then the call (the naive
 *             monitor the sorted table replaces);
 *   hinted    iom_port_read on the same port again and again (the CPU's
 *             last-hit hint answers);
 *   unhinted  iom_port_read walking the ranges with a stride, so that no two
 *             consecutive reads hit the same range and the hint always
 *             misses (with one range it cannot miss).
 * Every mode runs the same loop over a precomputed array of ports, so loop
 * overhead is the same everywhere. Each measurement is bracketed by
 * callgrind client requests (zero, then dump with a label "MODE N OPS");
 * the script divides. Outside callgrind the requests do nothing and the
 * program just runs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <valgrind/callgrind.h>

#include "iom/iom.h"
#include "iom/iom_platform.h"

#define OPS 20000
#define MAX_N 4096
#define SPACING 8               /* ports between range bases */
#define PORTS_PER_RANGE 4
#define FIRST_PORT 0x1000

/* --- the platform ------------------------------------------------------- */

void iom_platform_log(const char *fmt, ...)
{
	fprintf(stderr, "iom log: %s\n", fmt);
}

void iom_platform_relax(void)
{
	__builtin_ia32_pause();
}

void iom_platform_deferred_queued(unsigned cpu)
{
	(void)cpu;
}

uint64_t iom_platform_timestamp(void)
{
	return __builtin_ia32_rdtsc();
}

/* --- the device ----------------------------------------------------------- */

static __attribute__((noinline)) iom_status_t handler(void *user, iom_ctx_t ctx,
						      unsigned cpu, uint16_t port,
						      unsigned size,
						      uint32_t *value)
{
	(void)user; (void)ctx; (void)cpu; (void)size;
	*value = port;
	return IOM_OK;
}

/* What the linear baseline scans: the same ranges, in a plain array. */
struct lin_range {
	uint32_t first, last;
	iom_port_in_fn *in;
	void *user;
};
static struct lin_range lin[MAX_N];
static unsigned lin_n;

static uint16_t ports[OPS];
static uint32_t sink;

/* Keeps the compiler from inlining or hoisting the handler call. */
static iom_port_in_fn *volatile direct_fn = handler;

static __attribute__((noinline)) void run_direct(void)
{
	iom_port_in_fn *fn = direct_fn;

	for (unsigned i = 0; i < OPS; i++) {
		uint32_t v;

		fn(NULL, IOM_CTX_EXIT, 0, (uint16_t)(ports[i] - FIRST_PORT), 1, &v);
		sink += v;
	}
}

static __attribute__((noinline)) void run_linear(void)
{
	for (unsigned i = 0; i < OPS; i++) {
		uint32_t p = ports[i], v = UINT32_MAX;

		for (unsigned k = 0; k < lin_n; k++)
			if (p >= lin[k].first && p <= lin[k].last) {
				lin[k].in(lin[k].user, IOM_CTX_EXIT, 0,
					  (uint16_t)(p - lin[k].first), 1, &v);
				break;
			}
		sink += v;
	}
}

static __attribute__((noinline)) void run_iom(void)
{
	for (unsigned i = 0; i < OPS; i++) {
		uint32_t v;

		if (iom_port_read(0, IOM_CTX_EXIT, ports[i], 1, &v) != IOM_OK)
			abort();
		sink += v;
	}
}

static void measure(const char *mode, unsigned n, void (*run)(void))
{
	char label[64];

	run();                  /* warm up: caches, hints, lazy binding */
	snprintf(label, sizeof(label), "%s %u %u", mode, n, OPS);
	CALLGRIND_ZERO_STATS;
	run();
	CALLGRIND_DUMP_STATS_AT(label);
}

static uint16_t port_of(unsigned range)
{
	return (uint16_t)(FIRST_PORT + range * SPACING + 1);
}

static void bench(unsigned n)
{
	struct iom_port_config cfg = {
		.name = "bench", .count = PORTS_PER_RANGE, .in = handler,
	};

	iom_init();
	lin_n = 0;
	for (unsigned r = 0; r < n; r++) {
		iom_port_handle_t h;
		uint16_t base = (uint16_t)(FIRST_PORT + r * SPACING);

		if (iom_port_create(&cfg, &h) != IOM_E_OK
		    || iom_port_map(h, base) != IOM_E_OK) {
			fprintf(stderr, "bench: cannot map range %u\n", r);
			exit(1);
		}
		lin[lin_n++] = (struct lin_range){
			base, base + PORTS_PER_RANGE - 1, handler, NULL,
		};
	}

	/* Same port: the last range, the linear scan's worst case. */
	for (unsigned i = 0; i < OPS; i++)
		ports[i] = port_of(n - 1);
	measure("direct", n, run_direct);
	measure("hinted", n, run_iom);

	/* Spread: a stride coprime to n (odd; n is a power of two) visits
	 * every range, never the same one twice in a row (for n > 1). */
	for (unsigned i = 0, r = 0; i < OPS; i++, r = (r + 2 * (n / 3) + 1) % n)
		ports[i] = port_of(r);
	measure("unhinted", n, run_iom);
	measure("linear", n, run_linear);
}

int main(void)
{
	static const unsigned sizes[] = { 1, 16, 256, 4096 };

	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		bench(sizes[i]);
	printf("bench-iom: done (%u)\n", (unsigned)(sink & 1));
	return 0;
}
