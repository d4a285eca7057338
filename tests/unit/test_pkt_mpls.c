/* MPLS label stack entries and stack walk. */
#include <errno.h>

#include "pkt/mpls.h"
#include "test.h"

TEST(mpls_entry_accessors)
{
	be32 e = mpls_entry(16002, 5, 0, 63);
	uint8_t b[4];

	memcpy(b, &e, 4);
	/* scapy MPLS(label=16002, cos=5, s=0, ttl=63) */
	CHECK_EQ(b[0], 0x03);
	CHECK_EQ(b[1], 0xe8);
	CHECK_EQ(b[2], 0x2a);
	CHECK_EQ(b[3], 0x3f);
	CHECK_EQ(mpls_label(e), 16002);
	CHECK_EQ(mpls_tc(e), 5);
	CHECK_EQ(mpls_s(e), 0);
	CHECK_EQ(mpls_ttl(e), 63);
	e = mpls_set_ttl(e, 7);
	CHECK_EQ(mpls_ttl(e), 7);
	CHECK_EQ(mpls_label(e), 16002);
	e = mpls_entry(MPLS_LABEL_MAX, 7, 1, 255);
	CHECK_EQ(mpls_label(e), 0xfffff);
	CHECK_EQ(mpls_tc(e), 7);
	CHECK_EQ(mpls_s(e), 1);
	CHECK_EQ(mpls_ttl(e), 255);
	CHECK_EQ(mpls_label(mpls_entry(0x1fffff, 0, 0, 0)), 0xfffff);
	CHECK_EQ(mpls_label(mpls_load(b)), 16002);
}

TEST(mpls_walk_scapy_three_labels_ipv4)
{
	/* MPLS(16001)/MPLS(16002, cos 5)/MPLS(24, s 1)/IP/TCP, scapy. */
	uint8_t p[128];
	size_t n = test_hex(p, sizeof(p), "03e81040 03e82a3f 0001813e 4500002800010000");
	struct mpls_info m;

	CHECK_EQ(mpls_walk(p, n, &m), 0);
	CHECK_EQ(m.depth, 3);
	CHECK_EQ(m.payload_off, 12);
	CHECK_EQ(m.payload, MPLS_PAYLOAD_IPV4);
	CHECK_EQ(mpls_label(mpls_load(p + 8)), 24);
	for (size_t len = 0; len < 12; len++)
		CHECK_EQ(mpls_walk(p, len, &m), -EBADMSG);
	/* Bottom of stack with nothing after it. */
	CHECK_EQ(mpls_walk(p, 12, &m), 0);
	CHECK_EQ(m.payload, MPLS_PAYLOAD_OTHER);
	p[12] = 0x60;
	CHECK_EQ(mpls_walk(p, n, &m), 0);
	CHECK_EQ(m.payload, MPLS_PAYLOAD_IPV6);
	p[12] = 0x00; /* pseudowire control word */
	CHECK_EQ(mpls_walk(p, n, &m), 0);
	CHECK_EQ(m.payload, MPLS_PAYLOAD_OTHER);
}

static size_t stack(uint8_t *p, int depth, int with_bos)
{
	for (int i = 0; i < depth; i++) {
		be32 e = mpls_entry(100 + (uint32_t)i, 0, with_bos && i == depth - 1, 64);

		memcpy(p + 4 * i, &e, 4);
	}
	p[4 * depth] = 0x45;
	return 4 * (size_t)depth + 1;
}

TEST(mpls_walk_depths)
{
	uint8_t p[256];
	struct mpls_info m;
	size_t n;

	n = stack(p, 1, 1);
	CHECK_EQ(mpls_walk(p, n, &m), 0);
	CHECK_EQ(m.depth, 1);
	CHECK_EQ(m.payload_off, 4);

	n = stack(p, MPLS_STACK_MAX, 1);
	CHECK_EQ(mpls_walk(p, n, &m), 0);
	CHECK_EQ(m.depth, MPLS_STACK_MAX);
	CHECK_EQ(m.payload_off, 4 * MPLS_STACK_MAX);
	CHECK_EQ(m.payload, MPLS_PAYLOAD_IPV4);

	n = stack(p, MPLS_STACK_MAX + 1, 1);
	CHECK_EQ(mpls_walk(p, n, &m), -E2BIG);
}

TEST(mpls_walk_missing_bottom_of_stack)
{
	uint8_t p[256];
	struct mpls_info m;

	stack(p, 3, 0);
	CHECK_EQ(mpls_walk(p, 12, &m), -EBADMSG);
	CHECK_EQ(mpls_walk(p, 14, &m), -EBADMSG);
	CHECK_EQ(mpls_walk(p, 0, &m), -EBADMSG);
}
