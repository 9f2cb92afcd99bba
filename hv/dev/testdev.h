/* SPDX-License-Identifier: GPL-2.0-only */
/* Test devices the integration tests' guests talk to (enabled by "testdev on").
 *
 * Ports TESTDEV_PORT_BASE..+7: bytes 0-3 a scratch dword; bytes 4-7 a dword whose
 * every access defers from exit context (reads are retried, writes queued).
 * MMIO page TESTDEV_MMIO_BASE: bytes 0x000-0xEFF scratch memory, 0xF00-0xF07 a
 * qword whose every access defers; 0xF08-0xFFF read all ones (nothing there). */
#ifndef HV_DEV_TESTDEV_H
#define HV_DEV_TESTDEV_H

#define TESTDEV_PORT_BASE 0x5A0
#define TESTDEV_PORT_COUNT 8
#define TESTDEV_PORT_DEFER 4
#define TESTDEV_MMIO_BASE 0xFE800000ull
#define TESTDEV_MMIO_SIZE 0x1000
#define TESTDEV_MMIO_DEFER 0xF00
#define TESTDEV_MMIO_DEFER_SIZE 8
#define TESTDEV_MMIO_SCRATCH_SIZE 0xF00

/* The constants above are also used from assembly (test guests). */
#ifndef __ASSEMBLER__
void testdev_register(void);
#endif

#endif
