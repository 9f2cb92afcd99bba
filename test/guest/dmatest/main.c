/* SPDX-License-Identifier: GPL-2.0-only */
/* DMA containment, from the guest's side: programs QEMU's "edu" PCI device
 * (vendor 0x1234, device 0x11e8) to copy between its internal buffer and
 * memory. DMA to and from the guest's own RAM must work; DMA to and from the
 * hypervisor's memory (HC_HV_MEMORY) must not, and the hypervisor must still
 * answer afterwards. With the load option "noiommu" (a machine without an
 * IOMMU) it shows instead that the check can fail: the device does read the
 * hypervisor's image there, and nothing is written over it.
 *
 * edu's registers (BAR 0, as QEMU 7.2 defines the device): 0x00 identification
 * (0x010000ed for version 1.0), 0x80 DMA source, 0x88 DMA destination, 0x90
 * DMA count, 0x98 DMA command (bit 0 start, cleared when done; bit 1
 * direction: 0 RAM to device, 1 device to RAM); its buffer is at device
 * address 0x40000, 4 KiB.
 *
 * It also checks what the guest sees of the IOMMU: no DMAR or IVRS table, and
 * registers (found through the renamed table, as only a test would) that show
 * translation off and ignore the guest's attempt to turn it off. */
#include <efi.h>
#include <efilib.h>
#include "boot/acpi_rsdp.h"
#include "guest.h"
#include "hv/acpi.h"
#include "hvif.h"
#include "hv/cpu.h"
#include "hv/string.h"

#define EDU_VENDOR 0x1234
#define EDU_DEVICE 0x11e8
#define EDU_IDENT 0x00
#define EDU_DMA_SRC 0x80
#define EDU_DMA_DST 0x88
#define EDU_DMA_COUNT 0x90
#define EDU_DMA_CMD 0x98
#define EDU_CMD_START 1u
#define EDU_CMD_TO_RAM 2u
#define EDU_BUFFER 0x40000ull
#define DMA_BYTES 256
#define DMA_WAIT_MS 30000 /* edu runs a DMA 100 ms of virtual time later */

/* PCI configuration mechanism #1 (PCI Local Bus Specification 3.0 §3.2.2.3.2). */
static uint32_t pci_read32(unsigned bus, unsigned dev, unsigned fn, unsigned reg)
{
	outl(0xCF8, 0x80000000u | bus << 16 | dev << 11 | fn << 8 | (reg & 0xFC));
	return inl(0xCFC);
}

static void pci_write32(unsigned bus, unsigned dev, unsigned fn, unsigned reg, uint32_t v)
{
	outl(0xCF8, 0x80000000u | bus << 16 | dev << 11 | fn << 8 | (reg & 0xFC));
	outl(0xCFC, v);
}

static volatile uint8_t *edu;

/* Registers below 0x80 take 4-byte accesses only, the DMA ones 8-byte too. */
static uint32_t edu_read32(unsigned reg)
{
	return *(volatile uint32_t *)(edu + reg);
}

static uint64_t edu_read(unsigned reg)
{
	return *(volatile uint64_t *)(edu + reg);
}

static void edu_write(unsigned reg, uint64_t v)
{
	*(volatile uint64_t *)(edu + reg) = v;
}

/* Finds edu on bus 0, turns on memory decoding and bus mastering (command
 * register bits 1 and 2), returns its device number or -1. */
static int find_edu(void)
{
	for (unsigned dev = 0; dev < 32; dev++) {
		uint32_t id = pci_read32(0, dev, 0, 0);
		if (id != (EDU_VENDOR | (uint32_t)EDU_DEVICE << 16))
			continue;
		uint32_t bar = pci_read32(0, dev, 0, 0x10);
		edu = (volatile uint8_t *)(uint64_t)(bar & ~0xFu);
		pci_write32(0, dev, 0, 0x04, pci_read32(0, dev, 0, 0x04) | 0x6);
		return (int)dev;
	}
	return -1;
}

/* One DMA; true when the device said it finished. A blocked DMA finishes too:
 * the device sees an error, not a hang. */
static bool dma(uint64_t src, uint64_t dst, bool to_ram)
{
	edu_write(EDU_DMA_SRC, src);
	edu_write(EDU_DMA_DST, dst);
	edu_write(EDU_DMA_COUNT, DMA_BYTES);
	edu_write(EDU_DMA_CMD, EDU_CMD_START | (to_ram ? EDU_CMD_TO_RAM : 0));
	for (unsigned ms = 0; ms < DMA_WAIT_MS; ms++) {
		if (!(edu_read(EDU_DMA_CMD) & EDU_CMD_START))
			return true;
		uefi_call_wrapper(BS->Stall, 1, 1000);
	}
	return false;
}

static uint8_t *page_below_4g(void)
{
	EFI_PHYSICAL_ADDRESS a = 0xFFFFFFFF;
	if (EFI_ERROR(uefi_call_wrapper(BS->AllocatePages, 4, AllocateMaxAddress, EfiLoaderData, 1,
					&a)))
		return NULL;
	return (uint8_t *)a;
}

/* Into the device from a, back out to b: b must equal a. */
static void own_ram_round_trip(uint8_t *a, uint8_t *b, uint8_t seed, const char *when)
{
	for (unsigned i = 0; i < DMA_BYTES; i++) {
		a[i] = (uint8_t)(seed + i);
		b[i] = 0;
	}
	bool done = dma((uint64_t)a, EDU_BUFFER, false) && dma(EDU_BUFFER, (uint64_t)b, true);
	guest_check(done && memcmp(a, b, DMA_BYTES) == 0,
		    "DMA to and from the guest's own RAM works %s (0x%lx -> device -> 0x%lx)", when,
		    (unsigned long)a, (unsigned long)b);
}

