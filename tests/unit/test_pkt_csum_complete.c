/* Completion of partial TCP/UDP checksums (pkt/csum_complete.c): frames
 * built here outside in, with the checksum field set as a Linux sender's
 * CHECKSUM_PARTIAL leaves it (the folded pseudo-header sum), checked
 * against scapy's checksums and against pkt/l4.c's verification. */
#include <arpa/inet.h>
#include <stdlib.h>

#include "pkt/csum.h"
#include "pkt/csum_complete.h"
#include "pkt/eth.h"
#include "pkt/ipv4.h"
#include "pkt/ipv6.h"
#include "pkt/l4.h"
#include "pkt/mpls.h"
#include "pkt/srh.h"
#include "test.h"

#define BUF 1024

/* A frame built from the inside out: headers are prepended before head. */
struct pk {
	uint8_t buf[BUF];
	size_t head;
	size_t l4_back;	   /* bytes from the L4 header to the end */
	size_t field_back; /* bytes from the checksum field to the end */
	int ver;	   /* innermost IP version, once wrapped */
	uint8_t proto;
	be32 src4, dst4;
	struct in6_addr src6, dst6; /* dst6: the final destination */
};

static uint8_t *prepend(struct pk *k, size_t n)
{
	k->head -= n;
	return k->buf + k->head;
}

static size_t pk_len(const struct pk *k)
{
	return BUF - k->head;
}

static void pk_l4(struct pk *k, uint8_t proto, size_t payload)
{
	uint8_t *p;

	memset(k, 0, sizeof(*k));
	k->head = BUF;
	p = prepend(k, payload);
	for (size_t i = 0; i < payload; i++)
		p[i] = (uint8_t)(i * 7 + 3);
	k->proto = proto;
	if (proto == IPPROTO_UDP) {
		struct udp_hdr *u = (struct udp_hdr *)prepend(k, L4_UDP_HLEN);

		u->sport = h_to_be16(5000);
		u->dport = h_to_be16(53);
		u->len = h_to_be16((uint16_t)(payload + L4_UDP_HLEN));
		u->check = 0;
		k->field_back = pk_len(k) - offsetof(struct udp_hdr, check);
	} else {
		struct tcp_hdr *t = (struct tcp_hdr *)prepend(k, L4_TCP_HLEN_MIN);

		memset(t, 0, sizeof(*t));
		t->sport = h_to_be16(40000);
		t->dport = h_to_be16(80);
		t->seq = h_to_be32(0x01020304);
		t->doff_rsvd = 5 << 4;
		t->flags = L4_TCP_ACK | L4_TCP_PSH;
		t->window = h_to_be16(512);
		k->field_back = pk_len(k) - offsetof(struct tcp_hdr, check);
	}
	k->l4_back = pk_len(k);
}

static void pk_ipv4(struct pk *k, uint8_t proto, const char *src, const char *dst)
{
	size_t len = pk_len(k);
	be32 s, d;

	inet_pton(AF_INET, src, &s);
	inet_pton(AF_INET, dst, &d);
	ipv4_build((struct ipv4_hdr *)prepend(k, IPV4_HDR_LEN), 0, (uint16_t)(len + IPV4_HDR_LEN),
		   1, IPV4_DF, 64, proto, s, d);
	if (!k->ver) {
		k->ver = 4;
		k->src4 = s;
		k->dst4 = d;
	}
}

/* With n_path > 0 an SRH for path[0..n) goes in, path[0] in the header. */
static void pk_ipv6(struct pk *k, uint8_t proto, const char *src, const char *dst,
		    const char *const *path, int n_path)
{
	struct in6_addr s, d, segs[4];
	uint8_t srh[128];
	uint16_t plen;
	int srh_n = 0;

	inet_pton(AF_INET6, src, &s);
	inet_pton(AF_INET6, dst, &d);
	for (int i = 0; i < n_path; i++)
		inet_pton(AF_INET6, path[i], &segs[i]);
	if (n_path) {
		srh_n = srh_build(srh, sizeof(srh), proto, segs, n_path, 0);
		memcpy(prepend(k, (size_t)srh_n), srh, (size_t)srh_n);
		d = segs[0];
		proto = IPPROTO_ROUTING;
	}
	plen = (uint16_t)pk_len(k);
	ipv6_build((struct ipv6_hdr *)prepend(k, IPV6_HDR_LEN), 0, 0, plen, proto, 64, &s, &d);
	if (!k->ver) {
		k->ver = 6;
		k->src6 = s;
		/* RFC 8200 8.1: the final destination, the last segment */
		k->dst6 = n_path ? segs[n_path - 1] : d;
	}
}

