/* Classic pcap files (io/pcap.c): write then read back, files written on a
 * host of either byte order, micro- and nanosecond magics, truncation and
 * oversized records, for the file reader and the in-memory parser. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/pcap.h"
#include "test.h"

#define MAGIC_US 0xa1b2c3d4u
#define MAGIC_NS 0xa1b23c4du

static char *tmp_path(void)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/srchain-test-pcap-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		abort();
	close(fd);
	return path;
}

static void put32(uint8_t *p, uint32_t v, int be)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(be ? v >> (24 - 8 * i) : v >> (8 * i));
}

static void put16(uint8_t *p, uint16_t v, int be)
{
	p[be ? 0 : 1] = (uint8_t)(v >> 8);
	p[be ? 1 : 0] = (uint8_t)v;
}

/* A pcap image in memory, written field by field in a chosen byte order. */
struct img {
	uint8_t b[8192];
	size_t n;
	int be;
};

static void img_header(struct img *m, int be, uint32_t magic, uint32_t linktype)
{
	m->be = be;
	put32(m->b, magic, be);
	put16(m->b + 4, 2, be);
	put16(m->b + 6, 4, be);
	put32(m->b + 8, 0, be);
	put32(m->b + 12, 0, be);
	put32(m->b + 16, 65535, be);
	put32(m->b + 20, linktype, be);
	m->n = 24;
}

static void img_rec(struct img *m, uint32_t sec, uint32_t frac, uint32_t incl, uint32_t orig,
		    const uint8_t *data, uint32_t data_len)
{
	put32(m->b + m->n, sec, m->be);
	put32(m->b + m->n + 4, frac, m->be);
	put32(m->b + m->n + 8, incl, m->be);
	put32(m->b + m->n + 12, orig, m->be);
	memcpy(m->b + m->n + 16, data, data_len);
	m->n += 16 + data_len;
}

static const char *img_file(const struct img *m, size_t n)
{
	char *path = tmp_path();
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(m->b, 1, n, f) != n)
		abort();
	fclose(f);
	return path;
}

struct got {
	uint32_t n;
	struct pcap_rec rec[8];
	uint8_t data[8][128];
};

static int collect(void *arg, const struct pcap_rec *rec, const uint8_t *pkt)
{
	struct got *g = arg;

	if (g->n < 8) {
		g->rec[g->n] = *rec;
		memcpy(g->data[g->n], pkt, rec->len < 128 ? rec->len : 128);
	}
	g->n++;
	return 0;
}

/* Reads the whole file: records into g, returns the last pcap_read result
 * (0 at a clean end, negative on error) or the open error. */
static int read_file(const char *path, struct got *g, struct err *err)
{
	static uint8_t buf[PCAP_SNAPLEN];
	struct pcap_reader r;
	struct pcap_rec rec;
	int rc;

	memset(g, 0, sizeof(*g));
	rc = pcap_open_read(&r, path, err);
	if (rc)
		return rc;
	while ((rc = pcap_read(&r, &rec, buf, sizeof(buf), err)) == 1)
		collect(g, &rec, buf);
	CHECK_EQ(r.records, g->n);
	pcap_close_read(&r);
	return rc;
}

static const uint8_t pkt_a[60] = {0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x86, 0xdd, 0x60};
static const uint8_t pkt_b[] = {0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2, 0x08, 0x00, 0x45, 0x00};

