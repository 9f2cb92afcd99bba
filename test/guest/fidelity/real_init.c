/* SPDX-License-Identifier: GPL-2.0-only */
/* A real INIT from the I/O APIC: the BSP points the RTC's redirection entry at
 * an AP with delivery mode INIT (82093AA datasheet §3.2.4: 101b, physical
 * destination, edge) and makes the RTC raise its interrupt. The INIT is not an
 * ICR write, so a hypervisor that catches INIT at the sender never sees it go
 * out: it reaches the CPU itself. On bare metal the AP then waits for a SIPI
 * (SDM Vol. 3A §9.4.4), so a SIPI alone, without an INIT before it, must start
 * it at the page the SIPI names; then an ordinary INIT-SIPI-SIPI restart must
 * work too. */
#include <efi.h>
#include <efilib.h>
#include "fidelity.h"
#include "hv/cpu.h"
#include "mp.h"

/* ACPI 6.4 §5.2.12: the MADT's entries after its 44-byte header. */
#define MADT_ENTRIES 44
#define MADT_IOAPIC 1 /* I/O APIC (§5.2.12.3) */
#define MADT_ISO 2    /* Interrupt Source Override (§5.2.12.5) */
#define RTC_IRQ 8     /* ISA IRQ 8: the RTC */

/* I/O APIC registers (82093AA datasheet §3.1, §3.2.4): index and data window;
 * redirection entry n at 0x10 + 2n (low dword) and 0x11 + 2n (high). */
#define IOREGSEL 0x00
#define IOWIN 0x10
#define IOAPIC_REDIR(n) (0x10 + 2 * (n))
#define REDIR_DELIVERY_INIT (5u << 8) /* delivery mode 101b; physical, high, edge */
#define REDIR_MASKED (1u << 16)

/* MC146818 RTC (CMOS) registers: B bit 6 enables the periodic interrupt; C
 * bit 7 (IRQF) says the IRQ line is asserted, and reading C clears it. */
#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define CMOS_NMI_OFF 0x80
#define RTC_REG_B 0x0B
#define RTC_REG_C 0x0C
#define RTC_B_PIE 0x40
#define RTC_C_IRQF 0x80

#define SPIN_CEILING 1000000000ull /* ends only a broken run */
#define SIPI_RETRY_SPINS 1000000ull

extern char ap_tramp_data[], ap_tramp_start[];

struct ioapic_route {
	volatile uint32_t *regs;
	uint32_t pin;
};

static const uint8_t *find_madt(void)
{
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID;
	const uint8_t *rsdp = NULL;
	for (UINTN i = 0; i < ST->NumberOfTableEntries; i++)
		if (!CompareGuid(&ST->ConfigurationTable[i].VendorGuid, &acpi20))
			rsdp = ST->ConfigurationTable[i].VendorTable;
	if (!rsdp)
		return NULL;
	/* XSDT address at RSDP offset 24; its 8-byte entries after a 36-byte
	 * header (ACPI 6.4 §5.2.5.3, §5.2.8). */
	const uint8_t *xsdt = (const uint8_t *)(uintptr_t)*(const uint64_t *)(rsdp + 24);
	uint32_t len = *(const uint32_t *)(xsdt + 4);
	for (uint32_t off = 36; off + 8 <= len; off += 8) {
		const uint8_t *t = (const uint8_t *)(uintptr_t)*(const uint64_t *)(xsdt + off);
		if (t[0] == 'A' && t[1] == 'P' && t[2] == 'I' && t[3] == 'C')
			return t;
	}
	return NULL;
}

/* The I/O APIC and pin the RTC's IRQ reaches: the MADT's override for IRQ 8
 * if any (else GSI 8), and the I/O APIC whose GSIs hold it. */
static bool rtc_route(struct ioapic_route *r)
{
	const uint8_t *madt = find_madt();
	if (!madt)
		return false;
	uint32_t len = *(const uint32_t *)(madt + 4), gsi = RTC_IRQ;
	for (uint32_t off = MADT_ENTRIES; off + 2 <= len; off += madt[off + 1]) {
		if (madt[off + 1] < 2)
			break;
		if (madt[off] == MADT_ISO && madt[off + 3] == RTC_IRQ)
			gsi = *(const uint32_t *)(madt + off + 4);
	}
	for (uint32_t off = MADT_ENTRIES; off + 2 <= len; off += madt[off + 1]) {
		if (madt[off + 1] < 2)
			break;
		if (madt[off] != MADT_IOAPIC)
			continue;
		uint32_t base = *(const uint32_t *)(madt + off + 8);
		if (gsi < base)
			continue;
		r->regs = (volatile uint32_t *)(uintptr_t)*(const uint32_t *)(madt + off + 4);
		r->pin = gsi - base;
		return true;
	}
	return false;
}

