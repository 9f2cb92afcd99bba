#ifndef HV_PANIC_H
#define HV_PANIC_H

/* Prints the reason and the CPU number on the console and stops this CPU for
 * good, interrupts off. Never returns. */
_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define HV_ASSERT(cond)                                                              \
	do {                                                                         \
		if (!(cond))                                                         \
			panic("assertion failed: %s (%s:%d)", #cond, __FILE__, __LINE__); \
	} while (0)

#endif
