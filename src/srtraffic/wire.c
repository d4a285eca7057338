/* srtraffic payload header codec (layout in wire.h). */
#include "srtraffic/wire.h"

#include <string.h>

#include "pkt/byteorder.h"
#include "pkt/cursor.h"

static void wr_be64(uint8_t *p, uint64_t v)
{
	be64 b = h_to_be64(v);

	memcpy(p, &b, sizeof(b));
}

static uint64_t rd_be64(const uint8_t *p)
{
	be64 b;

	memcpy(&b, p, sizeof(b));
	return be64_to_h(b);
}

void srt_hdr_write(uint8_t *buf, const struct srt_hdr *h)
{
	wr_be32(buf, SRT_MAGIC);
	buf[4] = SRT_VERSION;
	buf[5] = h->flags;
	wr_be16(buf + 6, SRT_HDR_LEN);
	wr_be32(buf + 8, h->flow_id);
	wr_be32(buf + 12, h->length);
	wr_be64(buf + 16, h->seq);
	wr_be64(buf + 24, h->tx_ns);
	wr_be64(buf + 32, h->total);
}

enum srt_hdr_status srt_hdr_read(const uint8_t *buf, size_t len, struct srt_hdr *h)
{
	struct cursor c;
	const uint8_t *p;

	cursor_init(&c, buf, len);
	p = cursor_pull(&c, SRT_HDR_LEN);
	if (!p)
		return SRT_HDR_SHORT;
	if (rd_be32(p) != SRT_MAGIC)
		return SRT_HDR_MAGIC;
	if (p[4] != SRT_VERSION || rd_be16(p + 6) != SRT_HDR_LEN)
		return SRT_HDR_VERSION;
	h->flags = p[5];
	h->flow_id = rd_be32(p + 8);
	h->length = rd_be32(p + 12);
	h->seq = rd_be64(p + 16);
	h->tx_ns = rd_be64(p + 24);
	h->total = rd_be64(p + 32);
	if (h->length < SRT_HDR_LEN || h->length > SRT_RECORD_MAX)
		return SRT_HDR_LENGTH;
	return SRT_HDR_OK;
}

const char *srt_hdr_status_name(enum srt_hdr_status st)
{
	static const char *const names[SRT_HDR_STATUS_MAX] = {
		[SRT_HDR_OK] = "ok",	     [SRT_HDR_SHORT] = "short",
		[SRT_HDR_MAGIC] = "magic",   [SRT_HDR_VERSION] = "version",
		[SRT_HDR_LENGTH] = "length",
	};

	return (unsigned)st < SRT_HDR_STATUS_MAX ? names[st] : "unknown";
}
