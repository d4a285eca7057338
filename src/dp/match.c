#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dp/match.h"
#include "lib/addr.h"
#include "pkt/flow.h"
#include "pkt/ipv4.h"
#include "pkt/ipv6.h"
#include "pkt/l4.h"

static const struct {
	const char *name;
	uint8_t proto;
} protos[] = {
	{"tcp", 6}, {"udp", 17}, {"icmp", 1}, {"icmpv6", 58}, {"sctp", 132}, {"gre", 47},
};

static int proto_parse(const char *s, uint8_t *proto)
{
	uint64_t v;

	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (!strcmp(s, protos[i].name)) {
			*proto = protos[i].proto;
			return 0;
		}
	if (num_parse(s, 1, 255, &v))
		return -EINVAL;
	*proto = (uint8_t)v;
	return 0;
}

static int port_range_parse(const char *s, uint16_t *lo, uint16_t *hi)
{
	char buf[16];
	const char *dash = strchr(s, '-');
	uint64_t a, b;

	if (!dash) {
		if (num_parse(s, 0, 65535, &a))
			return -EINVAL;
		*lo = *hi = (uint16_t)a;
		return 0;
	}
	if ((size_t)(dash - s) >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, (size_t)(dash - s));
	buf[dash - s] = 0;
	if (num_parse(buf, 0, 65535, &a) || num_parse(dash + 1, 0, 65535, &b) || a > b)
		return -EINVAL;
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return 0;
}

static int prefix_field(struct dp_match *m, const char *field, const char *val, uint8_t *addr,
			uint8_t *len, struct err *err)
{
	int fam, l;

	if (addr_parse_prefix(val, &fam, addr, &l))
		return err_set(err, EINVAL, "field '%s': '%s' is not an IPv4/IPv6 prefix", field,
			       val);
	if (m->family && m->family != fam)
		return err_set(err, EINVAL, "field '%s': '%s' mixes IPv4 and IPv6 in one rule",
			       field, val);
	m->family = (uint8_t)fam;
	*len = (uint8_t)l;
	return 0;
}

int dp_match_parse(const struct dp_tables *t, char **argv, int argc, int *i, struct dp_match *m,
		   struct err *err)
{
	memset(m, 0, sizeof(*m));
	m->in_if = DP_NONE;
	while (*i < argc) {
		const char *k = argv[*i], *v = *i + 1 < argc ? argv[*i + 1] : NULL;
		int rc = 0;

		if (strcmp(k, "proto") && strcmp(k, "src") && strcmp(k, "dst") &&
		    strcmp(k, "sport") && strcmp(k, "dport") && strcmp(k, "in") &&
		    strcmp(k, "family"))
			return 0;
		if (!v)
			return err_set(err, EINVAL, "field '%s': missing value", k);
		if (!strcmp(k, "proto")) {
			if (proto_parse(v, &m->proto))
				return err_set(err, EINVAL,
					       "field 'proto': '%s' is not tcp, udp, icmp, icmpv6, "
					       "sctp, gre or a number 1-255",
					       v);
		} else if (!strcmp(k, "src")) {
			rc = prefix_field(m, k, v, m->src, &m->src_len, err);
		} else if (!strcmp(k, "dst")) {
			rc = prefix_field(m, k, v, m->dst, &m->dst_len, err);
		} else if (!strcmp(k, "sport") || !strcmp(k, "dport")) {
			uint16_t *lo = k[0] == 's' ? &m->sport_lo : &m->dport_lo;
			uint16_t *hi = k[0] == 's' ? &m->sport_hi : &m->dport_hi;

			if (port_range_parse(v, lo, hi) || *hi == 0)
				return err_set(
					err, EINVAL,
					"field '%s': '%s' is not a port 1-65535 or range A-B", k,
					v);
		} else if (!strcmp(k, "in")) {
			int idx = dp_if_find(t, v);

			if (idx < 0)
				return err_set(err, EINVAL, "field 'in': no interface '%s'", v);
			m->in_if = (uint32_t)idx;
		} else {
			if (strcmp(v, "ipv4") && strcmp(v, "ipv6"))
				return err_set(err, EINVAL,
					       "field 'family': '%s' is not ipv4 or ipv6", v);
			if (m->family && m->family != (v[3] == '4' ? 4 : 6))
				return err_set(err, EINVAL,
					       "field 'family': conflicts with an address");
			m->family = v[3] == '4' ? 4 : 6;
		}
		if (rc)
			return rc;
		*i += 2;
	}
	return 0;
}