TEST(pcap_write_read_round_trip)
{
	struct pcap_writer w;
	struct pcap_reader r;
	struct err err;
	struct got g;
	const char *path = tmp_path();

	CHECK_EQ(pcap_open_write(&w, path, &err), 0);
	CHECK_EQ(pcap_write(&w, 1700000000123456789ull, pkt_a, sizeof(pkt_a)), 0);
	CHECK_EQ(pcap_write(&w, 5, pkt_b, sizeof(pkt_b)), 0);
	CHECK_EQ(pcap_write(&w, 0, pkt_b, 0), 0); /* empty record */
	CHECK_EQ(w.records, 3);
	CHECK_EQ(pcap_close_write(&w), 0);

	CHECK_EQ(read_file(path, &g, &err), 0);
	CHECK_EQ(g.n, 3);
	CHECK_EQ(g.rec[0].ts_ns, 1700000000123456789ull); /* nanoseconds kept */
	CHECK_EQ(g.rec[0].len, sizeof(pkt_a));
	CHECK_EQ(g.rec[0].orig_len, sizeof(pkt_a));
	CHECK_MEM(g.data[0], pkt_a, sizeof(pkt_a));
	CHECK_EQ(g.rec[1].ts_ns, 5);
	CHECK_EQ(g.rec[1].len, sizeof(pkt_b));
	CHECK_MEM(g.data[1], pkt_b, sizeof(pkt_b));
	CHECK_EQ(g.rec[2].len, 0);

	/* the writer uses the nanosecond magic in host order */
	CHECK_EQ(pcap_open_read(&r, path, &err), 0);
	CHECK_EQ(r.nsec, 1);
	CHECK_EQ(r.swap, 0);
	pcap_close_read(&r);

	/* an empty capture */
	CHECK_EQ(pcap_open_write(&w, path, &err), 0);
	CHECK_EQ(pcap_close_write(&w), 0);
	CHECK_EQ(read_file(path, &g, &err), 0);
	CHECK_EQ(g.n, 0);
	unlink(path);
}

/* The same two records in every byte order and timestamp resolution: the
 * file reader and the memory parser read the same values. */
TEST(pcap_byte_orders_and_magics)
{
	for (int be = 0; be < 2; be++) {
		for (int ns = 0; ns < 2; ns++) {
			struct img m;
			struct got g, gm;
			struct err err;
			const char *path;
			struct pcap_reader r;

			img_header(&m, be, ns ? MAGIC_NS : MAGIC_US, 1);
			img_rec(&m, 1700000000, ns ? 999999999 : 999999, sizeof(pkt_a), 1514, pkt_a,
				sizeof(pkt_a));
			img_rec(&m, 2, 1, sizeof(pkt_b), sizeof(pkt_b), pkt_b, sizeof(pkt_b));
			path = img_file(&m, m.n);

			CHECK_EQ(pcap_open_read(&r, path, &err), 0);
			CHECK_EQ(r.nsec, ns);
			CHECK_EQ(r.swap, be != (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__));
			pcap_close_read(&r);

			CHECK_EQ(read_file(path, &g, &err), 0);
			memset(&gm, 0, sizeof(gm));
			CHECK_EQ(pcap_parse_mem(m.b, m.n, collect, &gm, &err), 0);
			CHECK_EQ(g.n, 2);
			CHECK_EQ(gm.n, 2);
			CHECK_EQ(g.rec[0].ts_ns,
				 1700000000ull * 1000000000u + (ns ? 999999999u : 999999000u));
			CHECK_EQ(g.rec[0].len, sizeof(pkt_a));
			CHECK_EQ(g.rec[0].orig_len, 1514); /* snapped capture */
			CHECK_MEM(g.data[0], pkt_a, sizeof(pkt_a));
			CHECK_EQ(g.rec[1].ts_ns, 2000000000ull + (ns ? 1u : 1000u));
			CHECK_MEM(g.data[1], pkt_b, sizeof(pkt_b));
			for (int i = 0; i < 2; i++) {
				CHECK_EQ(gm.rec[i].ts_ns, g.rec[i].ts_ns);
				CHECK_EQ(gm.rec[i].len, g.rec[i].len);
				CHECK_EQ(gm.rec[i].orig_len, g.rec[i].orig_len);
				CHECK_MEM(gm.data[i], g.data[i], g.rec[i].len);
			}
			unlink(path);
		}
	}
}

/* Ethernet with the FCS-length bits of the link-type field set is still
 * Ethernet; other link types are refused. */
