/* The hypervisor's devices: IOM clients registered before the take-over. */
#ifndef HV_DEVICES_H
#define HV_DEVICES_H

#include <stdbool.h>

#include <stdint.h>

#define DEVICES_MAX_TRACE 16

struct port_span {
	uint16_t first, last;
};

struct device_config {
	bool testdev; /* the test devices (hv/dev/testdev.c) */
	unsigned ntrace_ports;
	struct port_span trace_ports[DEVICES_MAX_TRACE]; /* hv/dev/trace.c */
};

/* Set by boot/ before hv_start. */
void devices_configure(const struct device_config *c);
void devices_register(void);

#endif
