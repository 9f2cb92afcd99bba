/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iom/status.c - status names, merging, and the check of handler statuses.
 */
#include "iom/iom_internal.h"

static const char *const status_names[IOM_STATUS_COUNT] = {
	[IOM_OK] = "ok",
	[IOM_UNUSED] = "unused",
	[IOM_DEFER] = "defer",
	[IOM_READ_DEFERRED] = "read-deferred",
	[IOM_RETRY] = "retry",
	[IOM_INJECT_GP] = "inject-gp",
	[IOM_STOP_VCPU] = "stop-vcpu",
	[IOM_RESET] = "reset",
	[IOM_DEBUG_BREAK] = "debug-break",
	[IOM_INTERNAL_ERROR] = "internal-error",
};

const char *iom_status_name(iom_status_t st)
{
	if ((unsigned)st >= IOM_STATUS_COUNT)
		return "?";
	return status_names[st];
}

/* Rank in the merge; -1 for statuses that are steps, not outcomes. The
 * order is documented (and argued) at iom_status_merge in iom.h. */
static int merge_rank(iom_status_t st)
{
	switch (st) {
	case IOM_OK:
		return 0;
	case IOM_INJECT_GP:
		return 1;
	case IOM_STOP_VCPU:
		return 2;
	case IOM_RESET:
		return 3;
	case IOM_DEBUG_BREAK:
		return 4;
	case IOM_INTERNAL_ERROR:
		return 5;
	default:
		return -1;
	}
}

iom_status_t iom_status_merge(iom_status_t a, iom_status_t b)
{
	int ra = merge_rank(a), rb = merge_rank(b);

	if (ra < 0 || rb < 0) {
		iom_platform_log("iom: cannot merge status %s (%d) with %s (%d)",
				 iom_status_name(a), (int)a,
				 iom_status_name(b), (int)b);
		return IOM_INTERNAL_ERROR;
	}
	return ra >= rb ? a : b;
}

iom_status_t iom_handler_status_slow(iom_status_t st, iom_ctx_t ctx,
				     const struct iom_range *r, bool *deferred)
{
	switch (st) {
	case IOM_OK:
	case IOM_UNUSED:
		return IOM_OK;
	case IOM_DEFER:
		if (ctx == IOM_CTX_EXIT) {
			*deferred = true;
			return IOM_OK;
		}
		iom_platform_log("iom: %s deferred in deferred context",
				 r->name);
		return IOM_INTERNAL_ERROR;
	case IOM_INJECT_GP:
	case IOM_STOP_VCPU:
	case IOM_RESET:
	case IOM_DEBUG_BREAK:
	case IOM_INTERNAL_ERROR:
		return st;
	default:
		iom_platform_log("iom: %s returned status %d, which handlers may not return",
				 r->name, (int)st);
		return IOM_INTERNAL_ERROR;
	}
}

static const char *const err_names[] = {
	"ok", "invalid", "zero-size", "range", "align", "flags", "overlap",
	"bad-handle", "no-space", "frozen", "already-mapped", "not-mapped",
	"intercept",
};

const char *iom_err_name(iom_err_t err)
{
	unsigned i = (unsigned)-(int)err;

	if ((int)err > 0 || i >= sizeof(err_names) / sizeof(err_names[0]))
		return "?";
	return err_names[i];
}