static uint32_t ioapic_read(const struct ioapic_route *r, uint32_t reg)
{
	r->regs[IOREGSEL / 4] = reg;
	return r->regs[IOWIN / 4];
}

static void ioapic_write(const struct ioapic_route *r, uint32_t reg, uint32_t v)
{
	r->regs[IOREGSEL / 4] = reg;
	r->regs[IOWIN / 4] = v;
}

static uint8_t cmos_read(uint8_t reg)
{
	outb(CMOS_INDEX, CMOS_NMI_OFF | reg);
	return inb(CMOS_DATA);
}

static void cmos_write(uint8_t reg, uint8_t v)
{
	outb(CMOS_INDEX, CMOS_NMI_OFF | reg);
	outb(CMOS_DATA, v);
}

/* One rising edge on the RTC's line: clear a pending flag, enable the periodic
 * interrupt, wait until the line is up (IRQF), then put everything back. */
static bool rtc_edge(void)
{
	uint8_t b = cmos_read(RTC_REG_B);
	(void)cmos_read(RTC_REG_C);
	cmos_write(RTC_REG_B, b | RTC_B_PIE);
	bool raised = false;
	for (uint64_t spin = 0; !raised && spin < SPIN_CEILING; spin++)
		raised = cmos_read(RTC_REG_C) & RTC_C_IRQF;
	cmos_write(RTC_REG_B, b);
	(void)cmos_read(RTC_REG_C);
	return raised;
}

/* AP a gets a real INIT through the I/O APIC; false when the route failed. */
static bool real_init(const struct ioapic_route *r, uint32_t apic_id)
{
	uint32_t lo = ioapic_read(r, IOAPIC_REDIR(r->pin));
	uint32_t hi = ioapic_read(r, IOAPIC_REDIR(r->pin) + 1);
	ioapic_write(r, IOAPIC_REDIR(r->pin), REDIR_MASKED);
	ioapic_write(r, IOAPIC_REDIR(r->pin) + 1, apic_id << 24);
	ioapic_write(r, IOAPIC_REDIR(r->pin), REDIR_DELIVERY_INIT);
	bool raised = rtc_edge();
	ioapic_write(r, IOAPIC_REDIR(r->pin), REDIR_MASKED);
	ioapic_write(r, IOAPIC_REDIR(r->pin) + 1, hi);
	ioapic_write(r, IOAPIC_REDIR(r->pin), lo);
	return raised;
}

/* SIPIs only, until the AP counts itself alive at the page: the INIT may still
 * be on its way when the first goes out, and a SIPI to a CPU that does not
 * wait for one is ignored (SDM Vol. 3A §9.4.4.1), so more come. */
static bool sipi_starts(volatile uint32_t *apic, uint32_t apic_id, uint64_t page)
{
	volatile uint32_t *alive = (volatile uint32_t *)(page + (ap_tramp_data - ap_tramp_start));
	*alive = 0;
	for (uint64_t spin = 0; spin < SPIN_CEILING; spin++) {
		if (spin % SIPI_RETRY_SPINS == 0)
			guest_xapic_ipi(apic, apic_id, ICR_DELIVERY_STARTUP << 8 | (uint32_t)(page >> 12));
		if (*alive)
			return true;
		cpu_relax();
	}
	return false;
}

void test_real_init(const struct ap_set *set)
{
	struct ioapic_route r;
	if (!rtc_route(&r)) {
		gprintf("guest: skip: no MADT I/O APIC for the RTC's IRQ\n");
		return;
	}
	volatile uint32_t *apic = guest_xapic();
	uint64_t f = irq_save();
	/* The AP runs (halted in the guest) when its INIT comes. */
	bool ok = ap_restart(set, 0, 0, (uint64_t)(uintptr_t)apic);
	bool raised = ok && real_init(&r, set->ids[0]);
	bool started = raised && sipi_starts(apic, set->ids[0], set->pages);
	bool again = started && ap_restart(set, 0, 1, (uint64_t)(uintptr_t)apic);
	ap_set_park(set, (uint64_t)(uintptr_t)apic);
	irq_restore(f);
	if (!raised)
		gprintf("guest: the RTC did not raise its interrupt line\n");
	guest_check(started, "AP %u started by a SIPI alone after an INIT from the I/O APIC "
			     "(pin %u)", set->ids[0], r.pin);
	guest_check(again, "AP %u restarted by INIT-SIPI-SIPI after the I/O APIC's INIT",
		    set->ids[0]);
}
