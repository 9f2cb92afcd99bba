/* SPDX-License-Identifier: GPL-2.0-only */
/* Port 0x80: the firmware's POST code display, and the I/O delay port Linux
 * writes to slow down accesses to old devices (outb_p). */
#include "hv/trace/decode/family.h"

#define POST_PORT 0x80

bool decode_post(struct trace_decoder *d, const struct trace_record *r, struct trace_text *t)
{
	if (r->kind != TRACE_PORT || r->addr != POST_PORT)
		return false;
	t->device = "post";
	t->plain = true;
	dec_reg(t, "code");
	dec_value(t, r);
	return true;
}
