/* SPDX-License-Identifier: GPL-2.0-only */
/* kvmpeer: the bench's KVM reference. A minimal VMM on the /dev/kvm ioctl API
 * that runs, in a 64-bit guest, the same "body; dec; jnz" loops as the
 * iomvisor bench guest (test/guest/bench) and prints ticks per iteration:
 *
 *   kvm: empty-loop N        the loop alone (subtracted from the others)
 *   kvm: cpuid-exit N        null CPUID (leaf 0x40000000), handled in the kernel
 *   kvm: port-read N         inb 0x21: the in-kernel PIC answers
 *   kvm: mmio-read N         an IOAPIC register read (IOWIN at 0xFEC00010):
 *                            decoded and emulated by the in-kernel IOAPIC
 *   kvm: user-port-read N    inb from a port nobody in the kernel claims: a
 *                            KVM_EXIT_IO round trip through this process
 *
 * Each is the best of 3 rounds of ITERATIONS, the empty loop subtracted. The
 * guest times itself with RDTSC; under QEMU -icount shift=0 the TSC counts the
 * instructions the (emulated) CPU executes, L1 and L2 alike (docs/emulators.md),
 * so the figures are path lengths comparable with iomvisor's.
 * Built static (gcc -static) so that it runs from a busybox initramfs. */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define ITERATIONS 10000
#define ROUNDS 3

#define GUEST_MEM_SIZE 0x200000ull
#define GUEST_PML4 0x1000ull
#define GUEST_PDPT 0x2000ull
#define GUEST_PD 0x3000ull /* four page directories: 4 GiB identity-mapped */
#define GUEST_CODE 0x10000ull
#define GUEST_STACK_TOP 0x80000ull

/* Ports the guest uses to talk to this VMM (nothing in the kernel claims them). */
#define PORT_REPORT 0x500 /* out: ticks of one round; port = PORT_REPORT + test */
#define PORT_USER 0x510   /* in: the user-space round trip being measured */
#define PORT_DONE 0x51f   /* out: all rounds done */

/* Page-table entry bits (Intel SDM Vol. 3A 4.5, AMD APM Vol. 2 5.3). */
#define PTE_P 0x1ull
#define PTE_RW 0x2ull
#define PTE_PS 0x80ull
/* CR0.PE, CR0.ET, CR0.PG; CR4.PAE; EFER.LME, EFER.LMA (SDM Vol. 3A 2.5, 2.2.1). */
#define CR0_PE 0x1ull
#define CR0_ET 0x10ull
#define CR0_PG 0x80000000ull
#define CR4_PAE 0x20ull
#define EFER_LME 0x100ull
#define EFER_LMA 0x400ull

static const char *const test_names[] = {
	"empty-loop", "cpuid-exit", "port-read", "mmio-read", "user-port-read",
};
#define TESTS (sizeof(test_names) / sizeof(test_names[0]))

/* The guest: for each test, ROUNDS timed rounds of ITERATIONS, each round's
 * TSC delta written to PORT_REPORT + test. Setup outside the timed window;
 * the loop is the same two instructions in every test. Position-independent
 * (copied to GUEST_CODE). */
#define STR_(x) #x
#define STR(x) STR_(x)
__asm__(".pushsection .rodata\n"
	".globl guest_code, guest_code_end\n"
	".macro MEASURE test, setup, body\n"
	"	mov $" STR(ROUNDS) ", %r15d\n"
	"1:	rdtsc\n"
	"	shl $32, %rdx\n"
	"	or %rax, %rdx\n"
	"	mov %rdx, %r14\n"
	"	mov $" STR(ITERATIONS) ", %r13d\n"
	"	\\setup\n"
	"2:	\\body\n"
	"	dec %r13d\n"
	"	jnz 2b\n"
	"	rdtsc\n"
	"	shl $32, %rdx\n"
	"	or %rdx, %rax\n"
	"	sub %r14, %rax\n"
	"	mov $(" STR(PORT_REPORT) " + \\test), %dx\n"
	"	out %eax, (%dx)\n"
	"	dec %r15d\n"
	"	jnz 1b\n"
	".endm\n"
	"guest_code:\n"
	"	MEASURE 0, \"mov $0x40000000, %esi\", \"\"\n"
	"	MEASURE 1, \"mov $0x40000000, %esi\", \"mov %esi, %eax; xor %ecx, %ecx; cpuid\"\n"
	"	MEASURE 2, \"mov $0x40000000, %esi\", \"in $0x21, %al\"\n"
	"	MEASURE 3, \"mov $0xfec00010, %esi\", \"mov (%rsi), %eax\"\n"
	"	MEASURE 4, \"mov $" STR(PORT_USER) ", %dx\", \"in (%dx), %al\"\n"
	"	mov $" STR(PORT_DONE) ", %dx\n"
	"	out %al, (%dx)\n"
	"	jmp .\n"
	"guest_code_end:\n"
	".purgem MEASURE\n"
	".popsection\n");
extern const uint8_t guest_code[], guest_code_end[];

