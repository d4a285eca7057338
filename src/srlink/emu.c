/* Link emulation of one direction: loss, token bucket, delay line. */
#include <errno.h>
#include <linux/virtio_net.h>
#include <stdlib.h>
#include <string.h>

#include "srlink/emu.h"

/* splitmix64: spreads a small seed over the state of the generator below. */
static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* xorshift64*: a uniform double in [0, 1). */
static double rng_unit(struct emu_dir *d)
{
	d->rng ^= d->rng >> 12;
	d->rng ^= d->rng << 25;
	d->rng ^= d->rng >> 27;
	return (double)((d->rng * 0x2545f4914f6cdd1dull) >> 11) * 0x1.0p-53;
}

int emu_init(struct emu_dir *d, const struct emu_params *p, uint64_t now_ns)
{
	uint32_t n = p->queue_max + p->delay_max + 1;
	uint64_t s = p->seed;

	memset(d, 0, sizeof(*d));
	d->p = *p;
	d->rng = splitmix64(&s);
	if (!d->rng)
		d->rng = 1;
	d->slots = calloc(n, sizeof(*d->slots));
	d->free_list = calloc(n, sizeof(uint32_t));
	d->fifo = calloc(p->queue_max + 1, sizeof(uint32_t));
	d->heap = calloc(p->delay_max + 1, sizeof(uint32_t));
	if (!d->slots || !d->free_list || !d->fifo || !d->heap) {
		emu_free(d);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < n; i++)
		d->free_list[d->n_free++] = n - 1 - i;
	d->tokens = (double)p->burst_bytes;
	d->tokens_ns = now_ns;
	return 0;
}

void emu_free(struct emu_dir *d)
{
	free(d->slots);
	free(d->free_list);
	free(d->fifo);
	free(d->heap);
	d->slots = NULL;
	d->free_list = d->fifo = d->heap = NULL;
}

struct emu_slot *emu_slot_get(struct emu_dir *d)
{
	if (!d->n_free)
		return NULL;
	return &d->slots[d->free_list[--d->n_free]];
}

void emu_slot_put(struct emu_dir *d, struct emu_slot *s)
{
	d->free_list[d->n_free++] = (uint32_t)(s - d->slots);
}

uint32_t emu_frame_len(const struct emu_slot *s)
{
	return s->len > sizeof(struct virtio_net_hdr) ? s->len - sizeof(struct virtio_net_hdr) : 0;
}

static void transmit(struct emu_dir *d, struct emu_slot *s, emu_tx_fn tx, void *ctx)
{
	if (tx(ctx, s->data, s->len)) {
		d->c.tx++;
		d->c.tx_bytes += emu_frame_len(s);
	} else {
		d->c.tx_errors++;
	}
	emu_slot_put(d, s);
}

/* Heap order: release time, then arrival (equal times keep their order). */
static bool heap_less(const struct emu_dir *d, uint32_t a, uint32_t b)
{
	const struct emu_slot *x = &d->slots[a], *y = &d->slots[b];

	return x->release_ns < y->release_ns || (x->release_ns == y->release_ns && x->seq < y->seq);
}

static void heap_push(struct emu_dir *d, uint32_t idx)
{
	uint32_t i = d->heap_len++;

	d->heap[i] = idx;
	while (i > 0) {
		uint32_t parent = (i - 1) / 2;

		if (!heap_less(d, d->heap[i], d->heap[parent]))
			break;
		d->heap[i] = d->heap[parent];
		d->heap[parent] = idx;
		i = parent;
	}
}

static uint32_t heap_pop(struct emu_dir *d)
{
	uint32_t top = d->heap[0], i = 0;

	d->heap[0] = d->heap[--d->heap_len];
	for (;;) {
		uint32_t l = 2 * i + 1, r = l + 1, m = i, tmp;

		if (l < d->heap_len && heap_less(d, d->heap[l], d->heap[m]))
			m = l;
		if (r < d->heap_len && heap_less(d, d->heap[r], d->heap[m]))
			m = r;
		if (m == i)
			break;
		tmp = d->heap[i];
		d->heap[i] = d->heap[m];
		d->heap[m] = tmp;
		i = m;
	}
	return top;
}

