/* SPDX-License-Identifier: GPL-2.0-only */
#include <stdint.h>
#include "idt.h"
#include "trap.h"

static uint64_t firmware_rflags;

/* trap_entry.S: guest_try(fn) runs fn and returns the vector it raised or -1;
 * trap_stubs holds 32 handlers of TRAP_STUB_SIZE bytes, one per vector. */
int guest_try(void (*fn)(void));
extern char trap_stubs[];
#define TRAP_STUB_SIZE 16
#define EXCEPTION_VECTORS 32

void trap_begin(void)
{
	__asm__ volatile("pushfq; popq %0; cli" : "=r"(firmware_rflags) : : "memory");
	/* Interrupt vectors keep the firmware's handlers. */
	for (unsigned v = 0; v < EXCEPTION_VECTORS; v++)
		guest_idt_set(v, (void (*)(void))(trap_stubs + v * TRAP_STUB_SIZE));
}

int trap_run(void (*fn)(void))
{
	return guest_try(fn);
}

void trap_end(void)
{
	guest_idt_restore();
	if (firmware_rflags & (1u << 9)) /* IF, as trap_begin found it */
		__asm__ volatile("sti" ::: "memory");
}

static int raised(void (*fn)(void))
{
	trap_begin();
	int v = trap_run(fn);
	trap_end();
	return v;
}

bool guest_raises_ud(void (*fn)(void))
{
	return raised(fn) == 6;
}

bool guest_raises_gp(void (*fn)(void))
{
	return raised(fn) == 13;
}
