/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef HV_VERSION_H
#define HV_VERSION_H

/* "git describe --always --dirty --tags" at build time. */
extern const char hv_version[];

#endif
