/* Traced port ranges ("trace port A-B"): each access goes through to the real
 * port and is logged with the CPU, guest RIP, direction, size, port, value and a
 * timestamp. Logging is console output, which never happens in exit context: the
 * device defers every access, and the IOM completes it from the deferred
 * context, in the guest's order. */
#ifndef HV_DEV_TRACE_H
#define HV_DEV_TRACE_H

#include <stdint.h>

void trace_register_ports(uint16_t first, uint16_t last);

#endif
