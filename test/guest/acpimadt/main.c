/* SPDX-License-Identifier: GPL-2.0-only */
/* acpimadt: gives a firmware without ACPI tables a MADT, then starts the next
 * image. OVMF builds its ACPI tables from QEMU's fw_cfg interface; under Bochs
 * there is none, so it publishes no tables at all and Linux runs on the boot
 * CPU alone (docs/emulators.md). This image stands where the firmware falls
 * short: it lists the CPUs the firmware's MP services found (their local APIC
 * IDs), the I/O APIC (its ID read from the chip) and ISA IRQ 0 on GSI 2, as
 * OVMF's own MADT on QEMU does, in an RSDP, XSDT and MADT (ACPI 6.4 §5.2.5,
 * §5.2.8, §5.2.12) installed as the ACPI 2.0 configuration table (UEFI 2.9
 * §4.6). The hypervisor plays no part in it: the same tables would be built
 * on the bare machine.
 *
 * Load options: PATH OPTIONS..., the next image and its load options. A
 * firmware that already has ACPI tables keeps them. */
#include <efi.h>
#include <efilib.h>
#include "guest.h"
#include "boot/efi_mp.h"
#include "hv/acpi.h"
#include "hv/cpu.h"
#include "hv/string.h"

#define MAX_CPUS 64
#define IOAPIC_BASE 0xFEC00000ull
#define IOAPIC_REGSEL 0x00
#define IOAPIC_WIN 0x10
#define IOAPIC_REG_ID 0x00 /* ID in bits 27:24 (82093AA datasheet §3.2.1) */
#define LAPIC_BASE 0xFEE00000u
#define MADT_PCAT_COMPAT 1u /* dual 8259s present (ACPI 6.4 Table 5.45) */
#define MADT_LAPIC 0	    /* Processor Local APIC (§5.2.12.2) */
#define MADT_IOAPIC 1	    /* I/O APIC (§5.2.12.3) */
#define MADT_ISO 2	    /* Interrupt Source Override (§5.2.12.5) */
#define MADT_LAPIC_NMI 4    /* Local APIC NMI (§5.2.12.7) */
#define LAPIC_ENABLED 1u

struct rsdp { /* §5.2.5.3 */
	char signature[8];
	uint8_t checksum; /* over the first 20 bytes */
	char oem_id[6];
	uint8_t revision; /* 2: ACPI 2.0 and later, with the XSDT */
	uint32_t rsdt_address;
	uint32_t length;
	uint64_t xsdt_address;
	uint8_t extended_checksum; /* over all 36 bytes */
	uint8_t reserved[3];
} __attribute__((packed));

struct madt_lapic {
	uint8_t type, length, uid, apic_id;
	uint32_t flags;
} __attribute__((packed));
struct madt_ioapic {
	uint8_t type, length, id, reserved;
	uint32_t address, gsi_base;
} __attribute__((packed));
struct madt_iso {
	uint8_t type, length, bus, source;
	uint32_t gsi;
	uint16_t flags;
} __attribute__((packed));
struct madt_lapic_nmi {
	uint8_t type, length, uid;
	uint16_t flags;
	uint8_t lint;
} __attribute__((packed));

static uint8_t sum(const void *p, UINTN n)
{
	uint8_t s = 0;
	for (UINTN i = 0; i < n; i++)
		s += ((const uint8_t *)p)[i];
	return s;
}

static void header(struct acpi_header *h, const char *sig, uint32_t length, uint8_t revision)
{
	memcpy(h->signature, sig, 4);
	h->length = length;
	h->revision = revision;
	memcpy(h->oem_id, "IOMVSR", 6);
	memcpy(h->oem_table_id, "TESTMADT", 8);
	h->oem_revision = 1;
	memcpy(&h->creator_id, "IOMV", 4);
	h->creator_revision = 1;
	h->checksum = (uint8_t)-sum(h, length);
}

static uint8_t ioapic_id(void)
{
	volatile uint32_t *io = (volatile uint32_t *)IOAPIC_BASE;
	io[IOAPIC_REGSEL / 4] = IOAPIC_REG_ID;
	return (uint8_t)(io[IOAPIC_WIN / 4] >> 24 & 0xF);
}

/* The tables in one page of ACPI memory; NULL on failure. */
static struct rsdp *build_tables(const uint32_t *apic_ids, unsigned n)
{
	EFI_PHYSICAL_ADDRESS page = 0xFFFFFFFF; /* the RSDT-era 32-bit reach */
	if (EFI_ERROR(uefi_call_wrapper(BS->AllocatePages, 4, AllocateMaxAddress,
					EfiACPIReclaimMemory, 1, &page)))
		return NULL;
	uint8_t *base = (uint8_t *)page;
	memset(base, 0, 4096);
	struct rsdp *rsdp = (struct rsdp *)base;
	struct acpi_header *xsdt = (struct acpi_header *)(base + 64);
	struct acpi_header *madt = (struct acpi_header *)(base + 128);

