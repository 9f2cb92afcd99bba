/* SPDX-License-Identifier: GPL-2.0-only */
/* Device test guest: exercises rules (trace, deny, read=, write=, conditions),
 * debugcon and the PCI monitor, and prints what it saw, so the test can
 * compare it with what the hypervisor traced. Expects the configuration in
 * test/integration/devices.sh (its rule numbers below). */
#include <efi.h>
#include <efilib.h>
#include "guest.h"
#include "hvif.h"
#include "mp.h"
#include "hv/cpu.h"
#include "iom/iom.h"

#define DENY_PORT 0x5B0
#define DENY_MMIO 0xFE900000ull
#define HPET_BASE 0xFED00000ull
#define FLOOD_PORT 0x5B8 /* traced; nothing there on q35 or Bochs's i440fx */
#define FLOOD_BYTES 4096
#define DEBUGCON_PORT 0xE9
#define TESTDEV_PORT 0x5A0 /* hv/dev/testdev.h: scratch bytes 0x5A0-0x5A3 */

/* The configuration's rules, by number (test/integration/devices.sh). */
enum {
	RULE_DENY_PORT = 1, /* deny port 0x5b0+4 */
	RULE_READ_5A0,      /* rule port 0x5a0 r read=0x5a */
	RULE_DROP_5A1,      /* rule port 0x5a1 w value=0x66 write=drop */
	RULE_ORAND_5A2,     /* rule port 0x5a2 w write=or:0xf0,and:0x3f */
	RULE_CPU1_5A3,      /* rule port 0x5a3 cpu=1 read=0x33 */
	RULE_COUNT_WRITES,  /* rule port 0x5a0-0x5a3 w count */
};

static uint64_t device_reads(void)
{
	return range_stat(IOM_SPACE_PORT, TESTDEV_PORT, IOM_STAT_READS);
}

static uint64_t device_writes(void)
{
	return range_stat(IOM_SPACE_PORT, TESTDEV_PORT, IOM_STAT_WRITES);
}

/* Rules on the test device's scratch ports: what the guest reads back and
 * what reached the device (its IOM counters), and each rule's hits. */
static void steer_test_device(void)
{
	/* read= answers; the device is not read. A write to the same port
	 * (the rule matches reads only) reaches the device. */
	uint64_t r0 = device_reads(), w0 = device_writes();
	uint8_t v = inb(TESTDEV_PORT);
	guest_check(v == 0x5A, "read= answers 0x5a (0x%x)", v);
	guest_check(device_reads() == r0, "read= never reached the device (%lu reads)",
		    (unsigned long)(device_reads() - r0));
	outb(TESTDEV_PORT, 0x42);
	guest_check(device_writes() == w0 + 1, "a write where read= matches reads only reaches the device");
	guest_check(rule_stat(RULE_READ_5A0, 0) == 1 && rule_stat(RULE_READ_5A0, 1) == 1,
		    "the read= rule hit once (%lu)", (unsigned long)rule_stat(RULE_READ_5A0, 0));

	/* write=drop with a value condition: 0x11 reaches the device, 0x66 not. */
	r0 = device_reads();
	outb(TESTDEV_PORT + 1, 0x11);
	outb(TESTDEV_PORT + 1, 0x66);
	v = inb(TESTDEV_PORT + 1);
	guest_check(v == 0x11, "write=drop on value 0x66 only: the device kept 0x11 (0x%x)", v);
	guest_check(device_reads() == r0 + 1, "the read back reached the device");
	guest_check(rule_stat(RULE_DROP_5A1, 0) == 1, "the value-conditioned rule hit exactly once (%lu)",
		    (unsigned long)rule_stat(RULE_DROP_5A1, 0));

	/* write=or:,and: rewrites what reaches the device. */
	outb(TESTDEV_PORT + 2, 0x05);
	v = inb(TESTDEV_PORT + 2);
	guest_check(v == 0x35, "write=or:0xf0,and:0x3f turned 0x05 into 0x35 (0x%x)", v);

	/* cpu=1: this is CPU 0, so the device answers (its scratch byte). */
	outb(TESTDEV_PORT + 3, 0x07);
	v = inb(TESTDEV_PORT + 3);
	guest_check(v == 0x07 && rule_stat(RULE_CPU1_5A3, 0) == 0,
		    "a rule for CPU 1 leaves CPU 0's accesses alone (0x%x, %lu hits)", v,
		    (unsigned long)rule_stat(RULE_CPU1_5A3, 0));

	/* The count rule composes with the others: it saw every write above
	 * (0x5a0, 0x5a1 twice, 0x5a2, 0x5a3) and no read. */
	guest_check(rule_stat(RULE_COUNT_WRITES, 0) == 5, "the count rule saw the 5 writes (%lu)",
		    (unsigned long)rule_stat(RULE_COUNT_WRITES, 0));
}

struct ap_read {
	unsigned cpu;
	uint8_t value;
};

static void read_5a3(void *p)
{
	struct ap_read *r = p;
	r->cpu = hv_cpu_number();
	r->value = inb(TESTDEV_PORT + 3);
}

/* The same cpu=1 rule, from CPU 1 (the AP): it answers there, and the
 * device is not read. */
