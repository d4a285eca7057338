/* Small helpers shared by the srtraffic subcommands: clock, addresses, errno
 * names and option-value parsing that names the option in its errors. */
#ifndef SRTRAFFIC_UTIL_H
#define SRTRAFFIC_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#define SRT_ADDR_STRLEN 64 /* an IPv6 address with scope */

struct srt_addr {
	struct sockaddr_storage ss;
	socklen_t len;
};

/* CLOCK_MONOTONIC in nanoseconds: shared by every network namespace. */
uint64_t srt_now_ns(void);

/* Symbolic errno name ("ECONNREFUSED"), or "E<number>" if unknown. */
const char *srt_errname(int err, char *buf, size_t len);

/* Numeric address text; IPv4-mapped IPv6 addresses come out as IPv4. */
const char *srt_addr_str(const struct sockaddr *sa, char *buf, size_t len);
/* Port of an AF_INET/AF_INET6 address, host order. */
uint16_t srt_addr_port(const struct sockaddr *sa);
/* Sets the port of an AF_INET/AF_INET6 address. */
void srt_addr_set_port(struct sockaddr *sa, uint16_t port);

/* Option-value parsers. Each prints "<prog>: <opt>: <why>" on stderr and
 * returns -EINVAL on bad input, 0 on success. prog is e.g. "srtraffic send". */
int srt_parse_u64(const char *prog, const char *opt, const char *s, uint64_t min, uint64_t max,
		  uint64_t *out);
/* A finite number in [min, max]. */
int srt_parse_double(const char *prog, const char *opt, const char *s, double min, double max,
		     double *out);
/* A duration: a number with an optional unit us, ms, s (default) or m; > 0. */
int srt_parse_duration(const char *prog, const char *opt, const char *s, uint64_t *ns);
/* A comma-separated list of distinct ports 1-65535, appended to ports[*n < cap]. */
int srt_parse_ports(const char *prog, const char *opt, const char *s, uint16_t *ports, unsigned cap,
		    unsigned *n);
/* A numeric IPv4 or IPv6 address (optionally with %scope), port 0. */
int srt_parse_addr(const char *prog, const char *opt, const char *s, struct srt_addr *out);

/* Opens a report file for writing ("-" = stdout); prints the error. */
FILE *srt_report_open(const char *prog, const char *path);
/* Closes a report file (not stdout); 0 or -errno. */
int srt_report_close(FILE *f);

#endif