int dp_cls_key_from_pkt(struct pkt *p, struct dp_cls_key *key)
{
	struct flow_key fk;

	memset(key, 0, sizeof(*key));
	key->in_if = p->in_if;
	if (flow_key_from_l3(pkt_data(p), p->len, p->l3, &fk) < 0)
		return -EINVAL;
	/* the packet will want its hash (multipath, flow label, NSH): the
	 * header fast path avoids re-reading the key just written (a store
	 * forwarding stall), the key is the fallback */
	if (!p->hash && flow_hash_fast(pkt_data(p), p->len, p->l3, &p->hash))
		p->hash = flow_hash(&fk, 0);
	key->family = fk.family;
	key->proto = fk.proto;
	key->sport = fk.sport;
	key->dport = fk.dport;
	memcpy(key->src, fk.src, 16);
	memcpy(key->dst, fk.dst, 16);
	return 0;
}

int dp_cls_key_outer(const struct pkt *p, struct dp_cls_key *key)
{
	const uint8_t *d = pkt_data(p);
	const uint8_t *l4;
	size_t l4_len;

	memset(key, 0, sizeof(*key));
	key->in_if = p->in_if;
	if (p->l3 == PKT_L3_IPV6) {
		struct ipv6_info ii;

		if (ipv6_walk(d, p->len, &ii) < 0)
			return -EINVAL;
		key->family = 6;
		memcpy(key->src, &ii.hdr->src, 16);
		memcpy(key->dst, &ii.hdr->dst, 16);
		key->proto = ii.l4_proto;
		if (ii.non_first_fragment || ii.l4_off > p->len)
			return 0;
		l4 = d + ii.l4_off;
		l4_len = p->len - ii.l4_off;
	} else if (p->l3 == PKT_L3_IPV4) {
		const struct ipv4_hdr *ip4 = (const void *)d;
		uint32_t ihl;

		if (p->len < IPV4_HDR_LEN || (ihl = ipv4_hdr_len(ip4)) > p->len)
			return -EINVAL;
		key->family = 4;
		memcpy(key->src, &ip4->saddr, 4);
		memcpy(key->dst, &ip4->daddr, 4);
		key->proto = ip4->protocol;
		if (ipv4_frag_offset(ip4))
			return 0;
		l4 = d + ihl;
		l4_len = p->len - ihl;
	} else {
		return -EPROTONOSUPPORT;
	}
	/* ports (or ICMP type/code) when the header is there; none otherwise */
	if (l4_ports(key->proto, l4, l4_len, &key->sport, &key->dport) < 0)
		key->sport = key->dport = 0;
	return 0;
}

static int prefix_covers(const uint8_t *pfx, int len, const uint8_t *addr)
{
	int full = len / 8, rem = len % 8;

	if (memcmp(pfx, addr, (size_t)full))
		return 0;
	return !rem || !((pfx[full] ^ addr[full]) & (uint8_t)(0xff << (8 - rem)));
}

int dp_match_test(const struct dp_match *m, const struct dp_cls_key *k)
{
	if (m->in_if != DP_NONE && m->in_if != k->in_if)
		return 0;
	if (m->family && m->family != k->family)
		return 0;
	if (m->proto && m->proto != k->proto)
		return 0;
	if (m->sport_hi && (k->sport < m->sport_lo || k->sport > m->sport_hi))
		return 0;
	if (m->dport_hi && (k->dport < m->dport_lo || k->dport > m->dport_hi))
		return 0;
	if (m->src_len && !prefix_covers(m->src, m->src_len, k->src))
		return 0;
	if (m->dst_len && !prefix_covers(m->dst, m->dst_len, k->dst))
		return 0;
	return 1;
}

void dp_match_format(const struct dp_tables *t, const struct dp_match *m, char *buf, size_t len)
{
	char a[64];
	size_t o = 0;

#define APPEND(...)                                                                                \
	do {                                                                                       \
		if (o < len)                                                                       \
			o += (size_t)snprintf(buf + o, len - o, __VA_ARGS__);                      \
	} while (0)
	buf[0] = 0;
	if (m->in_if != DP_NONE && m->in_if < t->n_if)
		APPEND(" in %s", t->ifs[m->in_if].name);
	if (m->proto)
		APPEND(" proto %u", m->proto);
	if (m->src_len)
		APPEND(" src %s/%u", addr_fmt(m->family, m->src, a, sizeof(a)), m->src_len);
	if (m->dst_len)
		APPEND(" dst %s/%u", addr_fmt(m->family, m->dst, a, sizeof(a)), m->dst_len);
	if (m->sport_hi)
		APPEND(" sport %u-%u", m->sport_lo, m->sport_hi);
	if (m->dport_hi)
		APPEND(" dport %u-%u", m->dport_lo, m->dport_hi);
	if (!o)
		APPEND(" any");
	if (m->inner)
		APPEND(" inner");
#undef APPEND
}
