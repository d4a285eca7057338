/* libFuzzer target for the pcap reader (io/pcap.c). Any bytes either fail
 * with a message or yield records that lie inside the input; the in-memory
 * parser and the file reader agree record by record on the same bytes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "io/pcap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond))                                                                       \
			abort();                                                                   \
	} while (0)

#define RECS_MAX 4096

struct seen {
	const uint8_t *base;
	size_t size;
	uint32_t n;
	int stop_at; /* callback returns an error at this record (-1: never) */
	struct pcap_rec rec[RECS_MAX];
	const uint8_t *pkt[RECS_MAX];
};

static int on_rec(void *arg, const struct pcap_rec *rec, const uint8_t *pkt)
{
	struct seen *s = arg;
	volatile uint8_t sum = 0;

	FUZZ_CHECK(rec->len <= PCAP_SNAPLEN);
	FUZZ_CHECK(pkt >= s->base + 24 + 16 && pkt + rec->len <= s->base + s->size);
	for (uint32_t i = 0; i < rec->len; i++) /* every byte is readable */
		sum ^= pkt[i];
	(void)sum;
	if (s->n < RECS_MAX) {
		s->rec[s->n] = *rec;
		s->pkt[s->n] = pkt;
	}
	s->n++;
	if ((int)s->n == s->stop_at)
		return -1234;
	return 0;
}

/* Reads the same bytes through pcap_open_read/pcap_read and compares. */
static void compare_file(const uint8_t *data, size_t size, int rc_mem, const struct seen *s)
{
	static uint8_t buf[PCAP_SNAPLEN];
	struct pcap_reader r;
	struct pcap_rec rec;
	struct err err;
	char path[64];
	uint32_t n = 0;
	int fd, rc;

	fd = memfd_create("fuzz_pcap", 0);
	if (fd < 0)
		return;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	rc = pcap_open_read(&r, path, &err);
	if (rc) {
		FUZZ_CHECK(rc < 0 && rc_mem < 0 && s->n == 0);
		FUZZ_CHECK(!strncmp(err.msg, path, strlen(path)));
		close(fd);
		return;
	}
	while ((rc = pcap_read(&r, &rec, buf, sizeof(buf), &err)) == 1) {
		FUZZ_CHECK(n < s->n);
		if (n < RECS_MAX) {
			FUZZ_CHECK(rec.len == s->rec[n].len && rec.orig_len == s->rec[n].orig_len &&
				   rec.ts_ns == s->rec[n].ts_ns);
			FUZZ_CHECK(!memcmp(buf, s->pkt[n], rec.len));
		}
		n++;
	}
	FUZZ_CHECK(n == s->n && r.records == n);
	FUZZ_CHECK(rc == 0 ? rc_mem == 0 : rc_mem < 0);
	if (rc)
		FUZZ_CHECK(!strncmp(err.msg, path, strlen(path)) && err.msg[strlen(path)] == ':');
	pcap_close_read(&r);
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct seen s;
	struct err err;
	uint32_t all;
	int rc;

	memset(&err, 0, sizeof(err));
	s.base = data;
	s.size = size;
	s.n = 0;
	s.stop_at = -1;
	rc = pcap_parse_mem(data, size, on_rec, &s, &err);
	FUZZ_CHECK(rc <= 0);
	if (rc)
		FUZZ_CHECK(err.msg[0] && memchr(err.msg, 0, sizeof(err.msg)));
	compare_file(data, size, rc, &s);

	/* a callback error stops the walk there and comes back unchanged */
	all = s.n;
	if (all) {
		s.n = 0;
		s.stop_at = (int)(all + 1) / 2;
		FUZZ_CHECK(pcap_parse_mem(data, size, on_rec, &s, &err) == -1234);
		FUZZ_CHECK((int)s.n == s.stop_at);
	}
	return 0;
}
