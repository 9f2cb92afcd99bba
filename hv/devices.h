/* The hypervisor's devices: IOM clients registered before the take-over. */
#ifndef HV_DEVICES_H
#define HV_DEVICES_H

#include <stdbool.h>

struct device_config {
	bool testdev; /* the test devices (hv/dev/testdev.c) */
};

/* Set by boot/ before hv_start. */
void devices_configure(const struct device_config *c);
void devices_register(void);

#endif
