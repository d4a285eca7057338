/* SRv6 Segment Routing Header (RFC 8754): parsing, building, HMAC TLV. */
#include <errno.h>

#include <nettle/memops.h>

#include "pkt/cursor.h"
#include "pkt/srh.h"

/* RFC 8754 2.1: TLVs follow the segment list up to the end of the header.
 * Pad1 is a lone type octet; every other TLV is type, length, value, and a
 * TLV of unknown type is skipped by its length. */
static int srh_walk_tlvs(const uint8_t *srh, struct srh_info *out)
{
	struct cursor c;

	cursor_init(&c, srh + out->tlv_off, out->tlv_len);
	for (int i = 0; cursor_left(&c); i++) {
		const uint8_t *t;
		size_t off = out->tlv_off + cursor_off(&c);

		if (i == SRH_TLV_MAX)
			return -E2BIG;
		t = cursor_pull(&c, 1);
		out->n_tlvs++;
		if (t[0] == SRH_TLV_PAD1)
			continue;
		if (!cursor_pull(&c, 1) || !cursor_pull(&c, t[1]))
			return -EBADMSG;
		if (t[0] == SRH_TLV_HMAC) {
			/* D/RESERVED and HMAC Key ID precede the HMAC itself. */
			if (t[1] < 6)
				return -EBADMSG;
			if (!out->hmac_off)
				out->hmac_off = (uint16_t)off;
		}
	}
	return 0;
}

int srh_parse(const uint8_t *p, size_t len, struct srh_info *out)
{
	const struct srh_hdr *h;
	size_t hdr_len, seg_bytes;

	if (len < SRH_FIXED_LEN)
		return -EBADMSG;
	h = (const struct srh_hdr *)p;
	if (h->routing_type != SRH_ROUTING_TYPE)
		return -EPROTO;
	hdr_len = ((size_t)h->hdr_ext_len + 1) * 8;
	seg_bytes = ((size_t)h->last_entry + 1) * SRH_SEG_LEN;
	/* RFC 8754 4.3.1.1 S08-S09: Last Entry <= Hdr Ext Len / 2 - 1. */
	if (hdr_len > len || seg_bytes > (size_t)h->hdr_ext_len * 8)
		return -EBADMSG;

	out->hdr = h;
	out->hdr_len = (uint16_t)hdr_len;
	out->n_segments = (uint8_t)(h->last_entry + 1);
	out->segments_left = h->segments_left;
	out->sl_overflow = h->segments_left > h->last_entry + 1;
	out->segments = p + SRH_FIXED_LEN;
	out->tlv_off = (uint16_t)(SRH_FIXED_LEN + seg_bytes);
	out->tlv_len = (uint16_t)(hdr_len - out->tlv_off);
	out->n_tlvs = 0;
	out->hmac_off = 0;
	return srh_walk_tlvs(p, out);
}

size_t srh_len(int n_segments, int with_hmac)
{
	return SRH_FIXED_LEN + (size_t)n_segments * SRH_SEG_LEN +
	       (with_hmac ? SRH_HMAC_TLV_LEN : 0);
}

/* Writes the fixed part and the reversed list; returns the list length. */
static int srh_put(uint8_t *buf, size_t cap, uint8_t nexthdr, const struct in6_addr *path, int n,
		   int reduced, int with_hmac)
{
	int n_list = reduced ? n - 1 : n;
	size_t len;

	if (n < 1)
		return -EINVAL;
	if (n_list == 0)
		return 0;
	len = srh_len(n_list, with_hmac);
	if (len > SRH_LEN_MAX)
		return -E2BIG;
	if (len > cap)
		return -ENOSPC;

	buf[0] = nexthdr;
	buf[1] = (uint8_t)(len / 8 - 1);
	buf[2] = SRH_ROUTING_TYPE;
	buf[3] = (uint8_t)(n - 1);
	buf[4] = (uint8_t)(n_list - 1);
	buf[5] = 0;
	wr_be16(buf + 6, 0);
	/* Segment List[i] = path[n - 1 - i]; a reduced list stops before
	 * path[0], which only the destination address carries. */
	for (int i = 0; i < n_list; i++)
		memcpy(buf + SRH_FIXED_LEN + (size_t)i * SRH_SEG_LEN, &path[n - 1 - i],
		       SRH_SEG_LEN);
	return n_list;
}