static void pk_mpls(struct pk *k, uint32_t label, int bos)
{
	be32 e = mpls_entry(label, 0, (uint8_t)bos, 64);

	memcpy(prepend(k, MPLS_HLEN), &e, MPLS_HLEN);
}

static void pk_vlan(struct pk *k, uint16_t vid, uint16_t type)
{
	uint8_t *t = prepend(k, ETH_VLAN_HLEN);

	wr_be16(t, vid);
	wr_be16(t + 2, type);
}

static void pk_eth(struct pk *k, uint16_t type)
{
	static const uint8_t a[6] = {2, 0, 0, 0, 0, 1}, b[6] = {2, 0, 0, 0, 0, 2};

	eth_build(prepend(k, ETH_HLEN), a, b, type);
}

static size_t field_off(const struct pk *k)
{
	return pk_len(k) - k->field_back;
}

static uint32_t pk_pseudo(const struct pk *k)
{
	uint32_t n = (uint32_t)k->l4_back;

	return k->ver == 4 ? l4_pseudo_v4(k->src4, k->dst4, k->proto, (uint16_t)n)
			   : l4_pseudo_v6(&k->src6, &k->dst6, k->proto, n);
}

/* The field as a sender's checksum offload leaves it. */
static void pk_make_partial(struct pk *k)
{
	wr_be16(k->buf + k->head + field_off(k), csum_fold_sum(pk_pseudo(k)));
}

/* The field as a complete checksum (pkt/l4.c, not the code under test). */
static void pk_make_complete(struct pk *k)
{
	const uint8_t *l4 = k->buf + BUF - k->l4_back;
	uint16_t c;

	wr_be16(k->buf + k->head + field_off(k), 0);
	c = k->ver == 4 ? l4_csum_v4(k->src4, k->dst4, k->proto, l4, k->l4_back)
			: l4_csum_v6(&k->src6, &k->dst6, k->proto, l4, k->l4_back);
	if (!c && k->proto == IPPROTO_UDP)
		c = 0xffff;
	wr_be16(k->buf + k->head + field_off(k), c);
}

static int pk_verifies(const struct pk *k)
{
	const uint8_t *l4 = k->buf + BUF - k->l4_back;

	return (k->ver == 4 ? l4_csum_v4(k->src4, k->dst4, k->proto, l4, k->l4_back)
			    : l4_csum_v6(&k->src6, &k->dst6, k->proto, l4, k->l4_back)) == 0;
}

/* Runs csum_complete_frame on an exact-size heap copy (ASan sees any
 * read past the end) and copies the result back; its return value. */
static int complete(struct pk *k)
{
	size_t n = pk_len(k);
	uint8_t *c = malloc(n ? n : 1);
	int rc;

	memcpy(c, k->buf + k->head, n);
	rc = csum_complete_frame(c, n);
	memcpy(k->buf + k->head, c, n);
	free(c);
	return rc;
}

/* True when completion returns 0 and leaves every byte as it was. */
static int untouched(struct pk *k)
{
	uint8_t before[BUF];
	size_t n = pk_len(k);

	memcpy(before, k->buf + k->head, n);
	return complete(k) == 0 && !memcmp(before, k->buf + k->head, n);
}

/* Partial in, verified out; complete in, untouched; a second pass idle. */
static void check_roundtrip(struct pk *k, const char *what)
{
	pk_make_partial(k);
	CHECK(!pk_verifies(k));
	if (complete(k) != 1 || !pk_verifies(k))
		test_fail(__FILE__, __LINE__, "%s: partial checksum not completed", what);
	if (!untouched(k))
		test_fail(__FILE__, __LINE__, "%s: second completion changed the frame", what);
	pk_make_complete(k);
	if (!untouched(k))
		test_fail(__FILE__, __LINE__, "%s: a correct checksum was modified", what);
}

