/* Text forms of addresses, prefixes, MACs and numbers, as the config and the
 * CLI write them. All return 0 or -EINVAL and never accept trailing junk. */
#ifndef SRCHAIN_LIB_ADDR_H
#define SRCHAIN_LIB_ADDR_H

#include <stddef.h>
#include <stdint.h>

/* "192.0.2.1" -> family 4, "2001:db8::1" -> family 6; addr gets 4 or 16 bytes. */
int addr_parse(const char *s, int *family, uint8_t addr[16]);
/* "2001:db8::/32"; a bare address is a host prefix (/32 or /128). */
int addr_parse_prefix(const char *s, int *family, uint8_t addr[16], int *len);
int mac_parse(const char *s, uint8_t mac[6]);
/* Unsigned decimal (or 0x hex) in [min, max]. */
int num_parse(const char *s, uint64_t min, uint64_t max, uint64_t *out);

const char *addr_fmt(int family, const void *addr, char *buf, size_t len);
const char *mac_fmt(const uint8_t mac[6], char *buf, size_t len);

#endif
