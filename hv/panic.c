#include <stdarg.h>
#include "hv/panic.h"
#include "hv/console.h"
#include "hv/cpu.h"
#include "hv/format.h"
#include "hv/percpu.h"

static volatile int panicking;

_Noreturn void panic(const char *fmt, ...)
{
	char reason[256];
	va_list ap;

	__asm__ volatile("cli" ::: "memory");
	va_start(ap, fmt);
	fmt_vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);

	/* The first CPU to panic owns the console even if another CPU died while
	 * holding its lock; later panics wait so the first report stays readable. */
	if (__atomic_exchange_n(&panicking, 1, __ATOMIC_ACQ_REL) == 0)
		console_force_unlock();
	con_printf("\niomvisor[%u] PANIC: %s\niomvisor[%u] PANIC: this CPU is stopped\n",
		   hv_cpu_index(), reason, hv_cpu_index());
	cpu_halt_forever();
}
