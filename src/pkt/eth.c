/* Ethernet II / IEEE 802.1Q parsing. */
#include <errno.h>

#include "pkt/cursor.h"
#include "pkt/eth.h"

static int eth_is_vlan(uint16_t type)
{
	return type == ETH_P_8021Q || type == ETH_P_8021AD;
}

int eth_parse(const uint8_t *p, size_t len, struct eth_info *out)
{
	struct cursor c;
	const struct eth_hdr *h;
	uint16_t type;

	cursor_init(&c, p, len);
	h = cursor_pull(&c, sizeof(*h));
	if (!h)
		return -EBADMSG;
	out->dst = h->dst;
	out->src = h->src;
	out->vlan = 0;
	out->vlan_inner = 0;
	out->n_tags = 0;
	type = be16_to_h(h->type);

	/* A tag is TCI (PCP 3, DEI 1, VID 12) followed by the next ethertype. */
	for (int i = 0; i < ETH_VLAN_MAX && eth_is_vlan(type); i++) {
		const uint8_t *tag = cursor_pull(&c, ETH_VLAN_HLEN);

		if (!tag)
			return -EBADMSG;
		if (i == 0)
			out->vlan = rd_be16(tag) & ETH_VID_MASK;
		else
			out->vlan_inner = rd_be16(tag) & ETH_VID_MASK;
		out->n_tags++;
		type = rd_be16(tag + 2);
	}
	out->type = type;
	out->l2_len = (uint16_t)cursor_off(&c);
	return 0;
}