TEST(csum_complete_ipv4_ipv6_udp_tcp)
{
	static const uint8_t protos[] = {IPPROTO_UDP, IPPROTO_TCP};
	struct pk k;

	for (int i = 0; i < 2; i++) {
		for (size_t payload = 0; payload < 40; payload += 13) {
			pk_l4(&k, protos[i], payload);
			pk_ipv4(&k, protos[i], "192.0.2.1", "198.51.100.7");
			pk_eth(&k, ETH_P_IPV4);
			check_roundtrip(&k, "ipv4");

			pk_l4(&k, protos[i], payload);
			pk_ipv6(&k, protos[i], "2001:db8::1", "2001:db8::2", NULL, 0);
			pk_eth(&k, ETH_P_IPV6);
			check_roundtrip(&k, "ipv6");
		}
	}
}

/* The checksums scapy computed for the UDP packets of test_pkt_l4.c. */
TEST(csum_complete_matches_scapy)
{
	uint8_t f[128];
	size_t n = test_hex(f, sizeof(f),
			    "020000000001020000000002 0800"
			    "450000210007000040117cbac0000201cb007109"
			    "13880035000daa3968656c6c6f");
	be32 s, d;

	memcpy(&s, f + ETH_HLEN + 12, 4);
	memcpy(&d, f + ETH_HLEN + 16, 4);
	wr_be16(f + ETH_HLEN + 26, csum_fold_sum(l4_pseudo_v4(s, d, IPPROTO_UDP, 13)));
	CHECK_EQ(csum_complete_frame(f, n), 1);
	CHECK_EQ(rd_be16(f + ETH_HLEN + 26), 0xaa39);

	n = test_hex(f, sizeof(f),
		     "020000000001020000000002 86dd"
		     "60000000000e1140"
		     "20010db8000000000000000000000001"
		     "20010db8000000000000000000000002"
		     "13880035000e4cad68656c6c6f21");
	{
		struct in6_addr s6, d6;

		memcpy(&s6, f + ETH_HLEN + 8, 16);
		memcpy(&d6, f + ETH_HLEN + 24, 16);
		wr_be16(f + ETH_HLEN + 46, csum_fold_sum(l4_pseudo_v6(&s6, &d6, IPPROTO_UDP, 14)));
	}
	CHECK_EQ(csum_complete_frame(f, n), 1);
	CHECK_EQ(rd_be16(f + ETH_HLEN + 46), 0x4cad);
}

TEST(csum_complete_through_vlan_mpls_srh_and_ip_in_ip)
{
	static const char *const path[] = {"2001:db8:a::1", "2001:db8:b::2", "2001:db8:c::3"};
	struct pk k;

	pk_l4(&k, IPPROTO_UDP, 20);
	pk_ipv4(&k, IPPROTO_UDP, "192.0.2.1", "203.0.113.9");
	pk_vlan(&k, 10, ETH_P_IPV4);
	pk_vlan(&k, 20, ETH_P_8021Q);
	pk_eth(&k, ETH_P_8021AD);
	check_roundtrip(&k, "QinQ ipv4");

	pk_l4(&k, IPPROTO_TCP, 10);
	pk_ipv6(&k, IPPROTO_TCP, "2001:db8::1", "2001:db8::2", NULL, 0);
	pk_mpls(&k, 16004, 1);
	pk_mpls(&k, 16003, 0);
	pk_eth(&k, ETH_P_MPLS_UC);
	check_roundtrip(&k, "MPLS ipv6");

	pk_l4(&k, IPPROTO_UDP, 9);
	pk_ipv4(&k, IPPROTO_UDP, "192.0.2.1", "198.51.100.1");
	pk_mpls(&k, 100, 1);
	pk_eth(&k, ETH_P_MPLS_UC);
	check_roundtrip(&k, "MPLS ipv4");

	/* an SRH in the innermost header: the pseudo-header's destination is
	 * Segment List[0], not the address in the IPv6 header */
	pk_l4(&k, IPPROTO_UDP, 30);
	pk_ipv6(&k, IPPROTO_UDP, "2001:db8::1", "2001:db8::2", path, 3);
	pk_eth(&k, ETH_P_IPV6);
	check_roundtrip(&k, "ipv6 with SRH");

	/* SRv6 H.Encaps of IPv6 and of IPv4: the inner header's pseudo-header */
	pk_l4(&k, IPPROTO_TCP, 5);
	pk_ipv6(&k, IPPROTO_TCP, "2001:db8:1::1", "2001:db8:2::2", NULL, 0);
	pk_ipv6(&k, IPPROTO_IPV6, "2001:db8::a", "2001:db8::b", path, 2);
	pk_eth(&k, ETH_P_IPV6);
	check_roundtrip(&k, "ipv6 in SRv6");

	pk_l4(&k, IPPROTO_UDP, 5);
	pk_ipv4(&k, IPPROTO_UDP, "192.0.2.1", "192.0.2.2");
	pk_ipv6(&k, IPPROTO_IPIP, "2001:db8::a", "2001:db8::b", NULL, 0);
	pk_eth(&k, ETH_P_IPV6);
	check_roundtrip(&k, "ipv4 in ipv6");
}