int srh_build(uint8_t *buf, size_t cap, uint8_t nexthdr, const struct in6_addr *path, int n,
	      int reduced)
{
	int n_list = srh_put(buf, cap, nexthdr, path, n, reduced, 0);

	return n_list <= 0 ? n_list : (int)srh_len(n_list, 0);
}

int srh_build_hmac(uint8_t *buf, size_t cap, uint8_t nexthdr, const struct in6_addr *path, int n,
		   int reduced, const struct in6_addr *src, const struct hmac_sha256_key *key,
		   uint32_t key_id)
{
	return srh_build_hmac_flags(buf, cap, nexthdr, path, n, reduced, src, key, key_id, 0);
}

int srh_build_hmac_flags(uint8_t *buf, size_t cap, uint8_t nexthdr, const struct in6_addr *path,
			 int n, int reduced, const struct in6_addr *src,
			 const struct hmac_sha256_key *key, uint32_t key_id, uint8_t flags)
{
	int n_list = srh_put(buf, cap, nexthdr, path, n, reduced, 1);
	size_t len;
	uint8_t *t;

	if (n_list <= 0)
		return n_list;
	len = srh_len(n_list, 1);
	buf[5] = flags; /* before the digest, which covers it */
	t = buf + len - SRH_HMAC_TLV_LEN;
	t[0] = SRH_TLV_HMAC;
	t[1] = SRH_HMAC_TLV_LEN - 2;
	t[2] = reduced ? SRH_HMAC_D : 0;
	t[3] = 0;
	wr_be32(t + 4, key_id);
	srh_hmac_compute_k(key, src, buf, len, key_id, t + 8);
	return (int)len;
}

int srh_hmac_compute_k(const struct hmac_sha256_key *key, const struct in6_addr *src,
		       const uint8_t *srh, size_t srh_len, uint32_t key_id,
		       uint8_t out[SRH_HMAC_LEN])
{
	struct hmac_sha256_ctx ctx;
	size_t seg_bytes;
	uint8_t kid[4];

	if (srh_len < SRH_FIXED_LEN)
		return -EBADMSG;
	seg_bytes = ((size_t)srh[4] + 1) * SRH_SEG_LEN;
	if (SRH_FIXED_LEN + seg_bytes > srh_len)
		return -EBADMSG;
	wr_be32(kid, key_id);

	/* RFC 8754 2.1.2.1: Source Address (16) | Last Entry (1) | Flags (1)
	 * | HMAC Key ID (4) | Segment List (16 each). */
	hmac_sha256_start(&ctx, key);
	hmac_sha256_update(&ctx, sizeof(*src), (const uint8_t *)src);
	hmac_sha256_update(&ctx, 2, srh + 4);
	hmac_sha256_update(&ctx, sizeof(kid), kid);
	hmac_sha256_update(&ctx, seg_bytes, srh + SRH_FIXED_LEN);
	hmac_sha256_digest(&ctx, SRH_HMAC_LEN, out);
	return 0;
}

int srh_hmac_compute(const uint8_t *key, size_t keylen, const struct in6_addr *src,
		     const uint8_t *srh, size_t srh_len, uint32_t key_id, uint8_t out[SRH_HMAC_LEN])
{
	struct hmac_sha256_key k;

	hmac_sha256_setkey(&k, key, keylen);
	return srh_hmac_compute_k(&k, src, srh, srh_len, key_id, out);
}

int srh_hmac_verify_k(const struct hmac_sha256_key *key, const struct in6_addr *src,
		      const uint8_t *srh, size_t srh_len)
{
	struct srh_info si;
	uint8_t mac[SRH_HMAC_LEN];
	const uint8_t *t;
	int err;

	err = srh_parse(srh, srh_len, &si);
	if (err)
		return err;
	if (!si.hmac_off)
		return -ENOENT;
	t = srh + si.hmac_off;
	if (t[1] != SRH_HMAC_TLV_LEN - 2)
		return -EBADMSG;
	err = srh_hmac_compute_k(key, src, srh, si.hdr_len, srh_hmac_key_id(&si), mac);
	if (err)
		return err;
	return memeql_sec(mac, t + 8, SRH_HMAC_LEN) ? 0 : -EACCES;
}

int srh_hmac_verify(const uint8_t *key, size_t keylen, const struct in6_addr *src,
		    const uint8_t *srh, size_t srh_len)
{
	struct hmac_sha256_key k;

	hmac_sha256_setkey(&k, key, keylen);
	return srh_hmac_verify_k(&k, src, srh, srh_len);
}