static void dma_zeros_to(uint8_t *zeros, uint64_t regs)
{
	memset(zeros, 0, DMA_BYTES);
	gprintf("guest: dma: writing zeros to the registers at 0x%lx\n", (unsigned long)regs);
	guest_check(dma((uint64_t)zeros, EDU_BUFFER, false) && dma(EDU_BUFFER, regs, true),
		    "DMA over the IOMMU's registers finished (blocked or not)");
}

/* The first remapping structure's register base: a DRHD (VT-d spec §8.3) or
 * an IVHD (AMD IOMMU spec §5.2.2), both with the base at byte 8 of a
 * structure starting at byte 48 of the table. */
static uint64_t first_unit_base(const struct acpi_header *t)
{
	uint64_t base;
	memcpy(&base, (const uint8_t *)t + 48 + 8, 8);
	return base;
}

/* Tries to switch the IOMMU off, as a guest OS that knew of it could: with
 * the CPU, then with the device (DMA of zeros over the first 256 bytes of the
 * register window, which hold the command and control registers). */
static void tamper_with_registers(uint8_t *zeros)
{
	uint64_t rsdp = efi_acpi_rsdp();
	guest_check(!acpi_find_table(rsdp, "DMAR") && !acpi_find_table(rsdp, "IVRS"),
		    "the ACPI tables list no DMAR and no IVRS");
	const struct acpi_header *vtd = acpi_find_table(rsdp, "HDMR");
	const struct acpi_header *amd = acpi_find_table(rsdp, "HIVR");
	if (vtd) {
		volatile uint32_t *r = (volatile uint32_t *)first_unit_base(vtd);
		uint32_t gsts = r[0x1C / 4]; /* VT-d spec §11.4.5 */
		guest_check(gsts == 0, "VT-d global status reads all off (0x%x)", gsts);
		r[0x18 / 4] = 0; /* GCMD: translation off */
		gprintf("guest: dma: wrote 0 to VT-d GCMD\n");
		dma_zeros_to(zeros, (uint64_t)r);
	}
	if (amd) {
		volatile uint64_t *r = (volatile uint64_t *)first_unit_base(amd);
		uint64_t ctrl = r[0x18 / 8]; /* AMD IOMMU spec §3.4.3 */
		guest_check(ctrl == 0, "AMD-Vi control register reads all off (0x%lx)", ctrl);
		r[0x18 / 8] = 0; /* IommuEn off */
		gprintf("guest: dma: wrote 0 to AMD-Vi control\n");
		dma_zeros_to(zeros, (uint64_t)r);
	}
	guest_check(vtd || amd, "the renamed table is there for the test to find the registers");
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	guest_init(image, systab);
	bool contained = !guest_has_option("noiommu");
	guest_check(hv_present(), "running under iomvisor");
	int dev = find_edu();
	if (!guest_check(dev >= 0 && (edu_read32(EDU_IDENT) & 0xFF) == 0xED,
			 "edu found on bus 0 (device %d, BAR 0x%lx)", dev, (unsigned long)edu))
		guest_finish();
	gprintf("guest: dma: edu is 00:%02x.0\n", dev);
	struct hc_result mem = hypercall(HC_HV_MEMORY, 0, 0, 0);
	guest_check(mem.rc == HC_OK, "hypervisor memory: pool 0x%lx+0x%lx, image 0x%lx+0x%lx",
		    mem.rbx, mem.rcx, mem.rdx, mem.rsi);
	uint8_t *a = page_below_4g(), *b = page_below_4g();
	if (!guest_check(a && b, "two pages for DMA"))
		guest_finish();

	own_ram_round_trip(a, b, 0x11, "at first");
	if (contained)
		tamper_with_registers(a);

	/* Reading the hypervisor's image (it starts with the PE header, "MZ"):
	 * the device's buffer keeps the guest's bytes, or gets zeros or ones,
	 * but never the image's. */
	gprintf("guest: dma: reading 0x%lx (hypervisor image)\n", mem.rdx);
	bool done = dma(mem.rdx, EDU_BUFFER, false) && dma(EDU_BUFFER, (uint64_t)b, true);
	bool leaked = b[0] == 'M' && b[1] == 'Z';
	if (contained)
		guest_check(done && !leaked,
			    "DMA from the hypervisor's image is blocked (device read %02x %02x)", b[0],
			    b[1]);
	else
		guest_check(done && leaked,
			    "without an IOMMU the device reads the hypervisor's image (%02x %02x)",
			    b[0], b[1]);

	if (contained) {
		/* Writing over the first page of the hypervisor's pool (its first
		 * tables live there). */
		memset(a, 0xEE, DMA_BYTES);
		gprintf("guest: dma: writing 0x%lx (hypervisor pool)\n", mem.rbx);
		done = dma((uint64_t)a, EDU_BUFFER, false) && dma(EDU_BUFFER, mem.rbx, true);
		guest_check(done, "DMA over the hypervisor's pool finished (blocked or not)");
		/* Reading it back is blocked too; the hypervisor must still run. */
		unsigned answered = 0;
		for (unsigned i = 0; i < 1000; i++)
			answered += hypercall(HC_INFO, 0, 0, 0).rc == HC_OK;
		guest_check(answered == 1000, "the hypervisor answers 1000 hypercalls after it");
		struct hc_result again = hypercall(HC_HV_MEMORY, 0, 0, 0);
		guest_check(again.rbx == mem.rbx && again.rdx == mem.rdx,
			    "and reports the same memory");
	}
	own_ram_round_trip(a, b, 0x77, "afterwards");
	guest_finish();
}
