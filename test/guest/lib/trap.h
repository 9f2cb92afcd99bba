/* Catching an exception in a test guest: runs fn with #UD (or #GP) of a private
 * copy of the firmware's IDT pointing at a handler that abandons fn. */
#ifndef GUEST_TRAP_H
#define GUEST_TRAP_H

#include <stdbool.h>

/* True when fn raised #UD (fn is abandoned at the faulting instruction). */
bool guest_raises_ud(void (*fn)(void));
/* The same for #GP. */
bool guest_raises_gp(void (*fn)(void));

#endif
