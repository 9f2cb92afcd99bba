/* SPDX-License-Identifier: GPL-2.0-only */
/* Reading the MTRRs (SDM Vol. 3A §12.11.1-12.11.2). */
#include "hv/console/console.h"
#include "hv/cpu.h"
#include "hv/string.h"
#include "vmx/mtrr.h"
#include "vmx/vmcs_fields.h"

/* IA32_MTRRCAP: bits 7:0 VCNT, bit 8 fixed ranges supported; IA32_MTRR_DEF_TYPE:
 * bits 7:0 default type, bit 10 FE, bit 11 E; variable-range mask bit 11 is V. */
#define MTRRCAP_VCNT(c) ((c) & 0xFF)
#define MTRRCAP_FIX (1ull << 8)
#define DEF_TYPE_FE (1ull << 10)
#define DEF_TYPE_E (1ull << 11)
#define PHYSMASK_VALID (1ull << 11)

/* The fixed-range MSRs in address order (§12.11.2.2). */
static const uint32_t fixed_msrs[11] = { 0x250, 0x258, 0x259, 0x268, 0x269, 0x26A,
					 0x26B, 0x26C, 0x26D, 0x26E, 0x26F };

void mtrr_read(struct mtrr_state *m, unsigned phys_addr_bits)
{
	memset(m, 0, sizeof(*m));
	/* CPUID.01H:EDX[12] MTRR. Without MTRRs, "disabled" gives UC everywhere. */
	if (!((cpuid(1, 0).edx >> 12) & 1)) {
		log_warn("mtrr: none on this CPU: EPT memory type UC everywhere");
		return;
	}
	uint64_t cap = rdmsr(MSR_IA32_MTRRCAP), def = rdmsr(MSR_IA32_MTRR_DEF_TYPE);
	uint64_t addr_mask = ((1ull << phys_addr_bits) - 1) & ~0xFFFull;
	m->enabled = def & DEF_TYPE_E;
	m->default_type = def & 0xFF;
	m->fixed_enabled = m->enabled && (cap & MTRRCAP_FIX) && (def & DEF_TYPE_FE);
	if (m->fixed_enabled) {
		for (unsigned i = 0; i < 11; i++) {
			uint64_t v = rdmsr(fixed_msrs[i]);
			for (unsigned b = 0; b < 8; b++)
				m->fixed[i * 8 + b] = (v >> (8 * b)) & 0xFF;
		}
	}
	unsigned vcnt = MTRRCAP_VCNT(cap);
	for (unsigned i = 0; i < vcnt && i < MTRR_MAX_VARIABLE; i++) {
		uint64_t mask = rdmsr(MSR_IA32_MTRR_PHYSMASK0 + 2 * i);
		if (!(mask & PHYSMASK_VALID))
			continue;
		uint64_t base = rdmsr(MSR_IA32_MTRR_PHYSBASE0 + 2 * i);
		m->var[m->nvar].base = base & addr_mask;
		m->var[m->nvar].mask = mask & addr_mask;
		m->var[m->nvar].type = base & 0xFF;
		log_debug("mtrr: variable range %u: base 0x%lx mask 0x%lx %s", i,
			  (unsigned long)m->var[m->nvar].base, (unsigned long)m->var[m->nvar].mask,
			  mtrr_type_name(m->var[m->nvar].type));
		m->nvar++;
	}
	log_info("mtrr: %s, default %s, fixed ranges %s, %u variable range(s) in use",
		 m->enabled ? "enabled" : "disabled", mtrr_type_name(m->default_type),
		 m->fixed_enabled ? "on" : "off", m->nvar);
}