TEST(csum_complete_ignores_padding_after_the_ip_packet)
{
	struct pk k;
	uint8_t f[BUF];
	size_t n;

	pk_l4(&k, IPPROTO_UDP, 2);
	pk_ipv4(&k, IPPROTO_UDP, "192.0.2.1", "192.0.2.2");
	pk_eth(&k, ETH_P_IPV4);
	pk_make_partial(&k);
	n = pk_len(&k);
	memcpy(f, k.buf + k.head, n);
	memset(f + n, 0xa5, 60 - n); /* Ethernet minimum, non-zero padding */
	CHECK_EQ(csum_complete_frame(f, 60), 1);
	memcpy(k.buf + k.head, f, n);
	CHECK(pk_verifies(&k));
	CHECK_EQ(f[59], 0xa5);
}

/* The guess's false positive: a complete checksum that equals the
 * pseudo-header sum. Two payload bytes are searched for that make it so;
 * the frame must be left alone. */
TEST(csum_complete_leaves_a_correct_checksum_equal_to_the_pseudo_sum)
{
	static const uint8_t protos[] = {IPPROTO_UDP, IPPROTO_TCP};

	for (int i = 0; i < 2; i++) {
		struct pk k;
		uint8_t *w;
		uint32_t v;
		int found = 0;

		pk_l4(&k, protos[i], 16);
		pk_ipv6(&k, protos[i], "2001:db8::1", "2001:db8::2", NULL, 0);
		pk_eth(&k, ETH_P_IPV6);
		w = k.buf + BUF - 2; /* the last payload word */
		for (v = 0; v <= 0xffff && !found; v++) {
			wr_be16(w, (uint16_t)v);
			pk_make_complete(&k);
			found = rd_be16(k.buf + k.head + field_off(&k)) ==
				csum_fold_sum(pk_pseudo(&k));
		}
		CHECK(found);
		CHECK(pk_verifies(&k));
		CHECK(untouched(&k));
		/* the same field over corrupted data: a broken checksum that looks
		 * partial is rewritten (into one that verifies), never worse */
		w[0] ^= 0x40;
		CHECK(!pk_verifies(&k));
		CHECK_EQ(complete(&k), 1);
		CHECK(pk_verifies(&k));
	}
}

/* RFC 768: a UDP checksum that computes to 0 is sent as 0xffff. */
TEST(csum_complete_udp_zero_becomes_ffff)
{
	struct pk k;
	uint8_t *w;
	int found = 0;

	pk_l4(&k, IPPROTO_UDP, 8);
	pk_ipv4(&k, IPPROTO_UDP, "192.0.2.1", "192.0.2.2");
	pk_eth(&k, ETH_P_IPV4);
	w = k.buf + BUF - 2;
	for (uint32_t v = 0; v <= 0xffff && !found; v++) {
		wr_be16(w, (uint16_t)v);
		pk_make_complete(&k);
		found = rd_be16(k.buf + k.head + field_off(&k)) == 0xffff;
	}
	CHECK(found);
	pk_make_partial(&k);
	CHECK_EQ(complete(&k), 1);
	CHECK_EQ(rd_be16(k.buf + k.head + field_off(&k)), 0xffff);
	CHECK(pk_verifies(&k));
}

