#include <errno.h>
#include <string.h>

#include "dp/lpm.h"

struct lpm_key {
	uint8_t len;
	uint8_t pad[3];
	uint8_t addr[16];
};

static void lpm_mask(struct lpm_key *k, const uint8_t *addr, int addr_len, int len)
{
	int full = len / 8, rem = len % 8;

	memset(k, 0, sizeof(*k));
	k->len = (uint8_t)len;
	memcpy(k->addr, addr, (size_t)full);
	if (rem && full < addr_len)
		k->addr[full] = addr[full] & (uint8_t)(0xff << (8 - rem));
}

int lpm_init(struct lpm *l, int addr_len)
{
	memset(l, 0, sizeof(*l));
	if (addr_len != 4 && addr_len != 16)
		return -EINVAL;
	l->addr_len = (uint8_t)addr_len;
	return xhash_init(&l->h, sizeof(struct lpm_key), 16);
}

void lpm_free(struct lpm *l)
{
	xhash_free(&l->h);
	l->n_lens = 0;
}

int lpm_add(struct lpm *l, const void *prefix, int len, uint32_t val)
{
	struct lpm_key k;
	int i, rc;

	if (len < 0 || len > l->addr_len * 8 || val == LPM_MISS)
		return -EINVAL;
	lpm_mask(&k, prefix, l->addr_len, len);
	rc = xhash_put(&l->h, &k, val);
	if (rc)
		return rc;
	for (i = 0; i < l->n_lens; i++)
		if (l->lens[i] == len)
			return 0;
	/* keep lens sorted longest first */
	for (i = l->n_lens; i > 0 && l->lens[i - 1] < len; i--)
		l->lens[i] = l->lens[i - 1];
	l->lens[i] = (uint8_t)len;
	l->n_lens++;
	return 0;
}

uint32_t lpm_get(const struct lpm *l, const void *prefix, int len)
{
	struct lpm_key k;
	uint32_t v;

	if (len < 0 || len > l->addr_len * 8)
		return LPM_MISS;
	lpm_mask(&k, prefix, l->addr_len, len);
	return xhash_get(&l->h, &k, &v) ? LPM_MISS : v;
}

uint32_t lpm_lookup(const struct lpm *l, const void *addr)
{
	for (int i = 0; i < l->n_lens; i++) {
		struct lpm_key k;
		uint32_t v;

		lpm_mask(&k, addr, l->addr_len, l->lens[i]);
		if (!xhash_get(&l->h, &k, &v))
			return v;
	}
	return LPM_MISS;
}
