/* SPDX-License-Identifier: GPL-2.0-only */
/* Shared by the vendors' decode tests: checks every field of a decoded
 * struct hv_port_access or struct hv_event at once. */
#ifndef TEST_DECODE_CHECK_H
#define TEST_DECODE_CHECK_H

#include "hv/exit/event.h"
#include "hv/exit/exit.h"

struct port_access_expect {
	uint16_t port;
	uint8_t size;
	bool in, string, rep;
	uint8_t addr_size;
	uint64_t next_rip;
};

static inline void check_port_access(const struct hv_port_access *a,
				     struct port_access_expect e)
{
	assert_int_equal(a->port, e.port);
	assert_int_equal(a->size, e.size);
	assert_int_equal(a->in, e.in);
	assert_int_equal(a->string, e.string);
	assert_int_equal(a->rep, e.rep);
	assert_int_equal(a->addr_size, e.addr_size);
	assert_int_equal(a->next_rip, e.next_rip);
}

/* An event that went through an encoding and back. */
static inline void check_same_event(const struct hv_event *d, const struct hv_event *e)
{
	assert_int_equal(d->valid, e->valid);
	assert_int_equal(d->type, e->type);
	assert_int_equal(d->vector, e->vector);
	assert_int_equal(d->has_error, e->has_error);
	assert_int_equal(d->error, e->error);
}

#endif
