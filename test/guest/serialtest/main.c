/* SPDX-License-Identifier: GPL-2.0-only */
/* Serial test guest (test/integration/console.sh): talks to COM1,
 * which iomvisor proxies (hv/dev/vuart.c), and reads its serial input while the
 * runner feeds a script: a line for the guest, the debug console's hotkey and
 * commands, "go", then accesses a watchpoint stops. */
#include <efi.h>
#include <efilib.h>
#include "guest.h"
#include "hvif.h"
#include "mp.h"
#include "hv/console/console.h"
#include "hv/cpu.h"
#include "hv/tsc_rate.h"
#include "iom/iom.h"

#define COM1 0x3F8
#define RBR 0
#define DLL 0
#define DLM 1
#define LCR 3
#define LSR 5
#define SCR 7
#define LSR_DR 0x01
#define TESTDEV_PORT 0x5A0
#define POST_PORT 0x80
#define DEBUGCON_PORT 0xE9
/* What the console's rules 1 and 2 watch (test/integration/console.sh): a
 * port and an MMIO page nothing else traps. */
#define RULE_PORT_ADDR 0x5B4
#define RULE_MMIO_ADDR 0xFE901000ull

/* The debug console's `mem` and `vmem` find this string at this fixed
 * guest-physical address (free in OVMF's map on QEMU and Bochs), and `regs`
 * the value in RBX at the stopping watchpoint. */
#define MARKER_ADDR 0x3000000ull
#define MARKER "iomvisor-marker: planted by serialtest"
#define MARKER_RBX 0x1badb002deadbeefull

/* While waiting with `dots`, a '.' every DOT_MS: an unfinished line of the
 * guest's that goes on while the debug console is used. */
#define DOT_MS 10

/* Reads one line (without its end) from COM1; false after `seconds`. The
 * firmware's terminal driver polls COM1 for keys from a timer: the TPL goes up
 * so that it does not take the bytes first. */
static bool read_line_raw(char *buf, unsigned size, unsigned seconds, bool dots);

static bool read_line(char *buf, unsigned size, unsigned seconds, bool dots)
{
	EFI_TPL old = uefi_call_wrapper(BS->RaiseTPL, 1, TPL_HIGH_LEVEL);
	bool ok = read_line_raw(buf, size, seconds, dots);
	uefi_call_wrapper(BS->RestoreTPL, 1, old);
	return ok;
}

static bool read_line_raw(char *buf, unsigned size, unsigned seconds, bool dots)
{
	unsigned len = 0;
	for (unsigned long ms = 0; ms < seconds * 1000ul;) {
		if (!(inb(COM1 + LSR) & LSR_DR)) {
			uefi_call_wrapper(BS->Stall, 1, 1000);
			ms++;
			if (dots && ms % DOT_MS == 0)
				gprintf(".");
			continue;
		}
		char c = (char)inb(COM1 + RBR);
		if (c == '\r' || c == '\n') {
			if (!len)
				continue;
			buf[len] = '\0';
			return true;
		}
		if (len + 1 < size)
			buf[len++] = c;
	}
	buf[len] = '\0';
	return false;
}

