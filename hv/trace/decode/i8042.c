/* SPDX-License-Identifier: GPL-2.0-only */
/* The i8042 keyboard controller (IBM PC/AT Technical Reference, "Keyboard
 * Controller"): data at 0x60, status (read) and command (write) at 0x64. A
 * command that takes a parameter makes the next data write its parameter. */
#include "hv/trace/decode/family.h"

#define I8042_DATA 0x60
#define I8042_CMD 0x64

static const char *const status_bits[8] = {
	"output full", "input full", "system flag", "command",
	"unlocked",    "mouse data", "timeout",	    "parity error",
};
/* The controller command byte (written by 0x60, read by 0x20). */
static const char *const cmdbyte_bits[8] = {
	"keyboard interrupt", "mouse interrupt", "system flag", 0,
	"keyboard disabled",  "mouse disabled",	 "translate",
};
/* The output port (0xD0/0xD1). */
static const char *const outport_bits[8] = { "reset deasserted", "A20 enabled" };

struct i8042_cmd {
	uint8_t code;
	bool param; /* the next data write is its parameter */
	const char *name;
};

static const struct i8042_cmd cmds[] = {
	{ 0x20, false, "read command byte" },	 { 0x60, true, "write command byte" },
	{ 0xA7, false, "disable mouse" },	 { 0xA8, false, "enable mouse" },
	{ 0xA9, false, "test mouse port" },	 { 0xAA, false, "self test" },
	{ 0xAB, false, "test keyboard port" },	 { 0xAD, false, "disable keyboard" },
	{ 0xAE, false, "enable keyboard" },	 { 0xC0, false, "read input port" },
	{ 0xD0, false, "read output port" },	 { 0xD1, true, "write output port" },
	{ 0xD2, true, "write keyboard buffer" }, { 0xD3, true, "write mouse buffer" },
	{ 0xD4, true, "write to mouse" },	 { 0xFE, false, "pulse reset line (CPU reset)" },
};

static const struct i8042_cmd *find(uint8_t code)
{
	for (unsigned i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (cmds[i].code == code)
			return &cmds[i];
	return 0;
}

bool decode_i8042(struct trace_decoder *d, const struct trace_record *r, struct trace_text *t)
{
	if (r->kind != TRACE_PORT || (r->addr != I8042_DATA && r->addr != I8042_CMD))
		return false;
	t->device = "i8042";
	uint8_t v = (uint8_t)r->value;
	if (r->addr == I8042_CMD && !r->write) {
		dec_reg(t, "status");
		dec_value(t, r);
		dec_bits(t, v, status_bits, 8);
	} else if (r->addr == I8042_CMD) {
		const struct i8042_cmd *c = find(v);
		d->i8042_cmd = c && c->param ? v : 0;
		dec_reg(t, "command");
		dec_value(t, r);
		if (c)
			dec_add(t, ": %s", c->name);
		else if (v >= 0xF0) /* pulse output port lines 3:0 low */
			dec_add(t, ": pulse output lines");
	} else if (!r->write) {
		dec_reg(t, "data");
		dec_value(t, r);
	} else {
		uint8_t cmd = d->i8042_cmd;
		d->i8042_cmd = 0;
		if (cmd == 0x60) {
			dec_reg(t, "command byte"), dec_value(t, r),
				dec_bits(t, v, cmdbyte_bits, 8);
		} else if (cmd == 0xD1) {
			dec_reg(t, "output port"), dec_value(t, r), dec_bits(t, v, outport_bits, 2);
		} else if (cmd) {
			dec_reg(t, "data"), dec_value(t, r);
			dec_add(t, " (%s)", find(cmd)->name);
		} else {
			dec_reg(t, "data"), dec_value(t, r), dec_add(t, " (to the keyboard)");
		}
	}
	return true;
}
