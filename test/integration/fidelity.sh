#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Fidelity: the fidelity test guest checks behaviours that must be the same with
# and without iomvisor (QEMU with 4 CPUs, Bochs with 2, for the AP restarts). It runs bare (hypervisor off) as the reference, then under
# iomvisor on QEMU SVM (qemu64, and max with XSAVE, AVX and protection keys) and on
# Bochs (VMX and SVM). QEMU reads unknown MSRs as 0 where hardware raises #GP
# (and Bochs as run here too): the hypervisor must give what the bare run gave.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/test/lib/esp.sh"
. "$TOP/test/lib/check.sh"
OUT=${TEST_OUT:-$TOP/build/test-out}/fidelity
mkdir -p "$OUT"

# fidelity_esp DIR on|off [madt]
# madt: through the acpimadt guest, which gives OVMF on Bochs the MADT it
# lacks (the real INIT case finds the I/O APIC there).
fidelity_esp() {
	local next='\EFI\test\fidelity.efi'
	esp_new "$1"
	esp_add "$1" "$BUILD/guest/fidelity.efi" EFI/test/fidelity.efi
	if [ "${3:-}" = madt ]; then
		esp_add "$1" "$BUILD/guest/acpimadt.efi" EFI/test/acpimadt.efi
		next="\\EFI\\test\\acpimadt.efi $next"
	fi
	if [ "$2" = on ]; then
		esp_config "$1" "testdev on" "next $next testdev"
	else
		esp_config "$1" "hypervisor off" "next $next"
	fi
}

expect_fidelity() { # FEATURES: words naming what the CPU model has
	case " $1 " in *" xsave "*)
		expect '^guest: ok: CPUID.1:ECX.OSXSAVE follows CR4.OSXSAVE' "OSXSAVE bit follows CR4"
		expect '^guest: ok: CPUID.\(0xD,0\):EBX is 576 with XCR0 = x87\|SSE' "XSAVE size follows XCR0"
	esac
	case " $1 " in *" avx "*)
		expect '^guest: ok: CPUID.\(0xD,0\):EBX is [0-9]+ with XCR0 = x87\|SSE\|AVX' "XSAVE size with AVX"
	esac
	case " $1 " in *" pku "*)
		expect '^guest: ok: CPUID.\(7,0\):ECX.OSPKE follows CR4.PKE' "OSPKE bit follows CR4"
	esac
	expect '^guest: ok: CPUID.1:EBX\[31:24\] is the APIC ID' "initial APIC ID"
	case " $1 " in *" cr0-exits "*)
		# VMX: the MOV exits (it changes CR0.NE) and must fault as bare.
		expect '^guest: MOV CR0 clearing PG and NE in 64-bit mode: #GP$' \
			"MOV CR0 leaving 64-bit mode with paging off faults"
	esac
	case " $1 " in *" hv "*)
		expect '^guest: WRMSR EFER with reserved bit 1: #GP$' "reserved EFER bit faults"
	esac
	case " $1 " in *" pat-checked "*)
		# Bochs checks PAT on WRMSR as the SDM says; QEMU's TCG is
		# compared with its bare run instead.
		expect '^guest: WRMSR PAT with reserved type 2: #GP$' "reserved PAT type faults"
	esac
	case " $1 " in *" msr-ignored "*)
		# Bochs runs with ignore_bad_msrs=1 (OVMF needs it): bare, an
		# unknown MSR reads 0 and takes writes.
		expect '^guest: RDMSR 0x40000100: 0x0$' "unimplemented MSR read as bare"
		expect '^guest: WRMSR 0x40000100: done$' "unimplemented MSR write as bare"
	esac
	expect '^guest: ok: single-step over CPUID: one #DB' "single-step over CPUID"
	expect '^guest: ok: single-step over RDMSR' "single-step over an intercepted RDMSR"
	expect '^guest: ok: an NMI sent from the NMI handler arrives after its IRET' "NMI blocking"
	# VMX exits on each task switch; the hypervisor performs it.
	expect '^guest: ok: task switch: JMP to a TSS and JMP back' "task switch by JMP"
	expect '^guest: ok: task switch: CALL to a TSS, IRET back' "task switch by CALL and IRET"
	expect '^guest: ok: task switch: INT 0x40 through a task gate' "task switch by INT n"
	expect '^guest: ok: task switch: #GP through a task gate' "task switch by an exception"
	expect '^guest: ok: task switch: CALL to a 16-bit TSS' "task switch to a 16-bit TSS"
	case " $1 " in *" hv "*)
		expect '^guest: ok: single-step over IN from a trapped port' "single-step over a trapped IN"
		expect '^guest: ok: single-step over a load from a trapped MMIO page' "single-step over MMIO"
		expect '^guest: ok: single-step over a hypercall' "single-step over a hypercall"
	esac
	expect '^guest: ok: [0-9]+ APs restarted [0-9]+ times each with INIT-SIPI-SIPI' "AP restarts"
	# The BSP's xAPIC moved (hv/dev/lapic.c): Bochs moves the registers with
	# IA32_APIC_BASE; QEMU keeps them at 0xFEE00000, and the guest says so.
	case " $1 " in *" apic-moves "*)
		expect '^guest: ok: [0-9]+ APs restarted by INIT-SIPI-SIPI through the BSP.s xAPIC moved' \
			"AP starts through a moved xAPIC" ;;
	*)
		expect '^guest: skip: the APIC.s registers do not move' "no moved xAPIC here" ;;
	esac
	case " $1 " in *" hv "*)
		expect '^guest: WRMSR IA32_APIC_BASE with reserved bit 9: #GP$' "APIC base reserved bit: #GP"
	esac
	# A real INIT from the I/O APIC (delivery mode INIT), then a SIPI alone:
	# on SVM the INIT resets the CPU out of the hypervisor, and the SIPI
	# brings it back through the trampoline (hv/rejoin.h).
	case " $1 " in *" real-init "*)
		expect '^guest: ok: AP [0-9]+ started by a SIPI alone after an INIT from the I/O APIC' \
			"SIPI alone after a real INIT"
		expect '^guest: ok: AP [0-9]+ restarted by INIT-SIPI-SIPI after the I/O APIC.s INIT' \
			"INIT-SIPI-SIPI after a real INIT"
	esac
	case " $1 " in *" rejoin "*)
		expect '^iomvisor\[[0-9]+\]: cpu [0-9]+: real INIT \(IOAPIC/MSI\): the CPU rejoins at the next SIPI$' \
			"the CPU came back through the trampoline"
	esac
	case " $1 " in *" vmx-hidden "*)
		# The APs read IA32_VMX_BASIC in real mode: #GP without VMX, and a
		# real-mode exception has no error code (VM entry refused one).
		expect '^guest: real-mode RDMSR IA32_VMX_BASIC raised #GP in ([0-9]+) of \1 AP starts$' \
			"real-mode #GP on every AP start"
	esac
	expect_not '^guest: FAIL' "failed guest checks"
	expect_not 'PANIC|VM entry failed' "hypervisor panic"
	expect '^iomvisor-test: PASS$' "guest verdict"
}