static bool same(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

/* One OUT to the rule's port and one MMIO read of the rule's page, with
 * interrupts off (no firmware exits in between): how many port writes and
 * MMIO reads the IOM dispatched meanwhile. */
static void touch_rule_targets(uint64_t *port_exits, uint64_t *mmio_exits)
{
	EFI_TPL old = uefi_call_wrapper(BS->RaiseTPL, 1, TPL_HIGH_LEVEL);
	uint64_t p0 = iom_stat(IOM_SPACE_PORT, IOM_STAT_OUT);
	uint64_t m0 = iom_stat(IOM_SPACE_MMIO, IOM_STAT_READS);
	outb(RULE_PORT_ADDR, 0x01);
	(void)*(volatile uint32_t *)RULE_MMIO_ADDR;
	*port_exits = iom_stat(IOM_SPACE_PORT, IOM_STAT_OUT) - p0;
	*mmio_exits = iom_stat(IOM_SPACE_MMIO, IOM_STAT_READS) - m0;
	uefi_call_wrapper(BS->RestoreTPL, 1, old);
}

/* The same from CPU 1 (the AP, interrupts off there), counted by its own
 * IOM counters. */
struct ap_touch {
	unsigned cpu;
	uint64_t port_exits, mmio_exits;
};

static void touch_on_ap(void *p)
{
	struct ap_touch *t = p;
	t->cpu = hv_cpu_number();
	uint64_t p0 = iom_stat_this_cpu(IOM_SPACE_PORT, IOM_STAT_OUT);
	uint64_t m0 = iom_stat_this_cpu(IOM_SPACE_MMIO, IOM_STAT_READS);
	outb(RULE_PORT_ADDR, 0x01);
	(void)*(volatile uint32_t *)RULE_MMIO_ADDR;
	t->port_exits = iom_stat_this_cpu(IOM_SPACE_PORT, IOM_STAT_OUT) - p0;
	t->mmio_exits = iom_stat_this_cpu(IOM_SPACE_MMIO, IOM_STAT_READS) - m0;
}

/* False (and a line saying so) on one CPU. */
static bool touch_from_cpu1(struct ap_touch *t)
{
	*t = (struct ap_touch){ ~0u, ~0ull, ~0ull };
	if (guest_on_ap(touch_on_ap, t))
		return true;
	gprintf("guest: skip: one CPU, no rule accesses from CPU 1\n");
	return false;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	char line[64];
	guest_init(image, systab);
	if (!guest_check(hv_present(), "running under iomvisor"))
		guest_finish();

	EFI_PHYSICAL_ADDRESS marker = MARKER_ADDR;
	EFI_STATUS st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateAddress, EfiLoaderData, 1,
					  &marker);
	if (guest_check(!EFI_ERROR(st), "marker page at 0x%lx (status 0x%lx)",
			(unsigned long)MARKER_ADDR, (unsigned long)st)) {
		char *m = (char *)(uintptr_t)marker;
		for (unsigned i = 0; i < sizeof(MARKER); i++)
			m[i] = MARKER[i];
	}

	/* Shadowed registers read back what the guest wrote; the real line keeps
	 * its speed (this output still arrives). */
	outb(COM1 + SCR, 0x5A);
	uint8_t scr = inb(COM1 + SCR);
	outb(COM1 + LCR, 0x83);
	outb(COM1 + DLL, 0x0C); /* 9600 baud */
	outb(COM1 + DLM, 0x00);
	uint8_t dll = inb(COM1 + DLL), lcr = inb(COM1 + LCR);
	outb(COM1 + LCR, 0x03);
	guest_check(scr == 0x5A && dll == 0x0C && lcr == 0x83,
		    "scratch, divisor latch and LCR read back (0x%x 0x%x 0x%x)", scr, dll, lcr);

	/* Line integrity: a hypervisor log line (debugcon) produced while this
	 * line is open waits for its end, if that comes within the hypervisor's
	 * line timeout (TSC ticks, as it counts them); later, the hypervisor ends
	 * the line itself first. Which of the two applies is measured here, so
	 * that the test holds on a slow or busy machine too. */
	uint64_t t0 = rdtsc();
	gprintf("guest: serial: this line is ");
	const char *msg = "log line while the guest's line is open\n";
	for (const char *p = msg; *p; p++)
		outb(DEBUGCON_PORT, (uint8_t)*p);
	gprintf("not broken\n");
	uint64_t open_ticks = rdtsc() - t0;
	gprintf("guest: serial: that line was open %s the line timeout\n",
		open_ticks < tsc_mhz() * 1000 * CONSOLE_LINE_TIMEOUT_MS ? "within" : "longer than");

	gprintf("guest: serial: ready for input\n");
	bool got = read_line(line, sizeof(line), 1200, false);
	gprintf("guest: serial: got '%s'\n", line);
	guest_check(got && same(line, "hello vuart"), "the guest read its serial input");

	/* Line integrity the other way: this line stays open through the whole
	 * debug console session, and the console's lines stay whole. */
	gprintf("guest: serial: waiting for go");
	got = read_line(line, sizeof(line), 1800, true);
	gprintf("\n");
	guest_check(got && same(line, "go"),
		    "after the debug console, input reaches the guest again ('%s')", line);

	/* The console added rules 1 (port) and 2 (MMIO page) where nothing
	 * trapped: both trap now, and each rule saw its access. */
	uint64_t port_exits, mmio_exits;
	touch_rule_targets(&port_exits, &mmio_exits);
	guest_check(port_exits == 1 && mmio_exits == 1 && rule_stat(1, 0) == 1 && rule_stat(2, 0) == 1,
		    "console rules trap an untrapped port and page (%lu, %lu exits; %lu, %lu hits)",
		    (unsigned long)port_exits, (unsigned long)mmio_exits,
		    (unsigned long)rule_stat(1, 0), (unsigned long)rule_stat(2, 0));
	/* Added on CPU 0's console, they trap on CPU 1 too. */
	struct ap_touch ap;
	if (touch_from_cpu1(&ap))
		guest_check(ap.cpu == 1 && ap.port_exits == 1 && ap.mmio_exits == 1 &&
				    rule_stat(1, 0) == 2 && rule_stat(2, 0) == 2,
			    "console rules trap CPU 1's accesses too (vCPU %u: %lu, %lu exits; %lu, "
			    "%lu hits)",
			    ap.cpu, (unsigned long)ap.port_exits, (unsigned long)ap.mmio_exits,
			    (unsigned long)rule_stat(1, 0), (unsigned long)rule_stat(2, 0));

	/* Watched: a claimed port (stops this vCPU) and an unclaimed one. */
	outb(POST_PORT, 0x55);
	/* The stopping watchpoint comes after the OUT, with RBX planted and RIP
	 * at a MOV the decoder knows (`rip`: "mov dword [rdi], eax"); it writes
	 * into the marker page, after the string. */
	uint64_t rbx = MARKER_RBX;
	__asm__ volatile("outb %%al, %%dx\n\tmovl %%eax, (%%rdi)"
			 : "+b"(rbx)
			 : "a"(0x42), "d"(TESTDEV_PORT), "D"(MARKER_ADDR + 0x100)
			 : "memory");
	gprintf("guest: serial: resumed after the watchpoint\n");

	/* The console deleted both rules while this vCPU was stopped: the
	 * port and the page are the guest's again (no exits). */
	touch_rule_targets(&port_exits, &mmio_exits);
	guest_check(port_exits == 0 && mmio_exits == 0 && rule_stat(1, 0) == ~0ull &&
			    range_stat(IOM_SPACE_PORT, RULE_PORT_ADDR, IOM_STAT_WRITES) == ~0ull,
		    "deleting the rules gave the port and page back (%lu, %lu exits)",
		    (unsigned long)port_exits, (unsigned long)mmio_exits);
	if (touch_from_cpu1(&ap))
		guest_check(ap.cpu == 1 && ap.port_exits == 0 && ap.mmio_exits == 0,
			    "and to CPU 1 (vCPU %u: %lu, %lu exits)", ap.cpu,
			    (unsigned long)ap.port_exits, (unsigned long)ap.mmio_exits);
	guest_finish();
}
