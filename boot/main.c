/* SPDX-License-Identifier: GPL-2.0-only */
/* UEFI entry: settings, banner, then (in later stages) the hypervisor on every
 * CPU, and finally the next boot stage. */
#include <efi.h>
#include <efilib.h>
#include "boot/acpi_rsdp.h"
#include "boot/banner.h"
#include "boot/chainload.h"
#include "boot/config_parse.h"
#include "boot/efi_util.h"
#include "boot/mp.h"
#include "boot/relocate.h"
#include "boot/settings.h"
#include "hv/console/console.h"
#include "hv/cpu_features.h"
#include "hv/devices.h"
#include "hv/hv.h"
#include "hv/mem/pool_size.h"
#include "hv/percpu.h"
#include "hv/rejoin.h"
#include "hv/string.h"
#include "hv/console/uart.h"
#include "hv/version.h"

static void report_setting(void *ctx, const char *source, unsigned line_no, const char *text,
			   const char *msg)
{
	(void)ctx;
	if (line_no)
		log_err("%s, line %u: %s: '%s' (rule skipped)", source, line_no, msg, text);
	else
		log_err("%s: %s: '%s' (ignored)", source, msg, text);
}

struct settings_pass {
	struct boot_settings *s;
	const struct settings_source *src;
	bool options; /* the words are load options, not file directives */
};

static void on_line(void *ctx, const struct cfg_line *line)
{
	struct settings_pass *p = ctx;
	if (p->options)
		settings_apply_options(p->s, line, p->src);
	else
		settings_apply_directive(p->s, line, p->src);
}

static void on_parse_error(void *ctx, unsigned line_no, const char *text, const char *msg)
{
	struct settings_pass *p = ctx;
	if (p->src->error)
		p->src->error(p->src->ctx, p->src->name, line_no, text, msg);
}

static void apply_text(struct boot_settings *s, char *text, UINTN len,
		       const struct settings_source *src, bool options)
{
	struct settings_pass pass = { s, src, options };
	struct cfg_sink sink = { &pass, on_line, on_parse_error };
	cfg_parse(text, len, &sink);
}

/* The load options as ASCII text; empty when there are none or they are not a
 * string (a boot entry's binary optional data). */
static UINTN load_options_text(EFI_HANDLE image, char *buf, UINTN size)
{
	EFI_LOADED_IMAGE *li = efi_loaded_image(image);
	buf[0] = '\0';
	if (!li || !li->LoadOptions || li->LoadOptionsSize < sizeof(CHAR16) ||
	    li->LoadOptionsSize % sizeof(CHAR16))
		return 0;
	const CHAR16 *w = li->LoadOptions;
	UINTN chars = li->LoadOptionsSize / sizeof(CHAR16);
	for (UINTN i = 0; i < chars && w[i]; i++)
		if (w[i] < 0x20 || w[i] > 0x7E)
			return 0;
	if (!ucs2_to_ascii(buf, size, w, chars)) {
		log_err("load options longer than %lu characters: ignored", (unsigned long)size - 1);
		buf[0] = '\0';
		return 0;
	}
	return strlen(buf);
}

/* Defaults, then the configuration file, then the load options on top. With
 * report false nothing is printed (the console may not be where the user wants
 * it yet). */
static void load_settings(EFI_HANDLE image, struct boot_settings *s, bool report)
{
	static char options[1024], scratch[1024];
	struct settings_source opt_src = { "load options", NULL, report ? report_setting : NULL };
	UINTN opt_len = load_options_text(image, options, sizeof(options));

	settings_defaults(s);
	/* The options may name another configuration file: read them once for that,
	 * quietly, and apply them for real after the file. */
	struct boot_settings first = *s;
	struct settings_source quiet = { "load options", NULL, NULL };
	memcpy(scratch, options, opt_len + 1);
	apply_text(&first, scratch, opt_len, &quiet, true);
	memcpy(s->config_path, first.config_path, sizeof(s->config_path));

	char *file = NULL;
	UINTN file_len = 0;
	EFI_STATUS st = efi_read_file(image, s->config_path, &file, &file_len);
	if (!EFI_ERROR(st)) {
		struct settings_source file_src = { s->config_path, NULL,
						    report ? report_setting : NULL };
		apply_text(s, file, file_len, &file_src, false);
		FreePool(file);
	} else if (report && st != EFI_NOT_FOUND) {
		log_err("cannot read %s (status 0x%lx): using defaults", s->config_path,
			(unsigned long)st);
	}
	memcpy(scratch, options, opt_len + 1);
	apply_text(s, scratch, opt_len, &opt_src, true);
	if (report)
		log_info("options: '%s'; config file %s%s", options, s->config_path,
			 EFI_ERROR(st) ? " (none)" : "");
}