# case_qemu NAME CPU on|off FEATURES
case_qemu() {
	local esp=$OUT/qemu-$1
	fidelity_esp "$esp" "$3"
	"$TOP/test/run-qemu.sh" -c "$2" -s 4 -t 600 -l "$esp.log" "$esp" >/dev/null 2>&1
	check_begin "fidelity guest on QEMU $2, hypervisor $3" "$esp.log"
	[ "$3" = on ] && expect '^iomvisor\[0\]: hypervisor: svm backend ready' "SVM backend chosen"
	expect_fidelity "$4"
	# An unimplemented MSR, reserved PAT and DEBUGCTL values: what this CPU model does
	# without the hypervisor.
	if [ "$3" = off ]; then
		bare_msr=$(grep -E '^guest: ((RD|WR)MSR 0x40000100|WRMSR (PAT with reserved type 2|DEBUGCTL with reserved bit 63)): ' "$esp.log.txt")
	else
		while IFS= read -r line; do
			expect "^${line}\$" "the bare result: $line"
		done <<<"${bare_msr:-guest: no bare run}"
	fi
	check_end
}

# case_bochs MODEL BACKEND FEATURES [madt]
case_bochs() {
	local esp=$OUT/bochs-$1
	fidelity_esp "$esp" on "${4:-}"
	"$TOP/test/run-bochs.sh" -c "$1" -n 2 -t 1200 -l "$esp.log" "$esp" >/dev/null 2>&1
	check_begin "fidelity guest on Bochs $1" "$esp.log"
	expect "^iomvisor\\[0\\]: hypervisor: $2 backend ready" "$2 backend chosen"
	expect_fidelity "$3"
	check_end
}

case_qemu max-bare max off "xsave avx pku real-init"
case_qemu max max on "xsave avx pku hv real-init rejoin"
case_qemu qemu64 qemu64,+svm,+npt on "hv real-init rejoin"
case_bochs corei7_skylake_x vmx "xsave avx hv msr-ignored vmx-hidden pat-checked cr0-exits apic-moves"
# With a MADT the real INIT case runs; on ryzen the INIT intercept reaches the
# host, which lets the held INIT in at its STGI (svm/real_init.c). On skx a
# real INIT from the I/O APIC exits again at every VM entry (docs/emulators.md):
# no MADT there, the case skips.
case_bochs ryzen svm "hv msr-ignored pat-checked apic-moves real-init rejoin" madt
