/* SPDX-License-Identifier: GPL-2.0-only */
/* Where an exit's instructions go: TSC marks along the exit path, in a build
 * made for it (make bench builds one with EXIT_MARKS=1; the marks cost a few
 * instructions each, so the ordinary build has none). Under QEMU -icount the
 * TSC counts executed instructions, so the differences between marks are the
 * lengths of the path's parts. The guest asks for the last exit's parts with
 * the HC_EXIT_MARKS hypercall (hv/exit/hypercall.h). */
#ifndef HV_EXIT_MARKS_H
#define HV_EXIT_MARKS_H

#include <stdbool.h>
#include <stdint.h>

enum exit_mark {
	EXIT_MARK_ENTER,    /* the vendor's exit handler starts (after the entry glue) */
	EXIT_MARK_DECODED,  /* the vendor's exit information is read: dispatch */
	EXIT_MARK_IOM_IN,   /* the IOM is called (after any instruction decode) */
	EXIT_MARK_DEV_IN,   /* the device's handler starts */
	EXIT_MARK_DEV_OUT,  /* the device's handler returns */
	EXIT_MARK_IOM_OUT,  /* the IOM returns */
	EXIT_MARK_TAIL,     /* the exit tail starts (hv/exit/exit_tail.h) */
	EXIT_MARK_DONE,     /* the exit tail ends: back to the entry glue */
	EXIT_MARK_COUNT
};

/* The parts HC_EXIT_MARKS reports, in ticks. */
enum exit_part {
	EXIT_PART_VENDOR,  /* ENTER..DECODED */
	EXIT_PART_HANDLER, /* DECODED..TAIL less the IOM and device: decode, completion */
	EXIT_PART_IOM,     /* IOM_IN..IOM_OUT less the device */
	EXIT_PART_DEVICE,  /* DEV_IN..DEV_OUT */
	EXIT_PART_TAIL,    /* TAIL..DONE */
	EXIT_PART_COUNT
};

#ifdef HV_EXIT_MARKS
#include "hv/cpu.h"
#include "hv/percpu.h"

/* Per CPU: the marks of the exit in progress (0: not passed). */
struct exit_marks_now {
	uint64_t at[EXIT_MARK_COUNT];
} __attribute__((aligned(64)));
extern struct exit_marks_now exit_marks_now[HV_MAX_CPUS];

/* At DONE: keep this exit's marks as the last exit's, start afresh. */
void exit_marks_done(unsigned cpu);

/* A mark is an RDTSC and a store, inline, so that it adds as little as it can
 * to the part it bounds (the rest is measured and taken off). */
static inline void exit_mark(unsigned cpu, enum exit_mark which)
{
	uint64_t t = rdtsc();
	if (cpu < HV_MAX_CPUS)
		exit_marks_now[cpu].at[which] = t;
	if (which == EXIT_MARK_DONE)
		exit_marks_done(cpu);
}

/* The parts of the exit before the current one (the hypercall's own exit is
 * the current one); false in a build without marks. */
bool exit_marks_last(unsigned cpu, uint64_t part[EXIT_PART_COUNT]);
#define EXIT_MARK(cpu, which) exit_mark(cpu, which)
#else
#define EXIT_MARK(cpu, which) ((void)(cpu))
static inline bool exit_marks_last(unsigned cpu, uint64_t part[EXIT_PART_COUNT])
{
	(void)cpu;
	(void)part;
	return false;
}
#endif

#endif
