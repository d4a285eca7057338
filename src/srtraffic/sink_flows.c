/* srtraffic recv: the flow table and per-packet accounting. A flow is created
 * (and its memory allocated) by its first packet; nothing else allocates. */
#include <netinet/in.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "srtraffic/sink.h"

_Static_assert((SINK_INDEX_SIZE & (SINK_INDEX_SIZE - 1)) == 0 && SINK_INDEX_SIZE > SINK_MAX_FLOWS,
	       "index must be a power of two larger than the flow table");

void sink_flows_init(struct sink *s)
{
	uint64_t cap = SINK_SERIES_MAX;

	s->n_flows = 0;
	memset(s->index, 0, sizeof(s->index));
	s->series_left = SINK_SERIES_ALL;
	s->series_cap = 0;
	if (!s->o.series_ns)
		return;
	/* A known run length sizes the series exactly; otherwise one hour. */
	if (s->o.duration_ns)
		cap = s->o.duration_ns / s->o.series_ns + 2;
	else
		cap = 3600000000000ull / s->o.series_ns + 1;
	if (cap > SINK_SERIES_MAX)
		cap = SINK_SERIES_MAX;
	s->series_cap = (uint32_t)cap;
}

void sink_flows_fini(struct sink *s)
{
	for (uint32_t i = 0; i < s->n_flows; i++) {
		flowstats_series_fini(&s->flows[i]->series);
		free(s->flows[i]);
	}
	s->n_flows = 0;
}

/* splitmix64's finaliser over the packed key: flow ids are often sequential. */
static uint32_t key_hash(uint32_t id, uint8_t proto, uint16_t dport)
{
	uint64_t h = (uint64_t)id << 24 | (uint64_t)dport << 8 | proto;

	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebull;
	h ^= h >> 31;
	return (uint32_t)h;
}

static struct sink_flow *flow_create(struct sink *s, uint32_t id, uint8_t proto, uint16_t dport,
				     const struct sockaddr *peer, uint64_t now)
{
	struct sink_flow *f;
	uint32_t cap = s->series_cap;

	if (s->n_flows == SINK_MAX_FLOWS)
		return NULL;
	f = malloc(sizeof(*f));
	if (!f)
		return NULL;
	memset(f, 0, offsetof(struct sink_flow, st));
	flowstats_init(&f->st);
	f->flow_id = id;
	f->proto = proto;
	f->dport = dport;
	memcpy(&f->peer, peer,
	       peer->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
					   : sizeof(struct sockaddr_in));
	f->first_ns = now;
	if (cap > s->series_left)
		cap = (uint32_t)s->series_left;
	/* Series intervals count from the sink's start, so all flows line up. */
	if (s->o.series_ns &&
	    flowstats_series_init(&f->series, (now - s->start_ns) / s->o.series_ns, cap) == 0)
		s->series_left -= cap;
	return f;
}

static struct sink_flow *flow_get(struct sink *s, uint32_t id, uint8_t proto, uint16_t dport,
				  const struct sockaddr *peer, uint64_t now)
{
	uint32_t i = key_hash(id, proto, dport) & (SINK_INDEX_SIZE - 1);
	struct sink_flow *f;

	/* The index is never more than half full, so an empty slot ends the probe. */
	for (;; i = (i + 1) & (SINK_INDEX_SIZE - 1)) {
		uint16_t pos = s->index[i];

		if (!pos)
			break;
		f = s->flows[pos - 1];
		if (f->flow_id == id && f->proto == proto && f->dport == dport)
			return f;
	}
	f = flow_create(s, id, proto, dport, peer, now);
	if (!f)
		return NULL;
	s->flows[s->n_flows++] = f;
	s->index[i] = (uint16_t)s->n_flows;
	return f;
}

void sink_account(struct sink *s, const struct srt_hdr *h, uint8_t proto, uint16_t dport,
		  const struct sockaddr *peer, uint64_t now, uint64_t bytes)
{
	struct sink_flow *f = flow_get(s, h->flow_id, proto, dport, peer, now);
	enum flowstats_verdict v;
	uint64_t lat = 0;

	s->last_rx_ns = now;
	if (!f) {
		s->c.untracked++;
		return;
	}
	s->c.packets++;
	s->c.bytes += bytes;
	f->bytes += bytes;
	f->last_ns = now;
	if (now >= h->tx_ns)
		lat = now - h->tx_ns;
	else
		s->c.clock_behind++;
	v = flowstats_seq(&f->st, h->seq);
	/* A duplicate's latency says nothing new about the path the flow took. */
	if (v != FLOWSTATS_DUPLICATE) {
		flowstats_hist_add(&f->st.latency, lat);
		flowstats_hist_add(&s->all_latency, lat);
	}
	if (h->flags & SRT_FLAG_FIN)
		flowstats_fin(&f->st, h->total);
	if (s->o.series_ns)
		flowstats_series_add(&f->series, (now - s->start_ns) / s->o.series_ns,
				     v != FLOWSTATS_DUPLICATE, lat);
}
