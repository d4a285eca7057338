/* AF_XDP backend: sockets, UMEM and rings. The steering program that
 * redirects packets to these sockets is loaded and attached by
 * io/xdp/loader.c; a port registers its socket in the program's socket map.
 *
 * Memory: one UMEM per rx queue index, shared (XDP_SHARED_UMEM) by the
 * sockets of all interfaces on that queue, all owned by one worker. A
 * packet forwarded to another interface is put on that socket's tx ring
 * as the frame it arrived in: no copy in userspace. (Separate UMEMs per
 * port would cost a memcpy per forwarded packet, and srchaind forwards
 * almost every packet to another port.) Frames from elsewhere (function
 * copies) are copied into a free UMEM frame.
 *
 * Frames: every frame is in one of four states. FREE frames sit on a
 * stack; the fill ring gets up to RX_RING of them per socket (KERNEL);
 * received frames are HELD by the data plane until the next rx_burst on
 * that port, which recycles them unless tx_burst has put them on a tx
 * ring (TX), from which the completion ring returns them. The UMEM has
 * room for every socket's fill budget, tx ring and held burst, so the fill
 * rings never starve while frames wait elsewhere.
 *
 * Checksums: a TCP/UDP packet sent by a Linux stack over veth (or any
 * device with tx checksum offload) may carry only its pseudo-header sum in
 * the checksum field (CHECKSUM_PARTIAL); the kernel would finish it on a
 * real NIC, and AF_PACKET tells us (virtio header), but XDP and AF_XDP say
 * nothing. So rx completes such checksums (pkt/csum_complete.h) on the
 * ports where they can occur: generic XDP and virtual drivers, as the
 * loader found out. Counted as csum_fixed.
 *
 * Syscalls: none per packet. The fill and completion rings are handled in
 * userspace; tx needs a sendto() when the kernel asks for one
 * (need_wakeup; always in copy mode, where sendto() does the sending); an
 * empty rx ring whose fill ring asks for a wakeup gets a recvfrom(); idle
 * workers sleep in poll(). No busy polling.
 */
#include <errno.h>
#include <linux/if_xdp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <xdp/xsk.h>

#include "io/io.h"
#include "io/xdp/loader.h"
#include "io/xdp/steer.h"
#include "pkt/csum_complete.h"
#include "pkt/pbuf.h"

#define RX_RING	       1024u /* rx and fill ring entries, also the fill budget */
#define TX_RING	       512u  /* tx and completion ring entries */
#define FRAMES_SPARE   256u  /* per UMEM: copies of function output */
#define KICK_TRIES     64u   /* sendto() calls per tx burst at most */
#define FRAME_HEADROOM (PKT_HEADROOM - XDP_PACKET_HEADROOM)

_Static_assert(PKT_FRAME_SIZE == 4096, "UMEM chunks are frames");
_Static_assert(PKT_HEADROOM >= XDP_PACKET_HEADROOM, "headroom holds XDP's");
_Static_assert(STEER_LEN_MAX == PKT_MAX_LEN, "steer.h agrees with pbuf.h");

enum frame_state { FRAME_FREE, FRAME_KERNEL, FRAME_HELD, FRAME_TX };

struct xdp_umem {
	struct xsk_umem *umem;
	uint8_t *area;
	uint64_t size;
	uint32_t n_frames;
	uint32_t n_free;
	uint64_t *free; /* chunk addresses */
	uint8_t *state; /* enum frame_state per chunk */
	uint32_t users;
	uint32_t queue;
	/* the first socket takes these over (libxdp copies them) */
	struct xsk_ring_prod fq0;
	struct xsk_ring_cons cq0;
};

struct xdp_port {
	struct io_port base;
	struct io_xdp *x;
	struct xdp_umem *u;
	struct xsk_socket *xsk;
	struct xsk_ring_cons rx, cq;
	struct xsk_ring_prod tx, fq;
	uint32_t slot, queue, burst;
	int csum_partial;  /* complete partial checksums (io_xdp_dev.csum_partial) */
	uint32_t fill_out; /* frames in the fill or rx ring */
	uint32_t tx_out;   /* frames on the tx ring or not yet completed */
	int copy_mode;
	uint32_t n_held;
	uint64_t held[IO_BURST_MAX];
	struct pkt desc[IO_BURST_MAX];
};

/* ---- UMEM and frames (worker thread, after open) ---- */

static struct xdp_umem *umem_get(struct io_xdp *x, uint32_t queue, int *rc, struct err *err)
{
	struct xsk_umem_config cfg = {
		.fill_size = RX_RING,
		.comp_size = TX_RING,
		.frame_size = PKT_FRAME_SIZE,
		.frame_headroom = FRAME_HEADROOM,
	};
	void **slot = io_xdp_queue_state(x, queue);
	struct xdp_umem *u = *slot;
	int e;

