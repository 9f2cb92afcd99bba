/* SPDX-License-Identifier: GPL-2.0-only */
/* The only file that sees the build's version string (see the Makefile). */
#include "hv/version.h"

const char hv_version[] = IOMVISOR_VERSION;
