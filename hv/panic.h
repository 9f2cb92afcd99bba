/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef HV_PANIC_H
#define HV_PANIC_H

/* Prints the reason and the CPU number on the console and stops the machine:
 * this CPU halts for good, interrupts off, and the others are sent an NMI, which
 * brings them to the host, where hv_check_panic halts them too. Never returns. */
_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Backends call this first thing on every exit. */
void hv_check_panic(void);

#define HV_ASSERT(cond)                                                              \
	do {                                                                         \
		if (!(cond))                                                         \
			panic("assertion failed: %s (%s:%d)", #cond, __FILE__, __LINE__); \
	} while (0)

#endif
