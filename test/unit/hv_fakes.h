/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test/unit/hv_fakes.h - the hypervisor-only services the common exit glue
 * calls (console, per-CPU lookup, vCPUs, event injection, panic, trace, the
 * debug console, the host's identity map), faked for the host
 * tests of hv/ files (test/hv.mk). Link-time seams: each is an ordinary
 * function or variable the hypervisor defines elsewhere, defined here instead.
 *
 * Header-only, like iom_test_platform.h: each test program includes it once.
 */
#ifndef TEST_HV_FAKES_H
#define TEST_HV_FAKES_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "hv/vendor.h"
#include "hv/console/console.h"
#include "hv/host.h"
#include "hv/panic.h"
#include "hv/percpu.h"
#include "hv/vcpu.h"
#include "hv/dev/rules.h"

#define HV_FAKE_UNUSED __attribute__((unused))

/* hv_fake_cpu.h's records. */
unsigned fake_port_writes;
uint32_t fake_port_last[2];
unsigned fake_irq_depth;

/* ---- console ------------------------------------------------------------- */

static unsigned fake_logs;
static char fake_last_log[512];

void hv_vlog(enum log_level level, const char *fmt, va_list ap)
{
	(void)level;
	vsnprintf(fake_last_log, sizeof(fake_last_log), fmt, ap);
	fake_logs++;
}

void hv_log(enum log_level level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	hv_vlog(level, fmt, ap);
	va_end(ap);
}

void con_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(fake_last_log, sizeof(fake_last_log), fmt, ap);
	va_end(ap);
}

/* ---- panic: a test that reaches it fails ---------------------------------- */

void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(fake_last_log, sizeof(fake_last_log), fmt, ap);
	va_end(ap);
	fail_msg("panic: %s", fake_last_log);
	__builtin_trap();
}

void hv_check_panic(void)
{
}

/* ---- CPUs and vCPUs --------------------------------------------------------- */

#define FAKE_CPUS 4
static struct vcpu fake_vcpus[FAKE_CPUS];
static uint32_t fake_apic_ids[FAKE_CPUS];
static unsigned fake_cpus = FAKE_CPUS;
static unsigned fake_this_cpu;

unsigned hv_cpu_index(void) { return fake_this_cpu; }
unsigned hv_cpu_count(void) { return fake_cpus; }
uint32_t percpu_apic_id(unsigned index) { return fake_apic_ids[index]; }

struct vcpu *vcpu_of(unsigned index)
{
	return index < fake_cpus ? &fake_vcpus[index] : NULL;
}

void vcpu_stop(struct vcpu *v, const char *why, ...)
{
	(void)why;
	v->state = VCPU_STOPPED;
}

/* The last exception the exit glue queued, and how many. */
static unsigned fake_injections;

void hv_raise_exception(struct vcpu *v, uint8_t vector, uint32_t error)
{
	v->event = (struct vcpu_exception){ .pending = true, .vector = vector, .error = error };
	fake_injections++;
}

/* ---- before-entry steps -------------------------------------------------- */

static unsigned fake_trace_drains, fake_debug_steps;

/* Called from inside trace_drain when set: a producer that raises work while
 * the entry's slow path runs. */
static void (*fake_on_drain)(unsigned cpu);
void trace_drain(unsigned cpu)
{
	fake_trace_drains++;
	if (fake_on_drain)
		fake_on_drain(cpu);
}
void debug_console_before_entry(struct vcpu *v) { (void)v; fake_debug_steps++; }
void iommu_poll(void) {}
/* Every APIC enabled unless a test disables one (IA32_APIC_BASE.EN). */
static bool fake_apic_disabled[FAKE_CPUS];
/* A test of hv/dev/lapic.c itself defines HV_FAKES_REAL_LAPIC. */
#ifndef HV_FAKES_REAL_LAPIC
bool lapic_enabled(unsigned cpu) { return cpu >= FAKE_CPUS || !fake_apic_disabled[cpu]; }
/* No local APIC here: the MMIO fast path finds no EOI or TPR to shortcut. */
bool lapic_fast_access(unsigned cpu, uint64_t gpa, bool write, uint64_t *value)
{
	(void)cpu, (void)gpa, (void)write, (void)value;
	return false;
}
#endif
/* By default nothing is left over and every poll is due, so each entry runs
 * every step; a test of the pending word (hv/exit/entry_work.h) sets these. */
static bool fake_debug_pending;
static uint64_t fake_poll_at, fake_trace_poll_at;
bool trace_pending(unsigned cpu) { (void)cpu; return false; }
uint64_t trace_poll_at(unsigned cpu) { (void)cpu; return fake_trace_poll_at; }
bool debug_console_pending(const struct vcpu *v) { (void)v; return fake_debug_pending; }
uint64_t vuart_poll_at(void) { return fake_poll_at; }
uint64_t iommu_poll_at(void) { return UINT64_MAX; }

/* ---- the local APIC's INIT reset (a CPU's own APIC: nothing in a process) -- */

static unsigned fake_lapic_resets;
const struct vendor_ops *hv_vendor = &(const struct vendor_ops){ .name = "fake" };
void lapic_init_reset(void (*accept_pending)(void)) { (void)accept_pending; fake_lapic_resets++; }

/* ---- rules (hv/dev/rules.h): none is ever on here ------------------------- */

struct rule_table rules_table;

bool rules_answer_read(struct vcpu *v, uint64_t candidates, enum rule_space sp, uint64_t addr,
		       unsigned size, void *buf)
{
	return false;
}

bool rules_act(struct vcpu *v, uint64_t candidates, enum rule_space sp, uint64_t addr,
	       unsigned size, bool write, void *buf)
{
	return true;
}

void trace_log_port(const struct vcpu *v, uint64_t rules, bool write, uint16_t port,
		    unsigned size, uint32_t value)
{
}

/* ---- the host's identity map: [0, eager_end) is what the test mapped -------- */

struct idmap host_idmap;

bool idmap_map(struct idmap *m, uint64_t addr)
{
	(void)m;
	(void)addr;
	return false; /* nothing beyond the test's memory */
}

static HV_FAKE_UNUSED void fake_reset(void)
{
	memset(fake_vcpus, 0, sizeof(fake_vcpus));
	memset(fake_apic_disabled, 0, sizeof(fake_apic_disabled));
	for (unsigned i = 0; i < FAKE_CPUS; i++) {
		fake_vcpus[i].index = i;
		fake_apic_ids[i] = i;
	}
	fake_cpus = FAKE_CPUS;
	fake_this_cpu = 0;
	fake_logs = fake_injections = fake_port_writes = 0;
	fake_trace_drains = fake_debug_steps = 0;
	fake_on_drain = NULL;
	fake_debug_pending = false;
	fake_poll_at = 0;
	fake_trace_poll_at = UINT64_MAX;
	fake_last_log[0] = 0;
}

#endif
