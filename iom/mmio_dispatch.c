/*
 * iom/mmio_dispatch.c - MMIO reads and writes from the backends.
 */
#include "iom/iom_internal.h"

static bool mmio_args_ok(unsigned cpu, iom_ctx_t ctx, uint64_t gpa,
			 const void *buf, unsigned len, const char *what)
{
	if (!iom_check_cpu(cpu, ctx, what))
		return false;
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
	if (!mmio_args_ok(cpu, ctx, gpa, buf, len, "mmio read"))
		return IOM_INTERNAL_ERROR;
	iom_count_cpu(cpu, IOM_SPACE_MMIO, IOM_STAT_READS, 1);
	return iom_access(cpu, IOM_SPACE_MMIO, ctx, IOM_OP_READ, gpa, buf, len);
}

iom_status_t iom_mmio_write(unsigned cpu, iom_ctx_t ctx, uint64_t gpa,
			    const void *buf, unsigned len)
{
	uint8_t copy[IOM_MMIO_MAX_ACCESS];

	if (!mmio_args_ok(cpu, ctx, gpa, buf, len, "mmio write"))
		return IOM_INTERNAL_ERROR;
	iom_count_cpu(cpu, IOM_SPACE_MMIO, IOM_STAT_WRITES, 1);
	/* The core works on a mutable buffer shared with reads; a private copy
	 * keeps the caller's const promise. */
	__builtin_memcpy(copy, buf, len);
	return iom_access(cpu, IOM_SPACE_MMIO, ctx, IOM_OP_WRITE, gpa, copy, len);
}