	if (u)
		return u;
	*rc = 0;
	u = calloc(1, sizeof(*u));
	if (!u) {
		*rc = err_set(err, ENOMEM, "out of memory");
		return NULL;
	}
	u->queue = queue;
	u->n_frames = io_xdp_n_dev(x) * (RX_RING + TX_RING + IO_BURST_MAX) + FRAMES_SPARE;
	u->size = (uint64_t)u->n_frames * PKT_FRAME_SIZE;
	u->area = mmap(NULL, u->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	u->free = calloc(u->n_frames, sizeof(*u->free));
	u->state = calloc(u->n_frames, 1);
	if (u->area == MAP_FAILED || !u->free || !u->state) {
		if (u->area == MAP_FAILED)
			u->area = NULL;
		*rc = err_set(err, ENOMEM, "AF_XDP: cannot allocate %llu MiB of UMEM",
			      (unsigned long long)(u->size >> 20));
		goto err_free;
	}
	e = xsk_umem__create(&u->umem, u->area, u->size, &u->fq0, &u->cq0, &cfg);
	if (e) {
		u->umem = NULL;
		*rc = err_set(err, -e, "AF_XDP: UMEM registration: %s", strerror(-e));
		goto err_free;
	}
	/* lowest addresses on top: the first fills touch the first pages */
	for (uint32_t i = u->n_frames; i-- > 0;)
		u->free[u->n_free++] = (uint64_t)i * PKT_FRAME_SIZE;
	*slot = u;
	return u;
err_free:
	if (u->area)
		munmap(u->area, u->size);
	free(u->free);
	free(u->state);
	free(u);
	return NULL;
}

static inline uint32_t frame_idx(uint64_t addr)
{
	return (uint32_t)(addr / PKT_FRAME_SIZE);
}

static inline void frame_put(struct xdp_umem *u, uint64_t base)
{
	u->state[frame_idx(base)] = FRAME_FREE;
	u->free[u->n_free++] = base;
}

/* Returns completed tx frames to the free stack. */
static void xsk_complete(struct xdp_port *p)
{
	struct xdp_umem *u = p->u;
	uint32_t idx, n = xsk_ring_cons__peek(&p->cq, TX_RING, &idx);

	for (uint32_t i = 0; i < n; i++) {
		uint64_t base = *xsk_ring_cons__comp_addr(&p->cq, idx + i) &
				~(uint64_t)(PKT_FRAME_SIZE - 1);

		if (base < u->size && u->state[frame_idx(base)] == FRAME_TX)
			frame_put(u, base);
		else
			p->base.stats.tx_errors++; /* the kernel returned what we never sent */
	}
	if (n) {
		xsk_ring_cons__release(&p->cq, n);
		p->tx_out -= n < p->tx_out ? n : p->tx_out;
	}
}

/* Tops the fill ring up to its budget, keeping a burst of frames for copies. */
static void xsk_refill(struct xdp_port *p)
{
	struct xdp_umem *u = p->u;
	uint32_t want = RX_RING - p->fill_out, idx;

	if (u->n_free <= IO_BURST_MAX)
		return;
	if (want > u->n_free - IO_BURST_MAX)
		want = u->n_free - IO_BURST_MAX;
	if (!want || xsk_ring_prod__reserve(&p->fq, want, &idx) != want)
		return;
	for (uint32_t i = 0; i < want; i++) {
		uint64_t base = u->free[--u->n_free];

		u->state[frame_idx(base)] = FRAME_KERNEL;
		*xsk_ring_prod__fill_addr(&p->fq, idx + i) = base;
	}
	xsk_ring_prod__submit(&p->fq, want);
	p->fill_out += want;
}

static int xsk_rx_burst(struct io_port *port, struct pkt **pkts, uint32_t max)
{
	struct xdp_port *p = (struct xdp_port *)port;
	struct xdp_umem *u = p->u;
	uint32_t n, idx, out = 0;
	struct timespec now;
	uint64_t ts;

	/* the previous burst is done with, except what went to a tx ring */
	for (uint32_t i = 0; i < p->n_held; i++)
		if (u->state[frame_idx(p->held[i])] == FRAME_HELD)
			frame_put(u, p->held[i]);
	p->n_held = 0;
	xsk_complete(p);
	xsk_refill(p);
	n = xsk_ring_cons__peek(&p->rx, max < p->burst ? max : p->burst, &idx);
	if (!n) {
		/* a zero-copy driver that ran out of fill entries waits for us */
		if (xsk_ring_prod__needs_wakeup(&p->fq))
			recvfrom(port->fd, NULL, 0, MSG_DONTWAIT, NULL, NULL);
		return 0;
	}
	clock_gettime(CLOCK_REALTIME, &now);
	ts = (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
	for (uint32_t i = 0; i < n; i++) {
		const struct xdp_desc *rd = xsk_ring_cons__rx_desc(&p->rx, idx + i);
		uint64_t base = rd->addr & ~(uint64_t)(PKT_FRAME_SIZE - 1);
		uint32_t off = (uint32_t)(rd->addr - base);
		struct pkt *d = &p->desc[out];

		u->state[frame_idx(base)] = FRAME_HELD;
		p->held[p->n_held++] = base;
		if (off + rd->len > PKT_FRAME_SIZE) {
			port->stats.rx_truncated++;
			continue;
		}
		memset(&d->ts, 0, sizeof(*d) - offsetof(struct pkt, ts));
		d->frame = u->area + base;
		d->addr = base;
		d->off = off;
		d->len = rd->len;
		d->ts = ts;
		d->in_if = port->in_if;
		if (p->csum_partial && csum_complete_frame(d->frame + off, rd->len))
			port->stats.rx_csum_fixed++;
		port->stats.rx_pkts++;
		port->stats.rx_bytes += rd->len;
		pkts[out++] = d;
	}
	xsk_ring_cons__release(&p->rx, n);
	p->fill_out -= n;
	xsk_refill(p);
	return (int)out;
}

/* Has the kernel send what is on the tx ring. In copy mode each sendto()
 * sends a bounded batch and says EAGAIN while more is queued. */
static void xsk_kick(struct xdp_port *p)
{
	if (!p->copy_mode && !xsk_ring_prod__needs_wakeup(&p->tx))
		return;
	for (uint32_t i = 0; i < KICK_TRIES; i++) {
		if (sendto(p->base.fd, NULL, 0, MSG_DONTWAIT, NULL, 0) >= 0)
			return;
		if (errno != EAGAIN && errno != EINTR && errno != EBUSY)
			return; /* ENETDOWN, ENOBUFS: the ring keeps them for the next kick */
		if (errno == EBUSY || errno == EAGAIN)
			xsk_complete(p); /* completion ring full? make room */
	}
}

/* A frame of this UMEM that a port of ours received: sent in place. */
static inline int frame_held(const struct xdp_umem *u, const struct pkt *q)
{
	return q->frame >= u->area && q->frame < u->area + u->size &&
	       (size_t)(q->frame - u->area) % PKT_FRAME_SIZE == 0 &&
	       u->state[frame_idx((uint64_t)(q->frame - u->area))] == FRAME_HELD;
}

static uint32_t xsk_tx_burst(struct io_port *port, struct pkt *const *pkts, uint32_t n)
{
	struct xdp_port *p = (struct xdp_port *)port;
	struct xdp_umem *u = p->u;
	uint32_t k, idx, copies = 0, room;

	xsk_complete(p);
	room = TX_RING - p->tx_out;
	k = n < room ? n : room;
	/* how many fit: in-place frames always, copies while frames last */
	for (uint32_t i = 0; i < k; i++) {
		const struct pkt *q = pkts[i];

		if (frame_held(u, q))
			continue;
		if (copies == u->n_free || q->len > PKT_MAX_LEN) {
			k = i;
			break;
		}
		copies++;
	}
	if (k && xsk_ring_prod__reserve(&p->tx, k, &idx) != k)
		k = 0;
	for (uint32_t i = 0; i < k; i++) {
		const struct pkt *q = pkts[i];
		struct xdp_desc *td = xsk_ring_prod__tx_desc(&p->tx, idx + i);
		uint64_t base;
		uint32_t off;

		if (frame_held(u, q)) {
			base = (uint64_t)(q->frame - u->area);
			off = q->off;
		} else {
			base = u->free[--u->n_free];
			off = PKT_HEADROOM;
			memcpy(u->area + base + off, pkt_data(q), q->len);
		}
		u->state[frame_idx(base)] = FRAME_TX;
		td->addr = base + off;
		td->len = q->len;
		td->options = 0;
		port->stats.tx_pkts++;
		port->stats.tx_bytes += q->len;
	}
	if (k) {
		xsk_ring_prod__submit(&p->tx, k);
		p->tx_out += k;
		xsk_kick(p);
	}
	port->stats.tx_errors += n - k; /* ring or frames exhausted: dropped */
	return k;
}

static void xsk_stats(struct io_port *port)
{
	struct xdp_port *p = (struct xdp_port *)port;
	struct xdp_statistics st;
	socklen_t l = sizeof(st);
	uint64_t passed = 0, too_big = 0;

	/* cumulative in the kernel: assign */
	if (!getsockopt(port->fd, SOL_XDP, XDP_STATISTICS, &st, &l))
		port->stats.rx_kernel_drops = st.rx_dropped + st.rx_ring_full;
	/* the program counts per interface, not per queue: report on queue 0 */
	if (p->queue != 0)
		return;
	for (uint32_t verdict = STEER_V_REDIRECTED_MAX; verdict < STEER_V_MAX; verdict++) {
		uint64_t sum;

		if (io_xdp_verdicts(p->x, p->slot, verdict, &sum))
			continue;
		if (verdict == STEER_V_TOO_BIG)
			too_big = sum;
		else
			passed += sum;
	}
	port->stats.rx_not_ours = passed;
	port->stats.rx_truncated = too_big;
}

static void xsk_close(struct io_port *port)
{
	struct xdp_port *p = (struct xdp_port *)port;

	if (p->xsk)
		xsk_socket__delete(p->xsk);
	if (p->u && --p->u->users == 0) {
		struct xdp_umem *u = p->u;

		*io_xdp_queue_state(p->x, u->queue) = NULL;
		if (u->umem)
			xsk_umem__delete(u->umem);
		munmap(u->area, u->size);
		free(u->free);
		free(u->state);
		free(u);
	}
	free(p);
}

static int xsk_open(struct io_port **port, const char *ifname, const struct io_opts *o,
		    struct err *err)
{
	struct io_xdp *x = o->xdp;
	struct xsk_socket_config cfg = {
		.rx_size = RX_RING,
		.tx_size = TX_RING,
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
		.bind_flags = XDP_USE_NEED_WAKEUP,
	};
	struct xdp_options xo;
	socklen_t l = sizeof(xo);
	struct xdp_port *p;
	struct io_xdp_dev dev;
	int rc, fd;

	if (!x)
		return err_set(err, EINVAL, "%s: AF_XDP port without a program (io_xdp_open)",
			       ifname);
	if (io_xdp_dev_find(x, ifname, &dev))
		return err_set(err, ENODEV, "%s: XDP program not attached here", ifname);
	if (o->queue >= io_xdp_queues(x))
		return err_set(err, EINVAL, "%s: no rx queue %u (AF_XDP: %u)", ifname, o->queue,
			       io_xdp_queues(x));
	p = calloc(1, sizeof(*p));
	if (!p)
		return err_set(err, ENOMEM, "out of memory");
	p->base.ops = &io_afxdp_ops;
	p->base.fd = -1;
	snprintf(p->base.name, sizeof(p->base.name), "%s", ifname);
	p->base.ifindex = dev.ifindex;
	p->base.in_if = o->in_if;
	p->x = x;
	p->slot = dev.slot;
	p->csum_partial = dev.csum_partial;
	p->queue = o->queue;
	p->burst = o->burst && o->burst <= IO_BURST_MAX ? o->burst : IO_BURST_MAX;
	p->u = umem_get(x, o->queue, &rc, err);
	if (!p->u)
		goto err_free;
	p->u->users++;
	if (!dev.native)
		cfg.bind_flags |= XDP_COPY; /* generic XDP: zero-copy is impossible */
	/* the first socket of a UMEM gets (a copy of) the rings made with
	 * it, the others rings of their own */
	rc = xsk_socket__create_shared(&p->xsk, ifname, o->queue, p->u->umem, &p->rx, &p->tx,
				       &p->fq, &p->cq, &cfg);
	if (rc) {
		p->xsk = NULL;
		rc = err_set(err, -rc, "%s: AF_XDP socket on queue %u: %s", ifname, o->queue,
			     strerror(-rc));
		goto err_free;
	}
	fd = xsk_socket__fd(p->xsk);
	p->base.fd = fd;
	p->copy_mode =
		getsockopt(fd, SOL_XDP, XDP_OPTIONS, &xo, &l) || !(xo.flags & XDP_OPTIONS_ZEROCOPY);
	xsk_refill(p);
	if ((rc = io_xdp_socket_set(x, dev.slot, o->queue, fd))) {
		rc = err_set(err, -rc, "%s: XDP socket map: %s", ifname, strerror(-rc));
		goto err_free;
	}
	*port = &p->base;
	return 0;
err_free:
	xsk_close(&p->base);
	return rc;
}

const struct io_ops io_afxdp_ops = {
	.name = "afxdp",
	.open = xsk_open,
	.rx_burst = xsk_rx_burst,
	.tx_burst = xsk_tx_burst,
	.stats = xsk_stats,
	.close = xsk_close,
};