/* The hypervisor's memory pool (hv/mem/pool.h), as big as the CPUs and the
 * memory map need (hv/mem/pool_size.c). */
static void *allocate_pool_memory(size_t pages)
{
	EFI_PHYSICAL_ADDRESS base = 0;
	EFI_STATUS st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateAnyPages,
					  EfiRuntimeServicesData, pages, &base);
	if (EFI_ERROR(st)) {
		log_err("cannot allocate %lu pages of runtime memory (status 0x%lx)",
			(unsigned long)pages, (unsigned long)st);
		return NULL;
	}
	return (void *)base;
}

/* Pages below 1 MiB, where a SIPI can start a CPU: the way back for a CPU that
 * a real INIT reset (hv/rejoin.h). Without them the hypervisor still runs. */
static uint64_t allocate_low_memory(void)
{
	EFI_PHYSICAL_ADDRESS base = 0xFFFFF; /* the highest address a SIPI vector names */
	EFI_STATUS st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateMaxAddress,
					  EfiRuntimeServicesData, REJOIN_PAGES, &base);
	if (EFI_ERROR(st)) {
		log_warn("no %u pages below 1 MiB (status 0x%lx): a CPU that a real INIT "
			 "resets will not come back", REJOIN_PAGES, (unsigned long)st);
		return 0;
	}
	return base;
}

/* The hypervisor's entry points, in its copy of the image. */
struct hv_entry {
	enum hv_start_result (*start)(const struct hv_start_params *p);
	int (*takeover)(void);
};

static volatile unsigned ap_failures;

static void ap_takeover(void *arg)
{
	const struct hv_entry *hv = arg;
	if (hv->takeover() != 0)
		__atomic_add_fetch(&ap_failures, 1, __ATOMIC_ACQ_REL);
}

/* Copies the hypervisor into runtime memory, starts it there and turns every
 * CPU into its guest. This function itself keeps running, now as guest code. */
