/* One direction of an emulated link: loss, a token bucket with a bounded
 * FIFO in front of it, and a delay line ordered by release time.
 *
 *   rx -> loss (random, seeded) -> token bucket [FIFO of queue_max frames]
 *      -> delay line [heap of delay_max frames, by release time] -> tx
 *
 * Frames live in a pool allocated once at start (queue_max + delay_max
 * slots): no allocation on the packet path. Time is CLOCK_MONOTONIC ns. */
#ifndef SRCHAIN_SRLINK_EMU_H
#define SRCHAIN_SRLINK_EMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A slot holds the virtio-net header AF_PACKET prepends and the frame. */
#define EMU_SLOT_SIZE 9216
#define EMU_QUEUE_MAX 100000

struct emu_params {
	uint64_t delay_ns, jitter_ns;
	double loss;	      /* probability, 0..1 */
	uint64_t rate_bps;    /* bits per second, 0: unlimited */
	uint64_t burst_bytes; /* token bucket depth */
	uint32_t queue_max;   /* frames waiting for tokens */
	uint32_t delay_max;   /* frames in the delay line */
	uint64_t seed;
};

struct emu_counters {
	uint64_t rx, rx_bytes, tx, tx_bytes, lost, queue_drops, delay_drops, tx_errors, oversize;
};

struct emu_slot {
	uint64_t release_ns, seq;
	uint32_t len; /* bytes in data, virtio-net header included */
	uint8_t data[EMU_SLOT_SIZE];
};

struct emu_dir {
	struct emu_params p;
	struct emu_counters c;
	uint64_t rng;
	struct emu_slot *slots;
	uint32_t *free_list, n_free;
	uint32_t *fifo, fifo_head, fifo_len; /* ring of slot indices */
	uint32_t *heap, heap_len;	     /* min-heap on (release_ns, seq) */
	double tokens;			     /* bytes */
	uint64_t tokens_ns;		     /* last refill */
	uint64_t seq;
};

/* Sends one frame (len bytes of data, header included); false if it failed. */
typedef bool (*emu_tx_fn)(void *ctx, const uint8_t *data, uint32_t len);

/* Allocates the pool of a direction: 0 or -ENOMEM. */
int emu_init(struct emu_dir *d, const struct emu_params *p, uint64_t now_ns);
/* Releases the pool. */
void emu_free(struct emu_dir *d);

/* A free slot to receive into, or NULL when every slot is taken (the frame
 * is then read into a scratch buffer and dropped). */
struct emu_slot *emu_slot_get(struct emu_dir *d);
/* Returns an unused slot to the pool. */
void emu_slot_put(struct emu_dir *d, struct emu_slot *s);
/* Hands a received slot (len set) to the pipeline at time now; frames that
 * need no wait are sent through tx at once. */
void emu_input(struct emu_dir *d, struct emu_slot *s, uint64_t now_ns, emu_tx_fn tx, void *ctx);
/* Moves what is due at now from the bucket to the delay line and from the
 * delay line to tx; returns the next time something is due (UINT64_MAX:
 * nothing waits). */
uint64_t emu_service(struct emu_dir *d, uint64_t now_ns, emu_tx_fn tx, void *ctx);

/* Frame bytes of a slot (without the virtio-net header). */
uint32_t emu_frame_len(const struct emu_slot *s);

#endif
