/* What the IOM needs from the hypervisor (iom/iom_platform.h). */
#include <stdarg.h>
#include "hv/console.h"
#include "hv/cpu.h"
#include "iom/iom_platform.h"

void iom_platform_log(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	hv_vlog(LOG_ERROR, fmt, ap);
	va_end(ap);
}

void iom_platform_relax(void)
{
	cpu_relax();
}
