#ifndef HV_VERSION_H
#define HV_VERSION_H

/* "git describe --always --dirty --tags" at build time. */
extern const char hv_version[];

#endif
