/* SPDX-License-Identifier: GPL-2.0-only */
#include "hv/exit/entry_work.h"
#include "hv/console/console.h"
#include "hv/cpu.h"
#include "hv/dev/vuart.h"
#include "hv/dev/vuart_model.h"
#include "hv/spinlock.h"
#include "hv/tsc_rate.h"
#include "iom/iom.h"

/* Received bytes taken from the chip per poll at most (a 16550A holds 16). */
#define PULL_MAX 32

static struct {
	struct spinlock lock;
	uint16_t base;
	bool present;
	/* Shadowed registers (the guest's values). */
	uint8_t lcr, mcr, scr, dll, dlm, ier;
	uint8_t lsr_errors; /* error bits seen while taking bytes, for the guest's next LSR */
	struct vuart_fifo guest_in;
	struct vuart_fifo console_in;
	struct hotkey_filter hotkey;
	volatile bool console_active;
	bool kick; /* THRI set underneath to interrupt the guest (kick_guest) */
	volatile bool activate_request;
	volatile uint64_t last_guest_read;
	volatile uint64_t last_poll;
	uint64_t poll_ticks, poll_irq_ticks;
	uint64_t dropped; /* input bytes lost (guest FIFO or console buffer full) */
} vu = { .lock = SPINLOCK_INIT };

static const struct iom_port_desc descs[8] = {
	{ "RBR/DLL", "THR/DLL" }, { "IER/DLM", "IER/DLM" }, { "IIR", "FCR" }, { "LCR", "LCR" },
	{ "MCR", "MCR" },	  { "LSR", NULL },	    { "MSR", NULL }, { "SCR", "SCR" },
};

bool vuart_present(void)
{
	return vu.present;
}

/* Lock held. */
static void deliver(uint8_t c)
{
	uint8_t out[2];
	bool hit;
	unsigned n = hotkey_feed(&vu.hotkey, c, out, &hit);
	if (hit && !vu.console_active) {
		vu.console_active = true;
		vu.activate_request = true;
		entry_work_raise_all(); /* every vCPU stops for the console */
	}
	for (unsigned i = 0; i < n; i++) {
		struct vuart_fifo *f = vu.console_active ? &vu.console_in : &vu.guest_in;
		if (!vuart_fifo_push(f, out[i]))
			vu.dropped++;
	}
}

/* Lock held: takes what the chip received. While the guest's FIFO is full the
 * bytes stay in the chip (the sender sees the line's own flow control). */
static void pull_rx(void)
{
	for (int i = 0; i < PULL_MAX; i++) {
		if (!vu.console_active && vuart_fifo_count(&vu.guest_in) + 2 > VUART_FIFO_SIZE)
			break;
		uint8_t lsr = inb(vu.base + VUART_LSR);
		vu.lsr_errors |= lsr & VUART_LSR_ERRORS;
		if (!(lsr & VUART_LSR_DR))
			break;
		deliver(inb(vu.base + VUART_RBR));
	}
}

/* Lock held. Bytes waiting in the proxy for a guest that reads only when its
 * UART interrupts (Linux's 8250 driver): enabling THRI while THR is empty
 * raises an interrupt on the real chip (PC16550D, IER bit 1), and the guest's
 * IIR read then finds our received data first (vuart_iir). The guest's own
 * IER comes back at that read. */
static void kick_guest(void)
{
	if (!(vu.ier & VUART_IER_RDI) || !vuart_fifo_count(&vu.guest_in))
		return;
	outb(vu.base + VUART_IER, vu.ier & ~VUART_IER_THRI);
	outb(vu.base + VUART_IER, vu.ier | VUART_IER_THRI);
	vu.kick = true;
}

/* While the debug console prints (hv/console/console.h): never waits for the
 * lock (its holder may be waiting for the console). */
static void drain_rx(void)
{
	if (!spin_trylock(&vu.lock))
		return;
	pull_rx();
	if (!vu.console_active)
		kick_guest();
	spin_unlock(&vu.lock);
}

