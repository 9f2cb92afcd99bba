/* SPDX-License-Identifier: GPL-2.0-only */
/* Port 0xE9 ("debugcon", as Bochs and QEMU call it): bytes the guest writes there
 * appear on the console, a line at a time; reads return 0xE9, which is how guests
 * detect the port. */
#ifndef HV_DEV_DEBUGCON_H
#define HV_DEV_DEBUGCON_H

#define DEBUGCON_PORT 0xE9

void debugcon_register(void);

#endif