static void die(const char *what)
{
	fprintf(stderr, "kvm: error: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int kvm_ioctl(int fd, unsigned long req, void *arg, const char *what)
{
	int r = ioctl(fd, req, arg);
	if (r < 0)
		die(what);
	return r;
}

/* Identity map of the low 4 GiB in 2-MiB pages (the IOAPIC is at 0xFEC00000). */
static void build_page_tables(uint8_t *mem)
{
	uint64_t *pml4 = (uint64_t *)(mem + GUEST_PML4);
	uint64_t *pdpt = (uint64_t *)(mem + GUEST_PDPT);
	pml4[0] = GUEST_PDPT | PTE_P | PTE_RW;
	for (uint64_t g = 0; g < 4; g++) {
		uint64_t *pd = (uint64_t *)(mem + GUEST_PD + g * 0x1000);
		pdpt[g] = (GUEST_PD + g * 0x1000) | PTE_P | PTE_RW;
		for (uint64_t i = 0; i < 512; i++)
			pd[i] = ((g << 30) | (i << 21)) | PTE_P | PTE_RW | PTE_PS;
	}
}

static void set_long_mode(int vcpu)
{
	struct kvm_sregs s;
	kvm_ioctl(vcpu, KVM_GET_SREGS, &s, "KVM_GET_SREGS");
	struct kvm_segment code = {
		.base = 0, .limit = 0xffffffff, .selector = 0x8, .type = 11,
		.present = 1, .dpl = 0, .db = 0, .s = 1, .l = 1, .g = 1,
	};
	struct kvm_segment data = code;
	data.selector = 0x10;
	data.type = 3;
	data.l = 0;
	data.db = 1;
	s.cs = code;
	s.ds = s.es = s.fs = s.gs = s.ss = data;
	s.cr3 = GUEST_PML4;
	s.cr4 = CR4_PAE;
	s.cr0 = CR0_PE | CR0_ET | CR0_PG;
	s.efer = EFER_LME | EFER_LMA;
	kvm_ioctl(vcpu, KVM_SET_SREGS, &s, "KVM_SET_SREGS");

	struct kvm_regs r;
	memset(&r, 0, sizeof(r));
	r.rip = GUEST_CODE;
	r.rsp = GUEST_STACK_TOP;
	r.rflags = 0x2; /* bit 1 is reserved as 1; IF clear: no interrupts */
	kvm_ioctl(vcpu, KVM_SET_REGS, &r, "KVM_SET_REGS");
}

/* The host's CPUID as KVM offers it: long mode must be in the guest's CPUID
 * before KVM accepts EFER.LME. */
static void set_cpuid(int kvm, int vcpu)
{
	int n = 128;
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + n * sizeof(c->entries[0]));
	if (!c)
		die("calloc");
	c->nent = n;
	kvm_ioctl(kvm, KVM_GET_SUPPORTED_CPUID, c, "KVM_GET_SUPPORTED_CPUID");
	kvm_ioctl(vcpu, KVM_SET_CPUID2, c, "KVM_SET_CPUID2");
	free(c);
}

int main(void)
{
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		die("/dev/kvm");
	int vm = kvm_ioctl(kvm, KVM_CREATE_VM, 0, "KVM_CREATE_VM");
	kvm_ioctl(vm, KVM_CREATE_IRQCHIP, 0, "KVM_CREATE_IRQCHIP");
	struct kvm_pit_config pit = { .flags = 0 };
	kvm_ioctl(vm, KVM_CREATE_PIT2, &pit, "KVM_CREATE_PIT2");

	uint8_t *mem = mmap(NULL, GUEST_MEM_SIZE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED)
		die("mmap");
	struct kvm_userspace_memory_region region = {
		.slot = 0, .guest_phys_addr = 0, .memory_size = GUEST_MEM_SIZE,
		.userspace_addr = (uint64_t)(uintptr_t)mem,
	};
	kvm_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region, "KVM_SET_USER_MEMORY_REGION");
	build_page_tables(mem);
	memcpy(mem + GUEST_CODE, guest_code, (size_t)(guest_code_end - guest_code));

	int vcpu = kvm_ioctl(vm, KVM_CREATE_VCPU, 0, "KVM_CREATE_VCPU");
	int run_size = kvm_ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0, "KVM_GET_VCPU_MMAP_SIZE");
	struct kvm_run *run = mmap(NULL, (size_t)run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED)
		die("mmap kvm_run");
	set_cpuid(kvm, vcpu);
	set_long_mode(vcpu);

	uint64_t best[TESTS];
	for (size_t t = 0; t < TESTS; t++)
		best[t] = ~0ull;
	for (;;) {
		kvm_ioctl(vcpu, KVM_RUN, 0, "KVM_RUN");
		if (run->exit_reason != KVM_EXIT_IO) {
			fprintf(stderr, "kvm: error: unexpected exit %u\n", run->exit_reason);
			return 1;
		}
		uint8_t *data = (uint8_t *)run + run->io.data_offset;
		uint16_t port = run->io.port;
		if (port == PORT_USER && run->io.direction == KVM_EXIT_IO_IN) {
			data[0] = 0; /* the round trip under measurement: answer at once */
			continue;
		}
		if (port == PORT_DONE)
			break;
		if (port >= PORT_REPORT && port < PORT_REPORT + TESTS && run->io.size == 4) {
			uint32_t ticks;
			memcpy(&ticks, data, sizeof(ticks));
			if (ticks < best[port - PORT_REPORT])
				best[port - PORT_REPORT] = ticks;
			continue;
		}
		fprintf(stderr, "kvm: error: unexpected port 0x%x\n", port);
		return 1;
	}
	uint64_t empty = best[0] / ITERATIONS;
	printf("kvm: %s %llu\n", test_names[0], (unsigned long long)empty);
	for (size_t t = 1; t < TESTS; t++)
		printf("kvm: %s %llu\n", test_names[t],
		       (unsigned long long)(best[t] / ITERATIONS - empty));
	return 0;
}
