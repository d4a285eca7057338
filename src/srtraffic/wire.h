/* srtraffic payload header: what a generator writes at the start of every UDP
 * datagram or TCP record, and what a sink reads back.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                     magic "SRTF" 0x53525446                   |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |  version = 1  |     flags     |       header length = 40      |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                            flow id                            |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |             total length (header + padding, bytes)            |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                  sequence number (64 bits)                    |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |           send time, CLOCK_MONOTONIC ns (64 bits)             |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |   sent total (64 bits): packets sent in this flow, FIN only   |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                       zero padding ...                        |
 *
 * All fields big-endian. Sequence numbers start at 0 per flow and count only
 * packets handed to the network. The FIN flag marks a flow's last packet; its
 * sent total (including itself) lets a sink count loss at the tail.
 */
#ifndef SRTRAFFIC_WIRE_H
#define SRTRAFFIC_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define SRT_MAGIC      0x53525446u
#define SRT_VERSION    1
#define SRT_HDR_LEN    40
#define SRT_FLAG_FIN   0x01
#define SRT_RECORD_MAX (1u << 20) /* largest TCP record a sink accepts */

struct srt_hdr {
	uint8_t flags;
	uint32_t flow_id;
	uint32_t length;
	uint64_t seq;
	uint64_t tx_ns;
	uint64_t total;
};

enum srt_hdr_status {
	SRT_HDR_OK,
	SRT_HDR_SHORT,	 /* fewer than SRT_HDR_LEN bytes */
	SRT_HDR_MAGIC,	 /* not an srtraffic payload */
	SRT_HDR_VERSION, /* unknown version or header length */
	SRT_HDR_LENGTH,	 /* total length below the header or above SRT_RECORD_MAX */
	SRT_HDR_STATUS_MAX
};

/* Writes the header into buf[0, SRT_HDR_LEN). */
void srt_hdr_write(uint8_t *buf, const struct srt_hdr *h);
/* Parses the header at buf (len bytes available). */
enum srt_hdr_status srt_hdr_read(const uint8_t *buf, size_t len, struct srt_hdr *h);
/* Counter name for a status ("short", "magic", ...). */
const char *srt_hdr_status_name(enum srt_hdr_status st);

#endif