TEST(pcap_link_types_and_magic)
{
	struct img m;
	struct got g;
	struct err err;
	const char *path;

	img_header(&m, 0, MAGIC_US, 1u | 0x10000000u);
	path = img_file(&m, m.n);
	CHECK_EQ(read_file(path, &g, &err), 0);
	unlink(path);

	img_header(&m, 0, MAGIC_US, 101);
	path = img_file(&m, m.n);
	CHECK_EQ(read_file(path, &g, &err), -EPROTO);
	CHECK(strstr(err.msg, ": link type 101 is not Ethernet (1)") != NULL);
	CHECK(!strncmp(err.msg, path, strlen(path)));
	CHECK_EQ(pcap_parse_mem(m.b, m.n, collect, &g, &err), -EPROTO);
	CHECK_STR(err.msg, "link type 101 is not Ethernet (1)");
	unlink(path);

	/* pcapng section header block */
	memset(&m, 0, sizeof(m));
	memcpy(m.b, "\x0a\x0d\x0d\x0a\x1c\x00\x00\x00\x4d\x3c\x2b\x1a", 12);
	m.n = 28;
	path = img_file(&m, m.n);
	CHECK_EQ(read_file(path, &g, &err), -EPROTO);
	CHECK(strstr(err.msg, "not a pcap file (bad magic") != NULL);
	CHECK_EQ(pcap_parse_mem(m.b, m.n, collect, &g, &err), -EPROTO);
	unlink(path);

	/* a missing file names the path */
	CHECK(read_file("/nonexistent/x.pcap", &g, &err) < 0);
	CHECK_STR(err.msg, "/nonexistent/x.pcap: No such file or directory");
}

TEST(pcap_truncated)
{
	struct img m;
	struct got g;
	struct err err;
	const char *path;
	size_t full;

	img_header(&m, 0, MAGIC_US, 1);
	img_rec(&m, 1, 2, sizeof(pkt_a), sizeof(pkt_a), pkt_a, sizeof(pkt_a));
	img_rec(&m, 3, 4, sizeof(pkt_b), sizeof(pkt_b), pkt_b, sizeof(pkt_b));
	full = m.n;

	/* shorter than the global header */
	for (size_t n = 0; n < 24; n += 5) {
		path = img_file(&m, n);
		CHECK_EQ(read_file(path, &g, &err), -EBADMSG);
		CHECK(strstr(err.msg, ": shorter than a pcap header") != NULL);
		unlink(path);
		CHECK_EQ(pcap_parse_mem(m.b, n, collect, &g, &err), -EBADMSG);
		CHECK_STR(err.msg, "shorter than a pcap header");
	}
	/* a cut inside the second record's header or data: the first record
	 * was read, then an error that names the record */
	for (size_t n = full - sizeof(pkt_b) - 15; n < full; n++) {
		int hdr = n < full - sizeof(pkt_b);
		char want[128];

		path = img_file(&m, n);
		CHECK_EQ(read_file(path, &g, &err), -EBADMSG);
		CHECK_EQ(g.n, 1);
		snprintf(want, sizeof(want), "%s: record 2: truncated %s", path,
			 hdr ? "header" : "data");
		CHECK_STR(err.msg, want);
		unlink(path);
		memset(&g, 0, sizeof(g));
		CHECK_EQ(pcap_parse_mem(m.b, n, collect, &g, &err), -EBADMSG);
		CHECK_EQ(g.n, 1);
		CHECK_STR(err.msg, hdr ? "truncated record header" : "truncated record data");
	}
	/* cut exactly between records: a shorter, valid file */
	path = img_file(&m, full - sizeof(pkt_b) - 16);
	CHECK_EQ(read_file(path, &g, &err), 0);
	CHECK_EQ(g.n, 1);
	unlink(path);
}

