/* SPDX-License-Identifier: GPL-2.0-only */
/* Debug console: the IOM's ranges and counters. */
#include "hv/console/debug_commands.h"
#include "iom/iom.h"

static void ioport(char *const *args, unsigned n)
{
	iom_dump_ports(debug_cmd_print, 0);
}

static void mmio(char *const *args, unsigned n)
{
	iom_dump_mmio(debug_cmd_print, 0);
}

static void stats(char *const *args, unsigned n)
{
	iom_dump_stats(debug_cmd_print, 0);
}

const struct debug_cmd debug_cmds_iom[] = {
	{ "ioport", "", "I/O port ranges, their ports and counters", 0, 0, ioport },
	{ "mmio", "", "MMIO ranges and their counters", 0, 0, mmio },
	{ "stats", "", "IOM counters, all CPUs and per CPU", 0, 0, stats },
	{ 0 },
};
