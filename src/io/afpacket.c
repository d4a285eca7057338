/* AF_PACKET backend: one SOCK_RAW packet socket per (worker, interface),
 * bound to the ifindex, bursts with recvmmsg/sendmmsg.
 *
 * - PACKET_IGNORE_OUTGOING: we never see our own (or the kernel's) tx.
 * - Only PACKET_HOST frames go to the data plane: broadcast, multicast and
 *   frames for other hosts (if something else made the link promiscuous)
 *   are the kernel's business; the kernel gets its own copy of every frame.
 * - PACKET_VNET_HDR: a frame the local stack sent with CHECKSUM_PARTIAL
 *   (veth, tx offload) reaches us with only the pseudo-header sum in the
 *   checksum field; the virtio header says where, so we complete it.
 *   Unsegmented GSO/GRO frames are counted and dropped.
 * - Several workers on one interface join one PACKET_FANOUT_HASH group, so
 *   the kernel spreads flows over them and each flow stays on one worker.
 */
#include <errno.h>
#include <linux/if_packet.h>
#include <linux/virtio_net.h>
#include <net/ethernet.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "io/io.h"
#include "pkt/csum.h"
#include "pkt/pbuf.h"

struct afp_port {
	struct io_port base;
	uint32_t burst;
	uint8_t *area; /* burst frames of PKT_FRAME_SIZE */
	struct pkt desc[IO_BURST_MAX];
	struct virtio_net_hdr rx_vh[IO_BURST_MAX];
	struct sockaddr_ll rx_sll[IO_BURST_MAX];
	struct iovec rx_iov[IO_BURST_MAX][2];
	struct mmsghdr rx_msg[IO_BURST_MAX];
	struct iovec tx_iov[IO_BURST_MAX][2];
	struct mmsghdr tx_msg[IO_BURST_MAX];
};

static struct virtio_net_hdr tx_vh; /* all zero: no offload asked for (never written) */

static void afp_close(struct io_port *port)
{
	struct afp_port *p = (struct afp_port *)port;

	if (p->base.fd >= 0)
		close(p->base.fd);
	free(p->area);
	free(p);
}

static int afp_setopt(int fd, int level, int opt, int val, const char *what, const char *ifname,
		      struct err *err)
{
	if (setsockopt(fd, level, opt, &val, sizeof(val)))
		return err_set(err, errno, "%s: %s: %s", ifname, what, strerror(errno));
	return 0;
}

static int afp_open(struct io_port **port, const char *ifname, const struct io_opts *o,
		    struct err *err)
{
	struct afp_port *p;
	struct sockaddr_ll sll = {.sll_family = AF_PACKET};
	unsigned ifindex;
	int rc;

	if (strlen(ifname) >= IFNAMSIZ || strlen(ifname) >= sizeof(p->base.name))
		return err_set(err, EINVAL, "interface name '%s' too long", ifname);
	ifindex = if_nametoindex(ifname);
	if (!ifindex)
		return err_set(err, ENODEV, "%s: no such interface", ifname);
	p = calloc(1, sizeof(*p));
	if (!p)
		return err_set(err, ENOMEM, "out of memory");
	p->base.ops = &io_afpacket_ops;
	p->base.fd = -1;
	snprintf(p->base.name, sizeof(p->base.name), "%s", ifname);
	p->base.ifindex = ifindex;
	p->base.in_if = o->in_if;
	p->burst = o->burst && o->burst <= IO_BURST_MAX ? o->burst : IO_BURST_MAX;
	p->area = aligned_alloc(4096, (size_t)p->burst * PKT_FRAME_SIZE);
	if (!p->area) {
		rc = err_set(err, ENOMEM, "out of memory");
		goto err_free;
	}
	/* protocol 0: nothing is queued before bind() names the interface */
	p->base.fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (p->base.fd < 0) {
		rc = err_set(err, errno, "%s: AF_PACKET socket: %s%s", ifname, strerror(errno),
			     errno == EPERM ? " (needs CAP_NET_RAW)" : "");
		goto err_free;
	}
	if ((rc = afp_setopt(p->base.fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, 1,
			     "PACKET_IGNORE_OUTGOING (Linux >= 4.20)", ifname, err)) ||
	    (rc = afp_setopt(p->base.fd, SOL_PACKET, PACKET_VNET_HDR, 1, "PACKET_VNET_HDR", ifname,
			     err)))
		goto err_free;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = (int)ifindex;
	if (bind(p->base.fd, (struct sockaddr *)&sll, sizeof(sll))) {
		rc = err_set(err, errno, "%s: bind: %s", ifname, strerror(errno));
		goto err_free;
	}
	if (o->fanout_id && (rc = afp_setopt(p->base.fd, SOL_PACKET, PACKET_FANOUT,
					     o->fanout_id | (PACKET_FANOUT_HASH << 16),
					     "PACKET_FANOUT", ifname, err)))
		goto err_free;
	for (uint32_t i = 0; i < p->burst; i++) {
		p->desc[i].frame = p->area + (size_t)i * PKT_FRAME_SIZE;
		p->desc[i].addr = i;
		p->rx_iov[i][0] = (struct iovec){&p->rx_vh[i], sizeof(p->rx_vh[i])};
		p->rx_iov[i][1] = (struct iovec){p->desc[i].frame + PKT_HEADROOM, PKT_MAX_LEN};
		p->tx_iov[i][0] = (struct iovec){&tx_vh, sizeof(tx_vh)};
	}
	*port = &p->base;
	return 0;
err_free:
	afp_close(&p->base);
	return rc;
}

