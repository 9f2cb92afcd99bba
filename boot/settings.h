/* SPDX-License-Identifier: GPL-2.0-only */
/* What the user asked for: from the configuration file, then the load options,
 * which override the file word by word. Pure C (unit-tested on the host). */
#ifndef BOOT_SETTINGS_H
#define BOOT_SETTINGS_H

#include <stdbool.h>
#include <stdint.h>
#include "boot/config_parse.h"
#include "hv/console/console.h"
#include "hv/devices.h"

#define SETTINGS_DEFAULT_CONFIG "\\EFI\\iomvisor\\iomvisor.cfg"

struct boot_settings {
	char config_path[128]; /* configuration file on the boot volume */
	char next[256];        /* image to chain-load; empty: back to the boot manager */
	char next_args[1024];  /* load options handed to it */
	enum log_level log_level;
	uint16_t uart_base;    /* console UART I/O base; 0: no console */
	bool hypervisor;       /* "hypervisor off" boots without taking over */
	struct device_config devices; /* devices and trace/deny rules for hv/ */
};

/* Where a setting came from, for error messages. */
struct settings_source {
	const char *name; /* "load options" or the file's path */
	void *ctx;
	void (*error)(void *ctx, const char *source, unsigned line_no, const char *text,
		      const char *msg);
};

void settings_defaults(struct boot_settings *s);

/* The next image's load options, as its own starter would have given them.
 * shell_style (iomvisor was started by the UEFI shell): the whole command line,
 * first word the image's path as written in "next", quoted if it holds blanks,
 * as the shell gives every image it starts (UEFI Shell Specification 2.2,
 * 2.3 and 4.2: LoadOptions carry the full command line, Argv[0] the program).
 * Otherwise (a boot manager started iomvisor): the options alone, as a Boot####
 * entry's OptionalData would carry them (UEFI Specification 2.10, 3.1.3); this
 * is what Linux's EFI stub, which takes LoadOptions verbatim as its command
 * line, expects. False when dst[size] is too small (dst then undefined). */
bool settings_next_options(const struct boot_settings *s, bool shell_style, char *dst,
			   size_t size);

/* One configuration-file directive: "keyword arg...". An unknown keyword or a bad
 * value is reported through src and leaves s unchanged. */
void settings_apply_directive(struct boot_settings *s, const struct cfg_line *line,
			      const struct settings_source *src);

/* Load options: words "key=value". The words after "next=PATH" are the next
 * image's own options. A first word ending in ".efi" is the program name the
 * UEFI shell puts there, and is skipped. */
void settings_apply_options(struct boot_settings *s, const struct cfg_line *words,
			    const struct settings_source *src);

#endif
