/* Ethernet parsing: untagged, 802.1Q, QinQ, a third tag, truncation. */
#include <errno.h>

#include "pkt/eth.h"
#include "test.h"

static const uint8_t mac_a[6] = {2, 0, 0, 0, 0, 1};
static const uint8_t mac_b[6] = {2, 0, 0, 0, 0, 2};

TEST(eth_untagged)
{
	uint8_t f[64];
	struct eth_info e;

	eth_build(f, mac_b, mac_a, ETH_P_IPV6);
	CHECK_EQ(eth_parse(f, ETH_HLEN, &e), 0);
	CHECK(e.dst == f);
	CHECK(e.src == f + 6);
	CHECK_MEM(e.src, mac_a, 6);
	CHECK_EQ(e.type, ETH_P_IPV6);
	CHECK_EQ(e.vlan, 0);
	CHECK_EQ(e.n_tags, 0);
	CHECK_EQ(e.l2_len, ETH_HLEN);
	for (size_t len = 0; len < ETH_HLEN; len++)
		CHECK_EQ(eth_parse(f, len, &e), -EBADMSG);
}

TEST(eth_vlan_scapy)
{
	/* Ether/Dot1Q(vlan=4095, prio=7, id=1)/IP, from scapy. */
	uint8_t f[64], b[64];
	size_t n = test_hex(f, sizeof(f), "020000000002020000000001 8100 ffff 0800 4500");
	struct eth_info e;

	CHECK_EQ(eth_parse(f, n, &e), 0);
	CHECK_EQ(e.vlan, 4095);
	CHECK_EQ(e.n_tags, 1);
	CHECK_EQ(e.type, ETH_P_IPV4);
	CHECK_EQ(e.l2_len, 18);
	for (size_t len = 0; len < 18; len++)
		CHECK_EQ(eth_parse(f, len, &e), -EBADMSG);

	eth_build_vlan(b, mac_b, mac_a, 100, ETH_P_MPLS_UC);
	CHECK_EQ(eth_parse(b, 18, &e), 0);
	CHECK_EQ(e.vlan, 100);
	CHECK_EQ(e.type, ETH_P_MPLS_UC);
}

TEST(eth_qinq_scapy)
{
	/* Ether/Dot1AD(vlan=100)/Dot1Q(vlan=200, prio=5)/IPv6, from scapy. */
	uint8_t f[64];
	size_t n = test_hex(f, sizeof(f), "020000000002020000000001 88a8 0064 8100 a0c8 86dd 6000");
	struct eth_info e;

	CHECK_EQ(eth_parse(f, n, &e), 0);
	CHECK_EQ(e.vlan, 100);
	CHECK_EQ(e.vlan_inner, 200);
	CHECK_EQ(e.n_tags, 2);
	CHECK_EQ(e.type, ETH_P_IPV6);
	CHECK_EQ(e.l2_len, 22);
	for (size_t len = 0; len < 22; len++)
		CHECK_EQ(eth_parse(f, len, &e), -EBADMSG);
}

TEST(eth_third_tag_left_unparsed)
{
	uint8_t f[64];
	size_t n = test_hex(f, sizeof(f),
			    "020000000002020000000001 88a8 0001 8100 0002 8100 0003 0800 4500");
	struct eth_info e;

	CHECK_EQ(eth_parse(f, n, &e), 0);
	CHECK_EQ(e.n_tags, ETH_VLAN_MAX);
	CHECK_EQ(e.type, ETH_P_8021Q);
	CHECK_EQ(e.l2_len, 22);
}
