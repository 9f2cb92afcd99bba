/* SPDX-License-Identifier: GPL-2.0-only */
/* Prints exactly what this image was started with, for test/integration/args.sh:
 * its load options (UCS-2 shown as ASCII), their split into argv the way a
 * C-style application splits them (blanks separate, double quotes group), and
 * the UEFI shell's parameters protocol if the image has one. The script
 * compares the lines with the command line it configured. */
#include <efi.h>
#include <efilib.h>
#include <efishell.h>
#include "guest.h"

#define MAX_ARGS 16

/* Splits s in place; returns the word count. */
static unsigned split(char *s, char **argv)
{
	unsigned n = 0;
	while (*s && n < MAX_ARGS) {
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		bool quoted = *s == '"';
		s += quoted;
		argv[n++] = s;
		while (*s && (quoted ? *s != '"' : *s != ' '))
			s++;
		if (*s)
			*s++ = '\0';
	}
	return n;
}

static void ascii(char *dst, UINTN size, const CHAR16 *w)
{
	UINTN i = 0;
	for (; w[i] && i + 1 < size; i++)
		dst[i] = w[i] < 0x80 ? (char)w[i] : '?';
	dst[i] = '\0';
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	static char copy[512], word[256];
	char *argv[MAX_ARGS];
	guest_init(image, systab);

	const char *opts = guest_load_options();
	gprintf("args: load options '%s'\n", opts);
	unsigned i = 0;
	for (; opts[i] && i + 1 < sizeof(copy); i++)
		copy[i] = opts[i];
	copy[i] = '\0';
	unsigned argc = split(copy, argv);
	gprintf("args: argc %u\n", argc);
	for (i = 0; i < argc; i++)
		gprintf("args: argv[%u] '%s'\n", i, argv[i]);

	EFI_SHELL_PARAMETERS_PROTOCOL *sp = NULL;
	if (EFI_ERROR(uefi_call_wrapper(BS->HandleProtocol, 3, image, &ShellParametersProtocolGuid,
					(void **)&sp)) || !sp) {
		gprintf("args: no shell parameters\n");
	} else {
		gprintf("args: shell parameters argc %lu\n", (unsigned long)sp->Argc);
		bool same = sp->Argc == argc;
		for (UINTN k = 0; k < sp->Argc; k++) {
			ascii(word, sizeof(word), sp->Argv[k]);
			gprintf("args: shell argv[%lu] '%s'\n", (unsigned long)k, word);
			same &= k < argc && strcmpa((CHAR8 *)word, (CHAR8 *)argv[k]) == 0;
		}
		guest_check(same, "the shell parameters are the load options' words");
	}
	guest_check(opts[0] != '\0', "load options were passed on");
	guest_finish();
}
