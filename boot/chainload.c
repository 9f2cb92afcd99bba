#include <efi.h>
#include <efilib.h>
#include "boot/chainload.h"
#include "boot/efi_util.h"
#include "hv/console.h"
#include "hv/string.h"

EFI_STATUS chainload(EFI_HANDLE self, const char *path, const char *args)
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
	UINTN n = strlen(args) + 1;
	CHAR16 *wargs = AllocatePool(n * sizeof(CHAR16));
	EFI_LOADED_IMAGE *li = efi_loaded_image(child);
	if (wargs && li) {
		ascii_to_ucs2(wargs, n, args);
		li->LoadOptions = wargs;
		li->LoadOptionsSize = (UINT32)(n * sizeof(CHAR16));
	}
	log_info("starting '%s'%s%s", path, n > 1 ? " with options: " : "", args);
	st = uefi_call_wrapper(BS->StartImage, 3, child, NULL, NULL);
	log_info("'%s' returned (status 0x%lx)", path, (unsigned long)st);
	if (wargs)
		FreePool(wargs);
	return st;
}