/* Completes a CHECKSUM_PARTIAL frame: the field at csum_start + csum_offset
 * holds the pseudo-header sum; the sum from csum_start to the end, folded
 * and inverted, is the checksum. A zero result becomes 0xffff only for UDP
 * (RFC 768: 0 means "no checksum"); the virtio header names no protocol, but
 * only UDP keeps its checksum 6 bytes into the L4 header (TCP: 16, ICMP: 2),
 * and TCP sends 0x0000 as Linux does. */
#define AFP_UDP_CSUM_OFF 6 /* offsetof(struct udphdr, check) */

static int afp_csum_complete(uint8_t *d, uint32_t len, const struct virtio_net_hdr *vh)
{
	uint32_t start = vh->csum_start, field = (uint32_t)vh->csum_start + vh->csum_offset;
	uint16_t c;

	if (start >= len || field + 2 > len)
		return -1;
	c = csum_fold(csum_partial(d + start, len - start, 0));
	wr_be16(d + field, c || vh->csum_offset != AFP_UDP_CSUM_OFF ? c : 0xffff);
	return 0;
}

static int afp_rx_burst(struct io_port *port, struct pkt **pkts, uint32_t max)
{
	struct afp_port *p = (struct afp_port *)port;
	struct timespec now;
	uint64_t ts;
	uint32_t n = max < p->burst ? max : p->burst, out = 0;
	int got;

	for (uint32_t i = 0; i < n; i++) {
		p->rx_msg[i].msg_hdr = (struct msghdr){
			.msg_name = &p->rx_sll[i],
			.msg_namelen = sizeof(p->rx_sll[i]),
			.msg_iov = p->rx_iov[i],
			.msg_iovlen = 2,
		};
	}
	got = recvmmsg(port->fd, p->rx_msg, n, MSG_DONTWAIT, NULL);
	if (got < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -errno;
	clock_gettime(CLOCK_REALTIME, &now);
	ts = (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
	for (int i = 0; i < got; i++) {
		struct pkt *d = &p->desc[i];
		const struct virtio_net_hdr *vh = &p->rx_vh[i];
		uint32_t len = p->rx_msg[i].msg_len;

		if (p->rx_sll[i].sll_pkttype != PACKET_HOST) {
			port->stats.rx_not_ours++;
			continue;
		}
		if ((p->rx_msg[i].msg_hdr.msg_flags & MSG_TRUNC) || len < sizeof(*vh) ||
		    len - sizeof(*vh) > PKT_MAX_LEN) {
			port->stats.rx_truncated++;
			continue;
		}
		len -= (uint32_t)sizeof(*vh);
		if (vh->gso_type != VIRTIO_NET_HDR_GSO_NONE) {
			port->stats.rx_gso++;
			continue;
		}
		if (vh->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
			if (afp_csum_complete(d->frame + PKT_HEADROOM, len, vh)) {
				port->stats.rx_truncated++;
				continue;
			}
			port->stats.rx_csum_fixed++;
		}
		memset(&d->ts, 0, sizeof(*d) - offsetof(struct pkt, ts));
		d->off = PKT_HEADROOM;
		d->len = len;
		d->ts = ts;
		d->in_if = port->in_if;
		port->stats.rx_pkts++;
		port->stats.rx_bytes += len;
		pkts[out++] = d;
	}
	return (int)out;
}

static uint32_t afp_tx_burst(struct io_port *port, struct pkt *const *pkts, uint32_t n)
{
	struct afp_port *p = (struct afp_port *)port;
	uint32_t sent = 0, ok = 0;

	while (sent < n) {
		uint32_t k = n - sent < IO_BURST_MAX ? n - sent : IO_BURST_MAX;
		int rc;

		for (uint32_t i = 0; i < k; i++) {
			const struct pkt *q = pkts[sent + i];

			p->tx_iov[i][1] = (struct iovec){pkt_data(q), q->len};
			p->tx_msg[i].msg_hdr =
				(struct msghdr){.msg_iov = p->tx_iov[i], .msg_iovlen = 2};
		}
		rc = sendmmsg(port->fd, p->tx_msg, k, MSG_DONTWAIT);
		if (rc <= 0) {
			if (rc < 0 && errno == EINTR)
				continue;
			/* queue full (ENOBUFS/EAGAIN) or interface down: drop the
			 * first frame and keep going, never block a worker */
			port->stats.tx_errors++;
			sent++;
			continue;
		}
		for (int i = 0; i < rc; i++) {
			port->stats.tx_pkts++;
			port->stats.tx_bytes += pkts[sent + (uint32_t)i]->len;
		}
		sent += (uint32_t)rc;
		ok += (uint32_t)rc;
	}
	return ok;
}

static void afp_stats(struct io_port *port)
{
	struct tpacket_stats st;
	socklen_t l = sizeof(st);

	/* reading resets the kernel's counters: accumulate */
	if (!getsockopt(port->fd, SOL_PACKET, PACKET_STATISTICS, &st, &l))
		port->stats.rx_kernel_drops += st.tp_drops;
}

const struct io_ops io_afpacket_ops = {
	.name = "afpacket",
	.open = afp_open,
	.rx_burst = afp_rx_burst,
	.tx_burst = afp_tx_burst,
	.stats = afp_stats,
	.close = afp_close,
};