TEST(csum_complete_truncated_frames_untouched)
{
	static const char *const path[] = {"2001:db8:a::1", "2001:db8:b::2"};
	struct pk k, cut;

	pk_l4(&k, IPPROTO_TCP, 12);
	pk_ipv4(&k, IPPROTO_TCP, "192.0.2.1", "192.0.2.2");
	pk_ipv6(&k, IPPROTO_IPIP, "2001:db8::a", "2001:db8::b", path, 2);
	pk_mpls(&k, 16, 1);
	pk_vlan(&k, 5, ETH_P_MPLS_UC);
	pk_eth(&k, ETH_P_8021Q);
	pk_make_partial(&k);
	/* every shorter frame: the IP lengths no longer fit, nothing changes */
	for (size_t n = 0; n < pk_len(&k); n++) {
		uint8_t *c = malloc(n ? n : 1);

		memcpy(c, k.buf + k.head, n);
		if (csum_complete_frame(c, n) != 0 || memcmp(c, k.buf + k.head, n))
			test_fail(__FILE__, __LINE__, "frame cut to %zu bytes was modified", n);
		free(c);
	}
	cut = k;
	CHECK_EQ(complete(&cut), 1);
}

TEST(csum_complete_leaves_other_packets)
{
	struct pk k;

	/* IPv4 fragment (MF): the checksum covers the reassembled datagram */
	pk_l4(&k, IPPROTO_UDP, 16);
	pk_ipv4(&k, IPPROTO_UDP, "192.0.2.1", "192.0.2.2");
	pk_eth(&k, ETH_P_IPV4);
	{
		struct ipv4_hdr *h = (struct ipv4_hdr *)(k.buf + k.head + ETH_HLEN);

		h->frag_off = h_to_be16(IPV4_MF);
	}
	pk_make_partial(&k);
	CHECK(untouched(&k));

	/* IPv6 first fragment */
	pk_l4(&k, IPPROTO_UDP, 16);
	{
		uint8_t *fh = prepend(&k, IPV6_FRAG_HDR_LEN);

		memset(fh, 0, IPV6_FRAG_HDR_LEN);
		fh[0] = IPPROTO_UDP;
		fh[3] = 1; /* M */
	}
	pk_ipv6(&k, IPPROTO_FRAGMENT, "2001:db8::1", "2001:db8::2", NULL, 0);
	pk_eth(&k, ETH_P_IPV6);
	k.proto = IPPROTO_UDP;
	pk_make_partial(&k);
	CHECK(untouched(&k));

	/* IP in IP: CSUM_NEST_MAX headers are looked through, one more is not */
	pk_l4(&k, IPPROTO_UDP, 4);
	pk_ipv6(&k, IPPROTO_UDP, "2001:db8::1", "2001:db8::2", NULL, 0);
	for (int i = 1; i < CSUM_NEST_MAX; i++)
		pk_ipv6(&k, IPPROTO_IPV6, "2001:db8::a", "2001:db8::b", NULL, 0);
	pk_eth(&k, ETH_P_IPV6);
	check_roundtrip(&k, "deepest nesting");

	pk_l4(&k, IPPROTO_UDP, 4);
	pk_ipv6(&k, IPPROTO_UDP, "2001:db8::1", "2001:db8::2", NULL, 0);
	for (int i = 0; i < CSUM_NEST_MAX; i++)
		pk_ipv6(&k, IPPROTO_IPV6, "2001:db8::a", "2001:db8::b", NULL, 0);
	pk_eth(&k, ETH_P_IPV6);
	pk_make_partial(&k);
	CHECK(untouched(&k));

	/* not IP: ARP-typed frame holding an IPv4 packet */
	pk_l4(&k, IPPROTO_UDP, 4);
	pk_ipv4(&k, IPPROTO_UDP, "192.0.2.1", "192.0.2.2");
	pk_eth(&k, ETH_P_ARP);
	pk_make_partial(&k);
	CHECK(untouched(&k));
}