static void steer_from_cpu1(void)
{
	uint64_t r0 = device_reads();
	struct ap_read r = { ~0u, 0 };
	if (!guest_on_ap(read_5a3, &r)) {
		gprintf("guest: skip: one CPU, no cpu=1 rule from CPU 1\n");
		return;
	}
	guest_check(r.cpu == 1 && r.value == 0x33 && device_reads() == r0 &&
			    rule_stat(RULE_CPU1_5A3, 0) == 1,
		    "the cpu=1 rule answers CPU 1's read (vCPU %u read 0x%x; %lu hits, %lu device reads)",
		    r.cpu, r.value, (unsigned long)rule_stat(RULE_CPU1_5A3, 0),
		    (unsigned long)(device_reads() - r0));
}

static uint32_t ld32(uint64_t a)
{
	uint32_t v;
	__asm__ volatile("movl (%1), %0" : "=r"(v) : "r"(a) : "memory");
	return v;
}

static void st32(uint64_t a, uint32_t v)
{
	__asm__ volatile("movl %1, (%0)" ::"r"(a), "r"(v) : "memory");
}

/* A flood of trace records: one REP OUTSB of 4096 bytes to a traced port (one
 * exit, 4096 records for a ring of 256). The hypervisor prints a few records
 * per guest entry, so the marker line this guest writes through debugcon right
 * after it (16 exits) lands before most of the flood's records; many more
 * exits then let the rest out. The test counts printed and lost records.
 * Interrupts stay off from the flood to the marker (TPL_HIGH_LEVEL): the
 * firmware's timer handler would add exits (entries) of its own. */
static void flood_traced_port(void)
{
	static uint8_t buf[FLOOD_BYTES];
	for (unsigned i = 0; i < FLOOD_BYTES; i++)
		buf[i] = (uint8_t)i;
	const uint8_t *src = buf;
	uint64_t count = FLOOD_BYTES;
	EFI_TPL old = uefi_call_wrapper(BS->RaiseTPL, 1, TPL_HIGH_LEVEL);
	__asm__ volatile("cld; rep outsb"
			 : "+S"(src), "+c"(count)
			 : "d"((uint16_t)FLOOD_PORT)
			 : "memory");
	for (const char *p = "after the flood\n"; *p; p++)
		outb(DEBUGCON_PORT, (uint8_t)*p);
	uefi_call_wrapper(BS->RestoreTPL, 1, old);
	/* Exits (hypercalls), each followed by an entry that prints a few more
	 * records: far more than the ring's 256 need. No serial output meanwhile:
	 * log lines would wait for the end of the guest's line. */
	for (unsigned i = 0; i < 1024; i++)
		hypercall(HC_INFO, 0, 0, 0);
	guest_check(count == 0 && src == buf + FLOOD_BYTES,
		    "REP OUTSB of %u bytes to a traced port completed (rcx %lu)", FLOOD_BYTES,
		    (unsigned long)count);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	guest_init(image, systab);
	if (!guest_check(hv_present(), "running under iomvisor"))
		guest_finish();

	/* Traced ports: the CMOS seconds register (index 0). */
	outb(0x70, 0x00);
	uint8_t sec = inb(0x71);
	gprintf("guest: cmos seconds read 0x%x\n", sec);

	/* Denied ports: writes vanish, reads are all ones, the rule counts
	 * both, and neither reaches the port. */
	uint64_t r0 = range_stat(IOM_SPACE_PORT, DENY_PORT, IOM_STAT_READS);
	uint64_t w0 = range_stat(IOM_SPACE_PORT, DENY_PORT, IOM_STAT_WRITES);
	outl(DENY_PORT, 0x12345678);
	uint32_t d = inl(DENY_PORT);
	guest_check(d == 0xFFFFFFFF, "denied port reads all ones (0x%x)", d);
	guest_check(rule_stat(RULE_DENY_PORT, 0) == 2 &&
			    range_stat(IOM_SPACE_PORT, DENY_PORT, IOM_STAT_READS) == r0 &&
			    range_stat(IOM_SPACE_PORT, DENY_PORT, IOM_STAT_WRITES) == w0,
		    "the denied access counted once each way");

	steer_test_device();
	steer_from_cpu1();

	/* Denied MMIO page. */
	st32(DENY_MMIO + 0x10, 0xCAFE);
	uint32_t m = ld32(DENY_MMIO + 0x10);
	guest_check(m == 0xFFFFFFFF, "denied MMIO reads all ones (0x%x)", m);

	/* Traced MMIO: the HPET's capabilities (q35 has an HPET at 0xFED00000;
	 * the Bochs machine has none: option no-hpet). */
	if (!guest_has_option("no-hpet")) {
		uint32_t cap = ld32(HPET_BASE);
		gprintf("guest: hpet capabilities 0x%x\n", cap);
		guest_check(cap != 0xFFFFFFFF && cap != 0, "HPET capabilities read through the trace");
		/* Outside the traced 0x400 bytes, same page: passed through, untraced. */
		uint32_t outside = ld32(HPET_BASE + 0x800);
		gprintf("guest: hpet +0x800 0x%x\n", outside);
	}

	/* debugcon: a line through port 0xE9. */
	guest_check(inb(0xE9) == 0xE9, "debugcon port answers 0xE9");
	for (const char *p = "hello from the guest's debugcon\n"; *p; p++)
		outb(0xE9, (uint8_t)*p);

	/* PCI monitor: vendor and device ID of 00:00.0. */
	outl(0xCF8, 0x80000000);
	uint32_t id = inl(0xCFC);
	gprintf("guest: pci 00:00.0 id 0x%08x\n", id);
	guest_check((id & 0xFFFF) != 0xFFFF, "host bridge present (vendor 0x%04x)", id & 0xFFFF);

	flood_traced_port();
	guest_finish();
}
