/* pcap file format: 24-byte global header (magic a1b2c3d4 for
 * microseconds, a1b23c4d for nanoseconds, either byte order), then records
 * of a 16-byte header (ts_sec, ts_frac, incl_len, orig_len) and data. */
#include <errno.h>
#include <string.h>

#include "io/pcap.h"

#define MAGIC_US	  0xa1b2c3d4u
#define MAGIC_NS	  0xa1b23c4du
#define LINKTYPE_ETHERNET 1u

static uint32_t rd32(const uint8_t *p, int swap)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

/* Checks a global header; fills swap/nsec. */
static int pcap_header(const uint8_t h[24], int *swap, int *nsec, struct err *err)
{
	uint32_t magic;

	memcpy(&magic, h, 4);
	if (magic == MAGIC_US || magic == MAGIC_NS) {
		*swap = 0;
	} else if (__builtin_bswap32(magic) == MAGIC_US || __builtin_bswap32(magic) == MAGIC_NS) {
		*swap = 1;
		magic = __builtin_bswap32(magic);
	} else {
		return err_set(err, EPROTO,
			       "not a pcap file (bad magic; pcapng files can be "
			       "converted with 'tshark -F pcap')");
	}
	*nsec = magic == MAGIC_NS;
	if ((rd32(h + 20, *swap) & 0x0fffffff) != LINKTYPE_ETHERNET)
		return err_set(err, EPROTO, "link type %u is not Ethernet (1)",
			       rd32(h + 20, *swap) & 0x0fffffff);
	return 0;
}

/* Validates a record header; returns incl_len or negative. */
static int pcap_rec_header(const uint8_t h[16], int swap, int nsec, struct pcap_rec *rec,
			   uint32_t cap, struct err *err)
{
	uint32_t frac = rd32(h + 4, swap);

	rec->len = rd32(h + 8, swap);
	rec->orig_len = rd32(h + 12, swap);
	if (rec->len > PCAP_SNAPLEN || rec->len > cap)
		return err_set(err, EFBIG, "record of %u bytes is larger than %u", rec->len,
			       cap < PCAP_SNAPLEN ? cap : PCAP_SNAPLEN);
	if (frac >= (nsec ? 1000000000u : 1000000u))
		return err_set(err, EBADMSG, "record timestamp fraction %u out of range", frac);
	rec->ts_ns = (uint64_t)rd32(h, swap) * 1000000000u + (nsec ? frac : frac * 1000ull);
	return 0;
}

int pcap_open_read(struct pcap_reader *r, const char *path, struct err *err)
{
	uint8_t h[24];
	int rc;

	memset(r, 0, sizeof(*r));
	r->path = path;
	r->f = fopen(path, "rb");
	if (!r->f)
		return err_set(err, errno, "%s: %s", path, strerror(errno));
	if (fread(h, 1, 24, r->f) != 24) {
		rc = err_set(err, EBADMSG, "%s: shorter than a pcap header", path);
		goto err_close;
	}
	rc = pcap_header(h, &r->swap, &r->nsec, err);
	if (rc) {
		err_prefix(err, "%s: ", path);
		goto err_close;
	}
	return 0;
err_close:
	fclose(r->f);
	r->f = NULL;
	return rc;
}

int pcap_read(struct pcap_reader *r, struct pcap_rec *rec, uint8_t *buf, uint32_t cap,
	      struct err *err)
{
	uint8_t h[16];
	size_t n = fread(h, 1, 16, r->f);
	int rc;

	if (n == 0 && feof(r->f))
		return 0;
	if (n != 16)
		return err_set(err, EBADMSG, "%s: record %llu: truncated header", r->path,
			       (unsigned long long)r->records + 1);
	rc = pcap_rec_header(h, r->swap, r->nsec, rec, cap, err);
	if (rc) {
		err_prefix(err, "%s: record %llu: ", r->path, (unsigned long long)r->records + 1);
		return rc;
	}
	if (fread(buf, 1, rec->len, r->f) != rec->len)
		return err_set(err, EBADMSG, "%s: record %llu: truncated data", r->path,
			       (unsigned long long)r->records + 1);
	r->records++;
	return 1;
}

void pcap_close_read(struct pcap_reader *r)
{
	if (r->f)
		fclose(r->f);
	r->f = NULL;
}

int pcap_parse_mem(const uint8_t *data, size_t len,
		   int (*fn)(void *arg, const struct pcap_rec *rec, const uint8_t *pkt), void *arg,
		   struct err *err)
{
	size_t off = 24;
	int swap, nsec, rc;

	if (len < 24)
		return err_set(err, EBADMSG, "shorter than a pcap header");
	rc = pcap_header(data, &swap, &nsec, err);
	if (rc)
		return rc;
	while (off < len) {
		struct pcap_rec rec;

		if (len - off < 16)
			return err_set(err, EBADMSG, "truncated record header");
		rc = pcap_rec_header(data + off, swap, nsec, &rec, PCAP_SNAPLEN, err);
		if (rc)
			return rc;
		off += 16;
		if (len - off < rec.len)
			return err_set(err, EBADMSG, "truncated record data");
		rc = fn(arg, &rec, data + off);
		if (rc)
			return rc;
		off += rec.len;
	}
	return 0;
}

int pcap_open_write(struct pcap_writer *w, const char *path, struct err *err)
{
	uint32_t h[6] = {MAGIC_NS, 2u | 4u << 16, 0, 0, PCAP_SNAPLEN, LINKTYPE_ETHERNET};

	w->records = 0;
	w->f = fopen(path, "wb");
	if (!w->f)
		return err_set(err, errno, "%s: %s", path, strerror(errno));
	if (fwrite(h, 1, sizeof(h), w->f) != sizeof(h)) {
		fclose(w->f);
		w->f = NULL;
		return err_set(err, EIO, "%s: write error", path);
	}
	return 0;
}

int pcap_write(struct pcap_writer *w, uint64_t ts_ns, const uint8_t *pkt, uint32_t len)
{
	uint32_t h[4] = {(uint32_t)(ts_ns / 1000000000u), (uint32_t)(ts_ns % 1000000000u), len,
			 len};

	if (fwrite(h, 1, sizeof(h), w->f) != sizeof(h) || fwrite(pkt, 1, len, w->f) != len)
		return -EIO;
	w->records++;
	return 0;
}

int pcap_close_write(struct pcap_writer *w)
{
	int rc = 0;

	if (w->f && fclose(w->f))
		rc = -EIO;
	w->f = NULL;
	return rc;
}
