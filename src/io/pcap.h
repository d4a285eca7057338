/* Classic pcap files (not pcapng): the offline mode's input and output,
 * and the golden tests' format. Ethernet link type only. */
#ifndef SRCHAIN_IO_PCAP_H
#define SRCHAIN_IO_PCAP_H

#include <stdint.h>
#include <stdio.h>

#include "lib/err.h"

#define PCAP_SNAPLEN 65535u

struct pcap_reader {
	FILE *f;
	const char *path;
	int swap; /* file written on a host of the other byte order */
	int nsec; /* nanosecond timestamps */
	uint64_t records;
};

struct pcap_rec {
	uint64_t ts_ns;
	uint32_t len; /* bytes captured (in buf) */
	uint32_t orig_len;
};

int pcap_open_read(struct pcap_reader *r, const char *path, struct err *err);
/* Reads the next record into buf (cap bytes): 1 = got one, 0 = end of file,
 * negative = error (truncated or oversized record). */
int pcap_read(struct pcap_reader *r, struct pcap_rec *rec, uint8_t *buf, uint32_t cap,
	      struct err *err);
void pcap_close_read(struct pcap_reader *r);

/* Parses a pcap held in memory (fuzzing, tests): calls fn per record. */
int pcap_parse_mem(const uint8_t *data, size_t len,
		   int (*fn)(void *arg, const struct pcap_rec *rec, const uint8_t *pkt), void *arg,
		   struct err *err);

struct pcap_writer {
	FILE *f;
	uint64_t records;
};

int pcap_open_write(struct pcap_writer *w, const char *path, struct err *err);
int pcap_write(struct pcap_writer *w, uint64_t ts_ns, const uint8_t *pkt, uint32_t len);
int pcap_close_write(struct pcap_writer *w);

#endif
