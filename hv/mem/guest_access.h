/* SPDX-License-Identifier: GPL-2.0-only */
/* The emulator's view of guest memory and devices (struct x86_ops): guest RAM
 * is identity-mapped in the host; trapped and hidden pages go to the IOM. */
#ifndef HV_GUEST_ACCESS_H
#define HV_GUEST_ACCESS_H

#include "hv/vcpu.h"
#include "hv/x86/ops.h"
#include "iom/iom.h"

struct guest_access {
	struct vcpu *v;
	iom_ctx_t ctx;
};

void guest_ops_init(struct x86_ops *ops, struct guest_access *ga);

/* One MMIO access through the rules (hv/dev/rules.h) and the IOM: the
 * emulator's callbacks and the fast path (hv/exit/mmio_fast.c) both come here. */
iom_status_t guest_mmio_read(struct vcpu *v, iom_ctx_t ctx, uint64_t gpa, void *buf, size_t size);
iom_status_t guest_mmio_write(struct vcpu *v, iom_ctx_t ctx, uint64_t gpa, const void *buf,
			      size_t size);

/* The guest's physical-address width (the host's: CPUID 80000008H passes
 * through). */
unsigned guest_phys_bits(void);

#endif
