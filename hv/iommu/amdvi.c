#include "hv/iommu/iommu_internal.h"

static unsigned amdvi_start(const struct iommu_platform *p)
{
	return 0;
}

static void amdvi_poll(void)
{
}

const struct iommu_driver amdvi_driver = { "AMD-Vi", amdvi_start, amdvi_poll };
