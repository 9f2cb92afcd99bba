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

#endif
