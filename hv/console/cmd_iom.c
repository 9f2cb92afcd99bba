/* SPDX-License-Identifier: GPL-2.0-only */
/* Debug console: the IOM's ranges and counters. */
#include "hv/console/console.h"
#include "hv/console/debug_commands.h"
#include "hv/number.h"
#include "iom/iom.h"

/* "[-v] [ADDR]" in any order; false (after saying why) on anything else. */
static bool dump_options(const struct debug_cmd *c, char *const *args, unsigned n,
			 struct iom_dump_opts *o)
{
	*o = (struct iom_dump_opts){ 0 };
	for (unsigned i = 0; i < n; i++) {
		if (word_is(args[i], "-v") && !o->verbose) {
			o->verbose = true;
		} else if (!o->only && parse_number(args[i], &o->addr)) {
			o->only = true;
		} else {
			con_printf("error: '%s' is neither -v nor an address (e.g. 0x70)\n", args[i]);
			debug_cmd_usage(c);
			return false;
		}
	}
	return true;
}

static void ioport(char *const *args, unsigned n)
{
	struct iom_dump_opts o;
	if (!dump_options(&debug_cmds_iom[0], args, n, &o))
		return;
	if (o.only && o.addr > 0xFFFF)
		con_printf("error: port 0x%lx: ports end at 0xffff\n", (unsigned long)o.addr);
	else
		iom_dump_ports(debug_cmd_print, 0, &o);
}

static void mmio(char *const *args, unsigned n)
{
	struct iom_dump_opts o;
	if (dump_options(&debug_cmds_iom[1], args, n, &o))
		iom_dump_mmio(debug_cmd_print, 0, &o);
}

const struct debug_cmd debug_cmds_iom[] = {
	{ "ioport", "[-v] [PORT]",
	  "I/O port ranges, reads, writes; PORT: only its range\n"
	  "and its port names; -v: every counter and flag", 0, 2, ioport },
	{ "mmio", "[-v] [ADDR]",
	  "MMIO ranges, reads, writes; ADDR: only its range;\n"
	  "-v: every counter and flag", 0, 2, mmio },
	{ 0 },
};