/* A frame that leaves the bucket at now enters the delay line. */
static void to_delay(struct emu_dir *d, struct emu_slot *s, uint64_t now, emu_tx_fn tx, void *ctx)
{
	int64_t delay = (int64_t)d->p.delay_ns;

	if (!d->p.delay_ns && !d->p.jitter_ns) {
		transmit(d, s, tx, ctx);
		return;
	}
	if (d->heap_len >= d->p.delay_max) {
		d->c.delay_drops++;
		emu_slot_put(d, s);
		return;
	}
	if (d->p.jitter_ns) {
		/* uniform in [delay - jitter, delay + jitter], never negative */
		double span = 2.0 * (double)d->p.jitter_ns + 1.0;

		delay += (int64_t)(rng_unit(d) * span) - (int64_t)d->p.jitter_ns;
		if (delay < 0)
			delay = 0;
	}
	s->release_ns = now + (uint64_t)delay;
	s->seq = d->seq++;
	heap_push(d, (uint32_t)(s - d->slots));
}

static void refill(struct emu_dir *d, uint64_t now)
{
	if (now <= d->tokens_ns)
		return;
	d->tokens += (double)(now - d->tokens_ns) * (double)d->p.rate_bps / 8e9;
	if (d->tokens > (double)d->p.burst_bytes)
		d->tokens = (double)d->p.burst_bytes;
	d->tokens_ns = now;
}

void emu_input(struct emu_dir *d, struct emu_slot *s, uint64_t now, emu_tx_fn tx, void *ctx)
{
	uint32_t len = emu_frame_len(s);

	d->c.rx++;
	d->c.rx_bytes += len;
	if (d->p.loss > 0 && rng_unit(d) < d->p.loss) {
		d->c.lost++;
		emu_slot_put(d, s);
		return;
	}
	if (!d->p.rate_bps) {
		to_delay(d, s, now, tx, ctx);
		return;
	}
	refill(d, now);
	if (d->fifo_len == 0 && d->tokens >= (double)len) {
		d->tokens -= (double)len;
		to_delay(d, s, now, tx, ctx);
		return;
	}
	if (d->fifo_len >= d->p.queue_max) {
		d->c.queue_drops++;
		emu_slot_put(d, s);
		return;
	}
	d->fifo[(d->fifo_head + d->fifo_len++) % (d->p.queue_max + 1)] = (uint32_t)(s - d->slots);
}

uint64_t emu_service(struct emu_dir *d, uint64_t now, emu_tx_fn tx, void *ctx)
{
	uint64_t next = UINT64_MAX;

	if (d->fifo_len) {
		refill(d, now);
		while (d->fifo_len) {
			struct emu_slot *s = &d->slots[d->fifo[d->fifo_head]];
			uint32_t len = emu_frame_len(s);

			if (d->tokens < (double)len) {
				/* due when the bucket holds len bytes again */
				double wait =
					((double)len - d->tokens) * 8e9 / (double)d->p.rate_bps;

				next = now + (uint64_t)wait + 1;
				break;
			}
			d->tokens -= (double)len;
			d->fifo_head = (d->fifo_head + 1) % (d->p.queue_max + 1);
			d->fifo_len--;
			to_delay(d, s, now, tx, ctx);
		}
	}
	while (d->heap_len && d->slots[d->heap[0]].release_ns <= now)
		transmit(d, &d->slots[heap_pop(d)], tx, ctx);
	if (d->heap_len && d->slots[d->heap[0]].release_ns < next)
		next = d->slots[d->heap[0]].release_ns;
	return next;
}
