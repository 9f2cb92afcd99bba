#ifndef BOOT_CHAINLOAD_H
#define BOOT_CHAINLOAD_H

#include <efi.h>

/* Loads the EFI image at path (on the volume iomvisor came from) and starts it with
 * args as its load options. Returns when the image returns, or with the error that
 * kept it from starting (logged). */
EFI_STATUS chainload(EFI_HANDLE self, const char *path, const char *args);

#endif
