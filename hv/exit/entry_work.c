/* SPDX-License-Identifier: GPL-2.0-only */
#include "hv/exit/entry_work.h"

struct entry_work entry_work[HV_MAX_CPUS];

void entry_work_raise_all(void)
{
	for (unsigned cpu = 0; cpu < HV_MAX_CPUS; cpu++)
		entry_work_raise(cpu);
}
