/* VXLAN-GPE header: the scapy/tshark vector (I and P set, next protocol
 * NSH, VNI 0xabcdef), plain VXLAN, version check. */
#include <errno.h>

#include "pkt/vxlan_gpe.h"
#include "test.h"

TEST(vxlan_gpe_build_parse)
{
	uint8_t want[8], b[8];
	struct vxlan_gpe_info gi;

	test_hex(want, sizeof(want), "0c000004abcdef00");
	CHECK_EQ(vxlan_gpe_build(b, sizeof(b), 0xabcdef, VXLAN_GPE_NP_NSH), VXLAN_GPE_HLEN);
	CHECK_MEM(b, want, 8);
	CHECK_EQ(vxlan_gpe_parse(b, 8, &gi), 0);
	CHECK(gi.vni_valid);
	CHECK_EQ(gi.vni, 0xabcdef);
	CHECK_EQ(gi.next_proto, VXLAN_GPE_NP_NSH);
	CHECK(!gi.oam);
	for (size_t len = 0; len < 8; len++)
		CHECK_EQ(vxlan_gpe_parse(b, len, &gi), -EBADMSG);
	CHECK_EQ(vxlan_gpe_build(b, 7, 1, 1), -ENOSPC);
	CHECK_EQ(vxlan_gpe_build(b, 8, 0x1000000, 1), -EINVAL);
}

TEST(vxlan_gpe_plain_vxlan_and_version)
{
	uint8_t b[8];
	struct vxlan_gpe_info gi;

	test_hex(b, sizeof(b), "0800000000006400"); /* RFC 7348 VXLAN, VNI 100 */
	CHECK_EQ(vxlan_gpe_parse(b, 8, &gi), 0);
	CHECK_EQ(gi.next_proto, VXLAN_GPE_NP_ETHERNET);
	CHECK_EQ(gi.vni, 100);
	b[0] = 0x05; /* P and O, no I */
	b[3] = VXLAN_GPE_NP_IPV6;
	CHECK_EQ(vxlan_gpe_parse(b, 8, &gi), 0);
	CHECK(!gi.vni_valid);
	CHECK_EQ(gi.vni, 0);
	CHECK(gi.oam);
	CHECK_EQ(gi.next_proto, VXLAN_GPE_NP_IPV6);
	b[0] = 0x1c;
	CHECK_EQ(vxlan_gpe_parse(b, 8, &gi), -EPROTO);
}