static uint8_t read_reg(unsigned off)
{
	bool data;
	switch (vuart_decode(vu.lcr, off, false)) {
	case VUART_OP_RX: {
		pull_rx();
		int c = vuart_fifo_pop(&vu.guest_in);
		vu.last_guest_read = rdtsc();
		return c < 0 ? 0 : (uint8_t)c;
	}
	case VUART_OP_DLL:
		return vu.dll;
	case VUART_OP_DLM:
		return vu.dlm;
	case VUART_OP_IER:
		return inb(vu.base + VUART_IER);
	case VUART_OP_IIR: {
		data = vuart_fifo_count(&vu.guest_in) && !vu.console_active;
		uint8_t iir = vuart_iir(inb(vu.base + VUART_IIR), vu.ier, data);
		if (vu.kick) {
			outb(vu.base + VUART_IER, vu.ier);
			vu.kick = false;
		}
		return iir;
	}
	case VUART_OP_LCR:
		return vu.lcr;
	case VUART_OP_MCR:
		return vu.mcr;
	case VUART_OP_LSR: {
		pull_rx();
		uint8_t real = inb(vu.base + VUART_LSR);
		uint8_t errors = vu.lsr_errors | (real & VUART_LSR_ERRORS);
		vu.lsr_errors = 0;
		vu.last_guest_read = rdtsc();
		return vuart_lsr(real, errors, vuart_fifo_count(&vu.guest_in) != 0);
	}
	case VUART_OP_MSR:
		return inb(vu.base + VUART_MSR);
	default:
		return vu.scr;
	}
}

static void write_reg(unsigned off, uint8_t v)
{
	switch (vuart_decode(vu.lcr, off, true)) {
	case VUART_OP_DLL:
		vu.dll = v;
		break;
	case VUART_OP_DLM:
		vu.dlm = v;
		break;
	case VUART_OP_IER:
		vu.ier = v & 0x0F;
		vu.kick = false;
		outb(vu.base + VUART_IER, vu.ier);
		break;
	case VUART_OP_FCR:
		outb(vu.base + VUART_IIR, vuart_real_fcr(v));
		if (v & VUART_FCR_CLEAR_RX)
			vuart_fifo_clear(&vu.guest_in);
		break;
	case VUART_OP_LCR:
		vu.lcr = v;
		break;
	case VUART_OP_MCR:
		vu.mcr = v;
		outb(vu.base + VUART_MCR, vuart_real_mcr(v));
		break;
	case VUART_OP_SCR:
		vu.scr = v;
		break;
	default: /* LSR, MSR: read-only */
		break;
	}
}

/* Exit context must not spin on a contended lock: defer instead. */
static bool lock(iom_ctx_t ctx)
{
	if (spin_trylock(&vu.lock))
		return true;
	if (ctx == IOM_CTX_EXIT)
		return false;
	spin_lock(&vu.lock);
	return true;
}

static iom_status_t vuart_in(void *user, iom_ctx_t ctx, unsigned cpu, uint16_t port,
			     unsigned size, uint32_t *value)
{
	if (!lock(ctx))
		return IOM_DEFER;
	uint32_t v = 0;
	for (unsigned i = 0; i < size && port + i < 8; i++)
		v |= (uint32_t)read_reg(port + i) << (8 * i);
	spin_unlock(&vu.lock);
	*value = v;
	return IOM_OK;
}

static iom_status_t vuart_out(void *user, iom_ctx_t ctx, unsigned cpu, uint16_t port,
			      unsigned size, uint32_t value)
{
	for (unsigned i = 0; i < size && port + i < 8; i++) {
		uint8_t b = (uint8_t)(value >> (8 * i));
		enum vuart_op op = vuart_decode(vu.lcr, port + i, true);
		if (op == VUART_OP_TX) {
			/* Only a single-byte access can defer without side effects. */
			if (!console_guest_putc((char)b, ctx == IOM_CTX_DEFERRED || size > 1))
				return IOM_DEFER;
			continue;
		}
		if (op == VUART_OP_FCR) {
			/* The transmit FIFO's depth is the console's business: its lock
			 * may be busy, so not from exit context. */
			if (ctx == IOM_CTX_EXIT && size == 1)
				return IOM_DEFER;
			console_set_tx_depth(b & VUART_FCR_ENABLE ? VUART_TX_FIFO_DEPTH : 1);
		}
		if (!lock(ctx)) {
			if (size == 1)
				return IOM_DEFER;
			spin_lock(&vu.lock);
		}
		write_reg(port + i, b);
		spin_unlock(&vu.lock);
	}
	return IOM_OK;
}

