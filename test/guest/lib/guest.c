/* SPDX-License-Identifier: GPL-2.0-only */
#include <efi.h>
#include <efilib.h>
#include <stdarg.h>
#include "guest.h"
#include "hv/cpu.h"
#include "hv/format.h"

#define COM1 0x3F8
#define COM1_LSR (COM1 + 5)
#define LSR_THR_EMPTY 0x20
/* QEMU's isa-debug-exit (configured at 0xF4 by the runner) exits with (v << 1) | 1. */
#define QEMU_EXIT_PORT 0xF4
/* Bochs stops when "Shutdown" is written to this port. */
#define BOCHS_SHUTDOWN_PORT 0x8900

static unsigned checks, failures;
static char options[512];

static void emit(void *arg, char c)
{
	(void)arg;
	if (c == '\n')
		emit(arg, '\r');
	for (int i = 0; i < 100000 && !(inb(COM1_LSR) & LSR_THR_EMPTY); i++)
		cpu_relax();
	outb(COM1, (uint8_t)c);
}

void gprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fmt_vformat(emit, 0, fmt, ap);
	va_end(ap);
}

void guest_init(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	EFI_LOADED_IMAGE *li = NULL;
	InitializeLib(image, systab);
	options[0] = '\0';
	if (!EFI_ERROR(uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol,
					 (void **)&li)) &&
	    li->LoadOptions) {
		const CHAR16 *w = li->LoadOptions;
		UINTN n = li->LoadOptionsSize / sizeof(CHAR16), i = 0;
		for (; i < n && w[i] && i + 1 < sizeof(options); i++)
			options[i] = w[i] < 0x80 ? (char)w[i] : '?';
		options[i] = '\0';
	}
}

const char *guest_load_options(void)
{
	return options;
}

bool guest_has_option(const char *word)
{
	for (const char *p = options; *p;) {
		const char *w = word;
		while (*w && *p == *w)
			p++, w++;
		if (!*w && (*p == ' ' || !*p))
			return true;
		while (*p && *p != ' ')
			p++;
		while (*p == ' ')
			p++;
	}
	return false;
}

bool guest_check(bool cond, const char *fmt, ...)
{
	va_list ap;
	checks++;
	if (!cond)
		failures++;
	gprintf("guest: %s: ", cond ? "ok" : "FAIL");
	va_start(ap, fmt);
	fmt_vformat(emit, 0, fmt, ap);
	va_end(ap);
	gprintf("\n");
	return cond;
}

_Noreturn void guest_finish(void)
{
	gprintf("guest: %u checks, %u failed\n", checks, failures);
	gprintf("iomvisor-test: %s\n", failures || !checks ? "FAIL" : "PASS");
	outb(QEMU_EXIT_PORT, failures ? 0x11 : 0x10);
	for (const char *p = "Shutdown"; *p; p++)
		outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*p);
	uefi_call_wrapper(RT->ResetSystem, 4, EfiResetShutdown, EFI_SUCCESS, 0, NULL);
	cpu_halt_forever();
}
