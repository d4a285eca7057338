#include <errno.h>
#include <stdlib.h>
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
	free(l->trie);
	l->trie = NULL;
	l->n_nodes = 0;
	l->n_lens = 0;
}

int lpm_add(struct lpm *l, const void *prefix, int len, uint32_t val)
{
	struct lpm_key k;
	int i, rc;

	if (len < 0 || len > l->addr_len * 8 || val == LPM_MISS)
		return -EINVAL;
	if (val >= LPM_CHILD - 1)
		return -ERANGE;
	lpm_mask(&k, prefix, l->addr_len, len);
	rc = xhash_put(&l->h, &k, val);
	if (rc)
		return rc;
	/* a compiled trie no longer matches the set */
	free(l->trie);
	l->trie = NULL;
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

uint32_t lpm_lookup_slow(const struct lpm *l, const void *addr)
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

static int trie_node(struct lpm *l, uint32_t fill, uint32_t *cap, uint32_t *node)
{
	if (l->n_nodes == *cap) {
		uint32_t ncap = *cap ? *cap * 2 : 16;
		uint32_t *nt = realloc(l->trie, (size_t)ncap * 256 * sizeof(*nt));

		if (!nt || ncap >= LPM_CHILD / 2)
			return -ENOMEM;
		l->trie = nt;
		*cap = ncap;
	}
	for (int i = 0; i < 256; i++)
		l->trie[(size_t)l->n_nodes * 256 + i] = fill;
	*node = l->n_nodes++;
	return 0;
}

/* Inserts one prefix; all shorter prefixes are in already. */
static int trie_insert(struct lpm *l, const struct lpm_key *k, uint32_t val, uint32_t *cap)
{
	uint32_t node = 0, start, count;
	int level = l->skip, r;

	while (k->len > 8 * (level + 1)) {
		uint32_t *e = &l->trie[(size_t)node * 256 + k->addr[level]];

		if (!(*e & LPM_CHILD)) {
			uint32_t child;
			int rc = trie_node(l, *e, cap, &child);

			if (rc)
				return rc;
			e = &l->trie[(size_t)node * 256 + k->addr[level]]; /* trie moved */
			*e = LPM_CHILD | child;
		}
		node = *e & ~LPM_CHILD;
		level++;
	}
	r = k->len - 8 * level; /* bits of the prefix in this byte: 0..8 */
	start = r ? k->addr[level] & (0xffu << (8 - r)) & 0xffu : 0;
	count = 1u << (8 - r);
	for (uint32_t i = start; i < start + count; i++)
		l->trie[(size_t)node * 256 + i] = val + 1;
	return 0;
}

int lpm_compile(struct lpm *l)
{
	struct lpm_key *keys = NULL;
	uint32_t *vals = NULL, start[130] = {0}, cap = 0, root, n = l->h.count;
	int rc = -ENOMEM;

	free(l->trie);
	l->trie = NULL;
	l->n_nodes = 0;
	keys = malloc((n + 1) * sizeof(*keys));
	vals = malloc((n + 1) * sizeof(*vals));
	if (!keys || !vals)
		goto out;
	/* counting sort by length: shorter prefixes go in first */
	for (uint32_t i = 0; i < l->h.cap; i++)
		if (l->h.tags[i])
			start[l->h.keys[(size_t)i * l->h.key_size] + 1]++;
	for (int len = 1; len < 130; len++)
		start[len] += start[len - 1];
	for (uint32_t i = 0; i < l->h.cap; i++) {
		const uint8_t *k = l->h.keys + (size_t)i * l->h.key_size;
		uint32_t at;

		if (!l->h.tags[i])
			continue;
		at = start[k[0]]++;
		memcpy(&keys[at], k, sizeof(keys[0]));
		vals[at] = l->h.vals[i];
	}
	/* whole bytes shared by every prefix, up to the shortest one */
	l->skip = 0;
	if (n) {
		int lim = keys[0].len / 8; /* keys[0] is the shortest */

		while (l->skip < lim && l->skip < l->addr_len - 1) {
			uint8_t b = keys[0].addr[l->skip];
			uint32_t i;

			for (i = 1; i < n && keys[i].addr[l->skip] == b; i++)
				;
			if (i < n)
				break;
			l->skip_bytes[l->skip++] = b;
		}
	}
	rc = trie_node(l, 0, &cap, &root);
	for (uint32_t i = 0; !rc && i < n; i++)
		rc = trie_insert(l, &keys[i], vals[i], &cap);
	if (rc) {
		free(l->trie);
		l->trie = NULL;
		l->n_nodes = 0;
	}
out:
	free(keys);
	free(vals);
	return rc;
}
