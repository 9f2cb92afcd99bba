/*
 * iom/mmio_dispatch.c - MMIO reads and writes from the backends.
 */
#include "iom/iom_internal.h"

static bool mmio_args_ok(uint64_t gpa, const void *buf, unsigned len,
			 const char *what)
{
	if (!buf || len == 0 || len > IOM_MMIO_MAX_ACCESS
	    || gpa + (len - 1) < gpa) {
		iom_platform_log("iom: %s of %u bytes at %llx: bad arguments",
				 what, len, (unsigned long long)gpa);
		return false;
	}
	return true;
}

iom_status_t iom_mmio_read(unsigned cpu, iom_ctx_t ctx, uint64_t gpa,
			   void *buf, unsigned len)
{
	if (!mmio_args_ok(gpa, buf, len, "mmio read"))
		return IOM_INTERNAL_ERROR;
	switch (iom_enter(cpu, IOM_SPACE_MMIO, ctx, "mmio read")) {
	case IOM_ENTER_BAD:
		return IOM_INTERNAL_ERROR;
	case IOM_ENTER_TOO_DEEP:
		__builtin_memset(buf, 0xff, len);  /* the default action */
		return IOM_OK;
	case IOM_ENTER_OK:
		break;
	}
	iom_count_cpu(cpu, IOM_SPACE_MMIO, IOM_STAT_READS, 1);
	iom_status_t st = iom_access(cpu, IOM_SPACE_MMIO, ctx, IOM_OP_READ,
				     gpa, buf, len);
	iom_leave(cpu);
	return st;
}

iom_status_t iom_mmio_write(unsigned cpu, iom_ctx_t ctx, uint64_t gpa,
			    const void *buf, unsigned len)
{
	uint8_t copy[IOM_MMIO_MAX_ACCESS];

	if (!mmio_args_ok(gpa, buf, len, "mmio write"))
		return IOM_INTERNAL_ERROR;
	switch (iom_enter(cpu, IOM_SPACE_MMIO, ctx, "mmio write")) {
	case IOM_ENTER_BAD:
		return IOM_INTERNAL_ERROR;
	case IOM_ENTER_TOO_DEEP:
		return IOM_OK;                     /* dropped */
	case IOM_ENTER_OK:
		break;
	}
	iom_count_cpu(cpu, IOM_SPACE_MMIO, IOM_STAT_WRITES, 1);
	/* The core works on a mutable buffer shared with reads; a private copy
	 * keeps the caller's const promise. */
	__builtin_memcpy(copy, buf, len);
	iom_status_t st = iom_access(cpu, IOM_SPACE_MMIO, ctx, IOM_OP_WRITE,
				     gpa, copy, len);
	iom_leave(cpu);
	return st;
}
