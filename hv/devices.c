#include "hv/devices.h"
#include "hv/dev/testdev.h"

static struct device_config config;

void devices_configure(const struct device_config *c)
{
	config = *c;
}

void devices_register(void)
{
	if (config.testdev)
		testdev_register();
}