void vuart_register(void)
{
	uint16_t base = console_uart_base();
	if (!base) {
		log_info("vuart: no console UART, nothing to proxy");
		return;
	}
	vu.base = base;
	vu.lcr = inb(base + VUART_LCR) & ~VUART_LCR_DLAB;
	vu.mcr = inb(base + VUART_MCR);
	vu.ier = inb(base + VUART_IER) & 0x0F;
	vu.dll = 1; /* 115200 baud, as hv/console/uart.c programs it */
	vu.dlm = 0;
	vu.poll_ticks = tsc_mhz() * 1000 * VUART_POLL_MS;
	vu.poll_irq_ticks = tsc_mhz() * 1000 * VUART_POLL_IRQ_MS;
	struct iom_port_config pc = {
		.name = "vuart",
		.count = 8,
		.in = vuart_in,
		.out = vuart_out,
		.descs = descs,
	};
	iom_port_handle_t h;
	iom_err_t e;
	if ((e = iom_port_create(&pc, &h)) || (e = iom_port_map(h, base))) {
		log_err("vuart: not installed (%s)", iom_err_name(e));
		return;
	}
	vu.present = true;
	console_set_rx_drain(drain_rx);
	log_info("vuart: the guest's UART at 0x%x is a proxy of the console; Ctrl-] Ctrl-] "
		 "enters the debug console", base);
}

bool vuart_poll_due(void)
{
	uint64_t now = rdtsc();
	uint64_t idle = (vu.ier & VUART_IER_RDI) ? vu.poll_irq_ticks : vu.poll_ticks;
	return now - vu.last_guest_read >= idle && now - vu.last_poll >= vu.poll_ticks;
}

uint64_t vuart_poll_at(void)
{
	if (!vu.present)
		return UINT64_MAX;
	/* vuart_poll_due's two conditions, with the shorter idle time whatever
	 * IER says: never later than the poll is due (a guest read or another
	 * CPU's poll only moves it later; the caller asks vuart_poll_due). */
	uint64_t idle = vu.poll_irq_ticks < vu.poll_ticks ? vu.poll_irq_ticks : vu.poll_ticks;
	uint64_t read = vu.last_guest_read + idle, polled = vu.last_poll + vu.poll_ticks;
	return read > polled ? read : polled;
}

void vuart_poll(bool eager)
{
	if (!vu.present)
		return;
	if (!eager && !vuart_poll_due())
		return;
	uint64_t now = rdtsc();
	if (!spin_trylock(&vu.lock))
		return;
	vu.last_poll = now;
	pull_rx();
	if (!vu.console_active)
		kick_guest();
	spin_unlock(&vu.lock);
}

bool vuart_console_active(void)
{
	return vu.console_active;
}

void vuart_console_request(void)
{
	spin_lock(&vu.lock);
	if (!vu.console_active) {
		vu.console_active = true;
		vu.activate_request = true;
		entry_work_raise_all(); /* every vCPU stops for the console */
	}
	spin_unlock(&vu.lock);
}

bool vuart_activation_pending(void)
{
	return vu.activate_request;
}

bool vuart_take_activation(void)
{
	return __atomic_exchange_n(&vu.activate_request, false, __ATOMIC_ACQ_REL);
}

void vuart_console_leave(void)
{
	spin_lock(&vu.lock);
	vu.console_active = false;
	/* What came after the console's last line was typed for the guest
	 * (taken from the chip while the console printed): it goes on there. */
	int c;
	while ((c = vuart_fifo_pop(&vu.console_in)) >= 0)
		if (!vuart_fifo_push(&vu.guest_in, (uint8_t)c))
			vu.dropped++;
	kick_guest();
	spin_unlock(&vu.lock);
}

int vuart_console_getc(void)
{
	spin_lock(&vu.lock);
	int c = vuart_fifo_pop(&vu.console_in);
	spin_unlock(&vu.lock);
	return c;
}
