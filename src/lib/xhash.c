#include <errno.h>
#include <stdlib.h>

#include "lib/xhash.h"

static int xhash_alloc(struct xhash *h, uint32_t key_size, uint32_t cap)
{
	h->key_size = key_size;
	h->cap = cap;
	h->count = 0;
	h->keys = calloc(cap, key_size);
	h->vals = calloc(cap, sizeof(*h->vals));
	h->tags = calloc(cap, sizeof(*h->tags));
	if (!h->keys || !h->vals || !h->tags) {
		xhash_free(h);
		return -ENOMEM;
	}
	return 0;
}

int xhash_init(struct xhash *h, uint32_t key_size, uint32_t expect)
{
	uint32_t cap = 16;

	if (!key_size || key_size > XHASH_KEY_MAX)
		return -EINVAL;
	while (cap < expect * 2 && cap < (1u << 30))
		cap <<= 1;
	return xhash_alloc(h, key_size, cap);
}

void xhash_free(struct xhash *h)
{
	free(h->keys);
	free(h->vals);
	free(h->tags);
	h->keys = NULL;
	h->vals = NULL;
	h->tags = NULL;
	h->cap = 0;
	h->count = 0;
}

static void xhash_insert_new(struct xhash *h, const void *key, uint32_t tag, uint32_t val)
{
	uint32_t i;

	for (i = tag & (h->cap - 1); h->tags[i]; i = (i + 1) & (h->cap - 1))
		;
	h->tags[i] = tag;
	h->vals[i] = val;
	memcpy(h->keys + (size_t)i * h->key_size, key, h->key_size);
	h->count++;
}

static int xhash_grow(struct xhash *h)
{
	struct xhash n;
	int rc;

	if (h->cap >= (1u << 30))
		return -ENOSPC;
	rc = xhash_alloc(&n, h->key_size, h->cap * 2);
	if (rc)
		return rc;
	for (uint32_t i = 0; i < h->cap; i++)
		if (h->tags[i])
			xhash_insert_new(&n, h->keys + (size_t)i * h->key_size, h->tags[i],
					 h->vals[i]);
	xhash_free(h);
	*h = n;
	return 0;
}

int xhash_put(struct xhash *h, const void *key, uint32_t val)
{
	uint32_t hv, tag, i;

	if (!h->cap)
		return -EINVAL;
	hv = xhash_bytes(key, h->key_size);
	tag = hv | 1;
	for (i = tag & (h->cap - 1); h->tags[i]; i = (i + 1) & (h->cap - 1)) {
		if (h->tags[i] == tag &&
		    !memcmp(h->keys + (size_t)i * h->key_size, key, h->key_size)) {
			h->vals[i] = val;
			return 0;
		}
	}
	if ((h->count + 1) * 2 > h->cap) {
		int rc = xhash_grow(h);

		if (rc)
			return rc;
	}
	xhash_insert_new(h, key, tag, val);
	return 0;
}
