/* What the common code asks of a vendor backend (svm/, vmx/). */
#ifndef HV_BACKEND_H
#define HV_BACKEND_H

#include <stdbool.h>
#include <stdint.h>
#include "hv/cpu_features.h"
#include "hv/vcpu.h"

struct hv_backend {
	const char *name;
	/* False (with the reason logged) when this CPU cannot run the backend:
	 * feature missing, disabled or locked off by firmware. */
	bool (*supported)(const struct cpu_features *f);
	/* Shared structures: permission bitmaps, nested page tables covering at
	 * least [0, top). Once, on the BSP. */
	void (*global_init)(const struct cpu_features *f, uint64_t top);
	/* Removes [base, base+size) from the guest's physical address space. */
	void (*hide)(uint64_t base, uint64_t size);
	/* Port and MMIO intercepts, for the IOM's hooks (iom_intercept_ops). */
	int (*set_port_trap)(uint16_t first, uint32_t count, bool trap);
	int (*set_mmio_trap)(uint64_t gpa, uint64_t size, bool trap);
	/* Takes over the calling CPU, interrupts off: enters the guest with
	 * v->regs (RIP, RSP, RFLAGS, RAX and the callee-saved registers) as
	 * hv_takeover set them, everything else as the CPU is now. Returns only
	 * on failure, with a negative value and the CPU as it was. */
	int (*start_cpu)(struct vcpu *v);
};

extern const struct hv_backend svm_backend;
extern const struct hv_backend vmx_backend;

#endif
