/* SPDX-License-Identifier: GPL-2.0-only */
#include <efi.h>
#include <efilib.h>
#include <efishell.h>
#include "boot/chainload.h"
#include "boot/config_parse.h"
#include "boot/efi_util.h"
#include "hv/console/console.h"
#include "hv/string.h"

bool chainload_started_by_shell(EFI_HANDLE self)
{
	void *params = NULL;
	EFI_STATUS st = uefi_call_wrapper(BS->HandleProtocol, 3, self,
					  &ShellParametersProtocolGuid, &params);
	return !EFI_ERROR(st) && params;
}

/* What the shell installs on every image it starts (UEFI Shell Specification
 * 2.2, 2.3): the command line split into words, Argv[0] the program, and the
 * shell's standard handles. The child gets iomvisor's own handles: the shell
 * that started iomvisor is still running underneath and serves them. */
struct shell_params {
	EFI_SHELL_PARAMETERS_PROTOCOL proto;
	CHAR16 *argv[CFG_MAX_WORDS];
	CHAR16 text[CFG_MAX_LINE + 1];
};

struct split_ctx {
	struct shell_params *p;
	UINTN used;
	bool done;
};

/* The command line uses the configuration file's word rules (blanks separate,
 * double quotes group), which are the shell's for these words. */
static void on_words(void *ctx, const struct cfg_line *line)
{
	struct split_ctx *c = ctx;
	if (c->done)
		return;
	c->done = true;
	for (unsigned i = 0; i < line->argc; i++) {
		UINTN room = sizeof(c->p->text) / sizeof(CHAR16) - c->used;
		c->p->argv[i] = c->p->text + c->used;
		ascii_to_ucs2(c->p->argv[i], room, line->argv[i]);
		c->used += StrLen(c->p->argv[i]) + 1;
	}
	c->p->proto.Argc = line->argc;
}

static void on_split_error(void *ctx, unsigned line_no, const char *text, const char *msg)
{
	log_warn("next image's command line '%s': %s", text, msg);
}

static struct shell_params *shell_params_new(EFI_HANDLE self, const char *cmdline)
{
	EFI_SHELL_PARAMETERS_PROTOCOL *mine = NULL;
	if (EFI_ERROR(uefi_call_wrapper(BS->HandleProtocol, 3, self, &ShellParametersProtocolGuid,
					(void **)&mine)) || !mine)
		return NULL;
	struct shell_params *p = AllocateZeroPool(sizeof(*p));
	char *copy = AllocatePool(CFG_MAX_LINE + 2);
	UINTN n = strlen(cmdline);
	if (!p || !copy || n > CFG_MAX_LINE) {
		if (p)
			FreePool(p);
		if (copy)
			FreePool(copy);
		return NULL;
	}
	memcpy(copy, cmdline, n + 1);
	struct split_ctx c = { p, 0, false };
	struct cfg_sink sink = { &c, on_words, on_split_error };
	cfg_parse(copy, n, &sink);
	FreePool(copy);
	p->proto.Argv = p->argv;
	p->proto.StdIn = mine->StdIn;
	p->proto.StdOut = mine->StdOut;
	p->proto.StdErr = mine->StdErr;
	return p;
}

EFI_STATUS chainload(EFI_HANDLE self, const char *path, const char *options, bool shell_style)
{
	CHAR16 wpath[256];
	EFI_LOADED_IMAGE *me = efi_loaded_image(self);
	EFI_HANDLE child = NULL;
	EFI_STATUS st;

	if (!me || !ascii_to_ucs2(wpath, sizeof(wpath) / sizeof(wpath[0]), path)) {
		log_err("cannot chain-load '%s': bad path", path);
		return EFI_INVALID_PARAMETER;
	}
	EFI_DEVICE_PATH *dp = FileDevicePath(me->DeviceHandle, wpath);
	if (!dp) {
		log_err("cannot chain-load '%s': no device path", path);
		return EFI_OUT_OF_RESOURCES;
	}
	st = uefi_call_wrapper(BS->LoadImage, 6, FALSE, self, dp, NULL, 0, &child);
	FreePool(dp);
	if (EFI_ERROR(st)) {
		log_err("cannot load '%s' (status 0x%lx)", path, (unsigned long)st);
		return st;
	}

	/* Load options are a UCS-2 string; the size counts the terminating NUL. */
	UINTN n = strlen(options) + 1;
	CHAR16 *wopts = AllocatePool(n * sizeof(CHAR16));
	EFI_LOADED_IMAGE *li = efi_loaded_image(child);
	if (wopts && li) {
		ascii_to_ucs2(wopts, n, options);
		li->LoadOptions = wopts;
		li->LoadOptionsSize = (UINT32)(n * sizeof(CHAR16));
	}
	struct shell_params *sp = shell_style ? shell_params_new(self, options) : NULL;
	if (sp && EFI_ERROR(uefi_call_wrapper(BS->InstallProtocolInterface, 4, &child,
					      &ShellParametersProtocolGuid,
					      EFI_NATIVE_INTERFACE, &sp->proto))) {
		FreePool(sp);
		sp = NULL;
	}
	log_info("starting '%s'%s%s", path, n > 1 ? " with options: " : "", options);
	st = uefi_call_wrapper(BS->StartImage, 3, child, NULL, NULL);
	log_info("'%s' returned (status 0x%lx)", path, (unsigned long)st);
	/* StartImage returned: the image is unloaded unless it stays resident (a
	 * driver); either way its handle no longer needs the parameters. */
	if (sp) {
		uefi_call_wrapper(BS->UninstallProtocolInterface, 3, child,
				  &ShellParametersProtocolGuid, &sp->proto);
		FreePool(sp);
	}
	if (wopts)
		FreePool(wopts);
	return st;
}