static void start_hypervisor(const struct boot_settings *s, const struct cpu_features *f,
			     const struct mp_summary *mp, const struct memmap_summary *mem)
{
	void *copy = boot_relocate_image();
	if (!copy) {
		log_err("hypervisor: not started (the image could not be moved)");
		return;
	}
	unsigned cpus = mp->count < HV_MAX_CPUS ? (unsigned)mp->count : HV_MAX_CPUS;
	size_t pool_pages = pool_pages_for(cpus, mem->top);
	void *pool = allocate_pool_memory(pool_pages);
	if (!pool) {
		boot_release_image(copy);
		return;
	}
	uint64_t low = allocate_low_memory();
	log_info("hypervisor memory: %lu KiB of runtime memory at %p for %u CPUs, image at %p",
		 (unsigned long)pool_pages * 4, pool, cpus, copy);

	struct hv_entry hv = {
		.start = boot_in_copy(copy, (void *)hv_start),
		.takeover = boot_in_copy(copy, (void *)hv_takeover_this_cpu),
	};
	void (*configure)(const struct device_config *) =
		boot_in_copy(copy, (void *)devices_configure);
	configure(&s->devices);

	uint32_t apic_ids[HV_MAX_CPUS];
	for (unsigned i = 0; i < mp->count && i < HV_MAX_CPUS; i++)
		apic_ids[i] = percpu_apic_id(i);
	struct hv_start_params p = {
		.features = f,
		.memory = {
			.pool_base = (uint64_t)pool,
			.pool_size = (uint64_t)pool_pages * EFI_PAGE_SIZE,
			.image_base = (uint64_t)copy,
			.image_size = boot_image_size(),
			.low_base = low,
			.low_size = low ? REJOIN_PAGES * EFI_PAGE_SIZE : 0,
		},
		.top = mem->top,
		.cpus = (unsigned)mp->count,
		.apic_ids = apic_ids,
		.uart_base = console_uart_base(),
		.acpi_rsdp = efi_acpi_rsdp(),
		.log_level = console_level(),
	};
	switch (hv.start(&p)) {
	case HV_STARTED:
		break;
	case HV_NO_BACKEND: {
		/* The machine goes on bare: the OS gets this memory back, as it
		 * would without iomvisor. */
		EFI_STATUS st =
			uefi_call_wrapper(BS->FreePages, 2, (EFI_PHYSICAL_ADDRESS)pool, pool_pages);
		if (low)
			uefi_call_wrapper(BS->FreePages, 2, (EFI_PHYSICAL_ADDRESS)low, REJOIN_PAGES);
		uint64_t pages = boot_release_image(copy) + (EFI_ERROR(st) ? 0 : pool_pages);
		log_info("hypervisor memory: %lu KiB returned to the firmware",
			 (unsigned long)pages * 4);
		return;
	}
	case HV_START_FAILED:
		return; /* the IOMMU may already use the pool: it stays allocated */
	}
	if (hv.takeover() != 0) {
		log_err("hypervisor: the boot CPU could not be taken over");
		return;
	}
	log_info("hypervisor: running on CPU 0 (this message comes from the guest)");
	if (mp->count > 1) {
		EFI_STATUS st = mp_run_on_aps(ap_takeover, &hv);
		unsigned failed = EFI_ERROR(st) ? (unsigned)mp->count - 1 : ap_failures;
		log_info("hypervisor: %u of %lu CPUs taken over", (unsigned)mp->count - failed,
			 (unsigned long)mp->count);
	}
}

/* The boot program: settings, banner, the hypervisor, the next stage. It runs
 * where the firmware loaded it, and goes on as the guest once the hypervisor has
 * taken over. */
static EFI_STATUS boot_main(EFI_HANDLE image)
{
	struct boot_settings s;
	struct cpu_features f;

	load_settings(image, &s, false);
	console_set_level(s.log_level);
	if (s.uart_base != console_uart_base() && !console_init(s.uart_base) && s.uart_base)
		console_init(UART_COM1); /* the named UART does not answer: keep COM1 */
	log_info("iomvisor %s, I/O monitor hypervisor", hv_version);
	load_settings(image, &s, true);

	cpu_features_detect(&f);
	struct mp_summary mp = mp_discover();
	struct memmap_summary mem;
	if (!memmap_summarize(&mem))
		log_warn("cannot read the firmware's memory map");
	banner_print(&f, &mp, &mem);

	if (s.hypervisor)
		start_hypervisor(&s, &f, &mp, &mem);
	else
		log_info("hypervisor: not started (hypervisor off)");

	if (!s.next[0]) {
		log_info("no next image configured: returning to the firmware's boot manager");
		return EFI_SUCCESS;
	}
	/* The next image gets what its starter would have given it had it started
	 * it directly (boot/settings.h, settings_next_options). */
	static char options[sizeof(s.next) + sizeof(s.next_args) + 4];
	bool shell = chainload_started_by_shell(image);
	if (!settings_next_options(&s, shell, options, sizeof(options))) {
		log_err("options for '%s' too long", s.next);
		return EFI_BUFFER_TOO_SMALL;
	}
	return chainload(image, s.next, options, shell);
}

/* The image's zero-initialised data (linker.ld's .bss): the file carries none
 * of it, and the PE loader zero-fills it (a section's VirtualSize beyond its
 * SizeOfRawData; PE/COFF specification, "Section Table"). It is zeroed here
 * once more, before anything uses it, so that the hypervisor's state does not
 * rest on every firmware's loader getting that right. */
extern char _bss_start[], _bss_end[];

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	memset(_bss_start, 0, (size_t)(_bss_end - _bss_start));
	InitializeLib(image, systab);
	console_init(UART_COM1);
	return boot_main(image);
}
