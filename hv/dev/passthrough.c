/* SPDX-License-Identifier: GPL-2.0-only */
#include "hv/cpu.h"
#include "hv/dev/passthrough.h"

uint32_t port_read(uint16_t port, unsigned size)
{
	return size == 1 ? inb(port) : size == 2 ? inw(port) : inl(port);
}

void port_write(uint16_t port, unsigned size, uint32_t value)
{
	if (size == 1)
		outb(port, (uint8_t)value);
	else if (size == 2)
		outw(port, (uint16_t)value);
	else
		outl(port, value);
}

/* volatile: each guest access is exactly one device access of its size. */
uint64_t mmio_read_phys(uint64_t gpa, unsigned size)
{
	switch (size) {
	case 1: return *(volatile uint8_t *)gpa;
	case 2: return *(volatile uint16_t *)gpa;
	case 4: return *(volatile uint32_t *)gpa;
	default: return *(volatile uint64_t *)gpa;
	}
}

void mmio_write_phys(uint64_t gpa, unsigned size, uint64_t value)
{
	switch (size) {
	case 1: *(volatile uint8_t *)gpa = (uint8_t)value; break;
	case 2: *(volatile uint16_t *)gpa = (uint16_t)value; break;
	case 4: *(volatile uint32_t *)gpa = (uint32_t)value; break;
	default: *(volatile uint64_t *)gpa = value; break;
	}
}
