/* Table set -> plain lists for the XDP steering program (see xdp_maps.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dp/tables.h"
#include "io/xdp/loader.h"
#include "io/xdp/steer.h"
#include "srchaind/xdp_maps.h"

_Static_assert(STEER_PORTS_MAX == DP_IF_MAX, "one map slot per interface");

/* Copies the keys of h (key_size bytes each, at most h->count) to out. */
static uint32_t hash_keys(const struct xhash *h, uint8_t *out)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < h->cap && n < h->count; i++)
		if (h->tags[i])
			memcpy(out + (size_t)n++ * h->key_size, h->keys + (size_t)i * h->key_size,
			       h->key_size);
	return n;
}

int xdp_maps_sync(struct io_xdp *x, const struct dp_tables *t, struct err *err)
{
	struct io_xdp_port ports[DP_IF_MAX] = {{{0}}};
	struct io_xdp_state s = {.ports = ports, .n_port = t->n_if};
	struct io_xdp_sid *sids;
	uint8_t(*l4)[4], (*l6)[16];
	int rc;

	if (t->local4.key_size != sizeof(*l4) || t->local6.key_size != sizeof(*l6))
		return err_set(err, EINVAL, "XDP maps: local address tables of %u/%u-byte keys",
			       t->local4.key_size, t->local6.key_size);
	/* one extra each: calloc(0) may return NULL */
	sids = calloc((size_t)t->n_sid + 1, sizeof(*sids));
	l4 = calloc((size_t)t->local4.count + 1, sizeof(*l4));
	l6 = calloc((size_t)t->local6.count + 1, sizeof(*l6));
	if (!sids || !l4 || !l6) {
		rc = err_set(err, ENOMEM, "out of memory");
		goto out;
	}
	for (uint32_t i = 0; i < t->n_sid; i++) {
		memcpy(sids[i].addr, &t->sid[i].sid, sizeof(sids[i].addr));
		sids[i].len = t->sid[i].sid_len;
	}
	s.sids = sids;
	s.n_sid = t->n_sid;
	s.local4 = (const uint8_t(*)[4])l4;
	s.n_local4 = hash_keys(&t->local4, &l4[0][0]);
	s.local6 = (const uint8_t(*)[16])l6;
	s.n_local6 = hash_keys(&t->local6, &l6[0][0]);
	for (uint32_t i = 0; i < t->n_if && i < DP_IF_MAX; i++) {
		memcpy(ports[i].mac, t->ifs[i].mac, sizeof(ports[i].mac));
		ports[i].classify = t->ifs[i].classify;
	}
	rc = io_xdp_sync(x, &s, err);
out:
	free(sids);
	free(l4);
	free(l6);
	return rc;
}
