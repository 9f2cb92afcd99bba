/* SPDX-License-Identifier: GPL-2.0-only */
/* VMX exit information <-> vendor-neutral records (vmx/exit_decode.h). */
#include "vmx/exit_decode.h"
#include "vmx/vmcs_fields.h"

/* Instruction information, bits 9:7: the address size (0: 16, 1: 32, 2: 64
 * bits). */
#define INSN_INFO_ADDR_SIZE(i) (((i) >> 7) & 7)
#define INTR_INFO_TYPE_SHIFT 8

void vmx_io_decode(uint64_t q, uint64_t next_rip, bool have_info, uint32_t insn_info,
		   struct hv_port_access *a)
{
	*a = (struct hv_port_access){
		.port = IO_QUAL_PORT(q),
		.size = IO_QUAL_SIZE(q),
		.in = q & IO_QUAL_IN,
		.string = q & IO_QUAL_STRING,
		.rep = q & IO_QUAL_REP,
		.next_rip = next_rip,
	};
	/* Without the information the common code decodes the instruction. */
	if (a->string && have_info) {
		unsigned as = INSN_INFO_ADDR_SIZE(insn_info);
		a->addr_size = as == 0 ? 2 : as == 1 ? 4 : as == 2 ? 8 : 0;
	}
}

uint32_t vmx_event_encode(const struct hv_event *e)
{
	if (!e->valid)
		return 0;
	uint32_t info = e->vector | (uint32_t)e->type << INTR_INFO_TYPE_SHIFT | INTR_INFO_VALID;
	if (e->has_error)
		info |= INTR_INFO_DELIVER_CODE;
	return info;
}

struct hv_event vmx_event_decode(uint32_t info, uint32_t error)
{
	struct hv_event e = { 0 };
	if (!(info & INTR_INFO_VALID))
		return e;
	/* Bit 12 is undefined in IDT-vectoring information, and bits 30:12 must
	 * be 0 at entry: only vector, type and the error-code bit carry over. */
	e.valid = true;
	e.vector = (uint8_t)INTR_INFO_VECTOR(info);
	e.type = (uint8_t)INTR_INFO_TYPE(info);
	e.has_error = info & INTR_INFO_DELIVER_CODE;
	e.error = e.has_error ? error : 0;
	return e;
}

struct hv_task_exit vmx_task_switch_decode(uint64_t qualification, uint32_t insn_len)
{
	return (struct hv_task_exit){ .source = (uint8_t)((qualification >> 30) & 3),
				      .selector = (uint16_t)qualification,
				      .insn_len = (uint8_t)insn_len };
}