	uint8_t *p = (uint8_t *)(madt + 1);
	uint32_t lapic_address = LAPIC_BASE, flags = MADT_PCAT_COMPAT;
	memcpy(p, &lapic_address, 4);
	memcpy(p + 4, &flags, 4);
	p += 8;
	for (unsigned i = 0; i < n; i++, p += sizeof(struct madt_lapic))
		*(struct madt_lapic *)p =
			(struct madt_lapic){ MADT_LAPIC, sizeof(struct madt_lapic), (uint8_t)i,
					     (uint8_t)apic_ids[i], LAPIC_ENABLED };
	*(struct madt_ioapic *)p =
		(struct madt_ioapic){ MADT_IOAPIC, sizeof(struct madt_ioapic), ioapic_id(),
				      0,	   (uint32_t)IOAPIC_BASE,      0 };
	p += sizeof(struct madt_ioapic);
	/* The PIT's IRQ 0 is wired to I/O APIC input 2; flags 0: as the ISA bus. */
	*(struct madt_iso *)p = (struct madt_iso){ MADT_ISO, sizeof(struct madt_iso), 0, 0, 2, 0 };
	p += sizeof(struct madt_iso);
	/* LINT1 of every processor (UID 0xFF) is the NMI input. */
	*(struct madt_lapic_nmi *)p =
		(struct madt_lapic_nmi){ MADT_LAPIC_NMI, sizeof(struct madt_lapic_nmi), 0xFF, 0,
					 1 };
	p += sizeof(struct madt_lapic_nmi);
	header(madt, "APIC", (uint32_t)(p - (uint8_t *)madt), 3);

	uint64_t madt_address = (uint64_t)(UINTN)madt;
	memcpy(xsdt + 1, &madt_address, 8);
	header(xsdt, "XSDT", sizeof(*xsdt) + 8, 1);

	memcpy(rsdp->signature, "RSD PTR ", 8);
	memcpy(rsdp->oem_id, "IOMVSR", 6);
	rsdp->revision = 2;
	rsdp->length = sizeof(*rsdp);
	rsdp->xsdt_address = (uint64_t)(UINTN)xsdt;
	rsdp->checksum = (uint8_t)-sum(rsdp, 20);
	rsdp->extended_checksum = (uint8_t)-sum(rsdp, sizeof(*rsdp));
	return rsdp;
}

static bool firmware_has_acpi(void)
{
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID, acpi10 = ACPI_TABLE_GUID;
	for (UINTN i = 0; i < ST->NumberOfTableEntries; i++) {
		EFI_GUID *g = &ST->ConfigurationTable[i].VendorGuid;
		if (!CompareGuid(g, &acpi20) || !CompareGuid(g, &acpi10))
			return true;
	}
	return false;
}

static void install_madt(void)
{
	struct efi_mp_services *mp = NULL;
	UINTN count = 1, enabled = 1;
	uint32_t ids[MAX_CPUS];
	unsigned n = 0;
	if (!EFI_ERROR(uefi_call_wrapper(BS->LocateProtocol, 3, &efi_mp_services_guid, NULL,
					 (void **)&mp)) &&
	    !EFI_ERROR(mp->get_number_of_processors(mp, &count, &enabled))) {
		for (UINTN i = 0; i < count && n < MAX_CPUS; i++) {
			struct efi_processor_information info;
			if (!EFI_ERROR(mp->get_processor_info(mp, i, &info)))
				ids[n++] = (uint32_t)info.processor_id;
		}
	}
	if (!n) /* no MP services: the boot CPU alone */
		ids[n++] = cpu_initial_apic_id();
	struct rsdp *rsdp = build_tables(ids, n);
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID;
	if (!rsdp ||
	    EFI_ERROR(uefi_call_wrapper(BS->InstallConfigurationTable, 2, &acpi20, rsdp))) {
		gprintf("acpimadt: cannot install the tables\n");
		return;
	}
	gprintf("acpimadt: MADT with %u CPUs (APIC IDs", n);
	for (unsigned i = 0; i < n; i++)
		gprintf(" %u", ids[i]);
	gprintf("), I/O APIC %u, RSDP at 0x%lx\n", ioapic_id(), (uint64_t)(UINTN)rsdp);
}

/* Starts PATH from our own volume with OPTIONS as its load options. Returns
 * only if it cannot be started or it returns. */
static void start_next(EFI_HANDLE self, const char *opts)
{
	CHAR16 path[128], *wopts;
	UINTN i = 0, n;
	while (opts[i] == ' ')
		i++;
	for (n = 0; opts[i] && opts[i] != ' ' && n + 1 < sizeof(path) / sizeof(path[0]); i++)
		path[n++] = (CHAR16)opts[i];
	path[n] = 0;
	while (opts[i] == ' ')
		i++;
	const char *rest = opts + i;
	EFI_LOADED_IMAGE *me = NULL;
	EFI_HANDLE child = NULL;
	if (!n || EFI_ERROR(uefi_call_wrapper(BS->HandleProtocol, 3, self, &LoadedImageProtocol,
					      (void **)&me))) {
		gprintf("acpimadt: no next image in the load options\n");
		return;
	}
	EFI_DEVICE_PATH *dp = FileDevicePath(me->DeviceHandle, path);
	if (!dp ||
	    EFI_ERROR(uefi_call_wrapper(BS->LoadImage, 6, FALSE, self, dp, NULL, 0, &child))) {
		gprintf("acpimadt: cannot load the next image\n");
		return;
	}
	n = strlen(rest) + 1;
	EFI_LOADED_IMAGE *li = NULL;
	wopts = AllocatePool(n * sizeof(CHAR16));
	if (wopts && !EFI_ERROR(uefi_call_wrapper(BS->HandleProtocol, 3, child,
						  &LoadedImageProtocol, (void **)&li))) {
		for (i = 0; i < n; i++)
			wopts[i] = (CHAR16)(uint8_t)rest[i];
		li->LoadOptions = wopts;
		li->LoadOptionsSize = (UINT32)(n * sizeof(CHAR16));
	}
	gprintf("acpimadt: starting the next image with options: %s\n", rest);
	uefi_call_wrapper(BS->StartImage, 3, child, NULL, NULL);
	gprintf("acpimadt: the next image returned\n");
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	guest_init(image, systab);
	if (firmware_has_acpi())
		gprintf("acpimadt: the firmware has ACPI tables: kept\n");
	else
		install_madt();
	start_next(image, guest_load_options());
	guest_check(false, "the next image ran");
	guest_finish();
}