TEST(pcap_oversized_and_bad_records)
{
	static uint8_t big[PCAP_SNAPLEN + 1];
	struct img m;
	struct got g;
	struct err err;
	const char *path;
	struct pcap_reader r;
	struct pcap_rec rec;
	uint8_t small[32];

	/* incl_len over the snap length is refused before reading data */
	img_header(&m, 0, MAGIC_US, 1);
	img_rec(&m, 1, 0, PCAP_SNAPLEN + 1, PCAP_SNAPLEN + 1, pkt_b, sizeof(pkt_b));
	path = img_file(&m, m.n);
	CHECK_EQ(read_file(path, &g, &err), -EFBIG);
	CHECK(strstr(err.msg, ": record 1: record of 65536 bytes is larger than 65535") != NULL);
	unlink(path);
	CHECK_EQ(pcap_parse_mem(m.b, m.n, collect, &g, &err), -EFBIG);
	CHECK_STR(err.msg, "record of 65536 bytes is larger than 65535");
	img_header(&m, 1, MAGIC_NS, 1);
	img_rec(&m, 1, 0, 0xffffffffu, 0xffffffffu, pkt_b, 0);
	CHECK_EQ(pcap_parse_mem(m.b, m.n, collect, &g, &err), -EFBIG);

	/* a record of exactly the snap length is fine */
	{
		size_t n = 24 + 16 + PCAP_SNAPLEN;
		uint8_t *img = calloc(1, n);
		struct got gb;

		img_header(&m, 0, MAGIC_US, 1);
		memcpy(img, m.b, 24);
		put32(img + 24 + 8, PCAP_SNAPLEN, 0);
		put32(img + 24 + 12, PCAP_SNAPLEN, 0);
		memset(&gb, 0, sizeof(gb));
		CHECK_EQ(pcap_parse_mem(img, n, collect, &gb, &err), 0);
		CHECK_EQ(gb.n, 1);
		CHECK_EQ(gb.rec[0].len, PCAP_SNAPLEN);
		free(img);
	}

	/* a record larger than the caller's buffer */
	img_header(&m, 0, MAGIC_US, 1);
	img_rec(&m, 1, 0, sizeof(pkt_a), sizeof(pkt_a), pkt_a, sizeof(pkt_a));
	path = img_file(&m, m.n);
	CHECK_EQ(pcap_open_read(&r, path, &err), 0);
	CHECK_EQ(pcap_read(&r, &rec, small, sizeof(small), &err), -EFBIG);
	CHECK(strstr(err.msg, "record 1: record of 60 bytes is larger than 32") != NULL);
	pcap_close_read(&r);
	CHECK_EQ(pcap_open_read(&r, path, &err), 0);
	CHECK_EQ(pcap_read(&r, &rec, big, sizeof(big), &err), 1);
	CHECK_EQ(pcap_read(&r, &rec, big, sizeof(big), &err), 0);
	pcap_close_read(&r);
	unlink(path);

	/* timestamp fractions out of range for the magic */
	img_header(&m, 0, MAGIC_US, 1);
	img_rec(&m, 1, 1000000, sizeof(pkt_b), sizeof(pkt_b), pkt_b, sizeof(pkt_b));
	CHECK_EQ(pcap_parse_mem(m.b, m.n, collect, &g, &err), -EBADMSG);
	CHECK_STR(err.msg, "record timestamp fraction 1000000 out of range");
	img_header(&m, 0, MAGIC_NS, 1);
	img_rec(&m, 1, 1000000, sizeof(pkt_b), sizeof(pkt_b), pkt_b, sizeof(pkt_b));
	memset(&g, 0, sizeof(g));
	CHECK_EQ(pcap_parse_mem(m.b, m.n, collect, &g, &err), 0);
	CHECK_EQ(g.rec[0].ts_ns, 1001000000ull);
	img_header(&m, 0, MAGIC_NS, 1);
	img_rec(&m, 1, 1000000000, sizeof(pkt_b), sizeof(pkt_b), pkt_b, sizeof(pkt_b));
	path = img_file(&m, m.n);
	CHECK_EQ(read_file(path, &g, &err), -EBADMSG);
	CHECK(strstr(err.msg, ": record 1: record timestamp fraction 1000000000 out of range"));
	unlink(path);
}

static int stop_at_second(void *arg, const struct pcap_rec *rec, const uint8_t *pkt)
{
	int *n = arg;

	(void)rec;
	(void)pkt;
	return ++*n == 2 ? -ECANCELED : 0;
}

TEST(pcap_parse_mem_callback_stops)
{
	struct img m;
	struct err err;
	int n = 0;

	img_header(&m, 0, MAGIC_US, 1);
	for (int i = 0; i < 4; i++)
		img_rec(&m, (uint32_t)i, 0, sizeof(pkt_b), sizeof(pkt_b), pkt_b, sizeof(pkt_b));
	CHECK_EQ(pcap_parse_mem(m.b, m.n, stop_at_second, &n, &err), -ECANCELED);
	CHECK_EQ(n, 2);
}
