/* rtnetlink dumps into a table set. Every message and attribute walk is
 * bounded by the received length (NLMSG_OK/RTA_OK) and by a compile-time
 * cap; a message that does not parse fails the build with an error, and the
 * caller keeps the tables it had. */
#include <errno.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conf/conf.h"
#include "dp/tables.h"
#include "lib/addr.h"
#include "srchaind/netlink.h"

#define NL_BUF		65536
#define NL_MSGS_MAX	(1u << 22) /* messages in one dump */
#define NL_ATTRS_MAX	128	   /* attributes in one message */
#define NL_NEXTHOPS_MAX 64	   /* entries of one RTA_MULTIPATH */
#define NL_RECV_TRIES	1000000	   /* datagrams in one dump */

struct nl_build {
	struct dp_tables *t;
	const char *const *devs;
	uint32_t n_dev;
	uint32_t ifindex[NL_DEVS_MAX]; /* per dp interface */
	uint8_t mac[NL_DEVS_MAX][6];
	uint32_t mtu[NL_DEVS_MAX];
	uint8_t found[NL_DEVS_MAX];
	struct nl_summary *sum;
	struct err *err;
};

typedef int (*nl_msg_fn)(struct nl_build *b, const struct nlmsghdr *h);

/* dp interface index of a kernel ifindex, or -1 if not served. */
static int nl_dp_if(const struct nl_build *b, uint32_t ifindex)
{
	for (uint32_t i = 0; i < b->n_dev; i++)
		if (b->found[i] && b->ifindex[i] == ifindex)
			return (int)i;
	return -1;
}

/* Splits attributes into tb[type] (last one wins), bounded. */
static int nl_attrs(const struct rtattr *rta, int len, const struct rtattr **tb, int max,
		    struct err *err)
{
	int n = 0;

	memset(tb, 0, sizeof(*tb) * (size_t)(max + 1));
	for (; RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		if (++n > NL_ATTRS_MAX)
			return err_set(err, E2BIG, "netlink: more than %d attributes",
				       NL_ATTRS_MAX);
		if (rta->rta_type <= max)
			tb[rta->rta_type] = rta;
	}
	if (len >= (int)sizeof(struct rtattr))
		return err_set(err, EPROTO, "netlink: malformed attribute");
	return 0;
}

static int nl_dump(int fd, uint16_t type, const void *req, size_t req_len, uint32_t seq,
		   struct nl_build *b, nl_msg_fn fn)
{
	struct {
		struct nlmsghdr h;
		uint8_t body[64];
	} msg = {0};
	struct sockaddr_nl to = {.nl_family = AF_NETLINK};
	uint8_t *buf;
	uint32_t msgs = 0;
	int rc = 0;

	msg.h.nlmsg_len = NLMSG_LENGTH((uint32_t)req_len);
	msg.h.nlmsg_type = type;
	msg.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	msg.h.nlmsg_seq = seq;
	memcpy(msg.body, req, req_len);
	if (sendto(fd, &msg, msg.h.nlmsg_len, 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		return err_set(b->err, errno, "netlink: send: %s", strerror(errno));
	buf = malloc(NL_BUF);
	if (!buf)
		return err_set(b->err, ENOMEM, "out of memory");
	for (uint32_t tries = 0; tries < NL_RECV_TRIES; tries++) {
		ssize_t got = recv(fd, buf, NL_BUF, 0);
		int len;

		if (got < 0) {
			if (errno == EINTR)
				continue;
			rc = err_set(b->err, errno, "netlink: recv: %s", strerror(errno));
			goto out;
		}
		len = (int)got;
		for (const struct nlmsghdr *h = (const void *)buf; NLMSG_OK(h, len);
		     h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_seq != seq)
				continue;
			if (++msgs > NL_MSGS_MAX) {
				rc = err_set(b->err, E2BIG, "netlink: dump too large");
				goto out;
			}
			if (h->nlmsg_type == NLMSG_DONE)
				goto out;
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);

				if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
					rc = err_set(b->err, EPROTO,
						     "netlink: short error message");
				else
					rc = err_set(b->err, -e->error, "netlink: dump failed: %s",
						     strerror(-e->error));
				goto out;
			}
			if ((rc = fn(b, h)))
				goto out;
		}
		if (len) {
			rc = err_set(b->err, EPROTO, "netlink: truncated message");
			goto out;
		}
	}
	rc = err_set(b->err, E2BIG, "netlink: dump did not end");
out:
	free(buf);
	return rc;
}

static int nl_link(struct nl_build *b, const struct nlmsghdr *h)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(h);
	const struct rtattr *tb[IFLA_MAX + 1];
	char name[IFNAMSIZ];
	int rc;

	if (h->nlmsg_type != RTM_NEWLINK)
		return 0;
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)))
		return err_set(b->err, EPROTO, "netlink: short link message");
	if ((rc = nl_attrs(IFLA_RTA(ifi), (int)IFLA_PAYLOAD(h), tb, IFLA_MAX, b->err)))
		return rc;
	if (!tb[IFLA_IFNAME] || RTA_PAYLOAD(tb[IFLA_IFNAME]) < 1)
		return 0;
	snprintf(name, sizeof(name), "%.*s", (int)RTA_PAYLOAD(tb[IFLA_IFNAME]),
		 (const char *)RTA_DATA(tb[IFLA_IFNAME]));
	for (uint32_t i = 0; i < b->n_dev; i++) {
		if (strcmp(b->devs[i], name))
			continue;
		if (!tb[IFLA_ADDRESS] || RTA_PAYLOAD(tb[IFLA_ADDRESS]) != 6)
			return err_set(b->err, EINVAL, "interface %s: not an Ethernet interface",
				       name);
		memcpy(b->mac[i], RTA_DATA(tb[IFLA_ADDRESS]), 6);
		b->mtu[i] = 1500;
		if (tb[IFLA_MTU] && RTA_PAYLOAD(tb[IFLA_MTU]) == 4)
			memcpy(&b->mtu[i], RTA_DATA(tb[IFLA_MTU]), 4);
		b->ifindex[i] = (uint32_t)ifi->ifi_index;
		b->found[i] = 1;
		b->sum->links++;
	}
	return 0;
}

static int nl_link_local(int family, const uint8_t *a)
{
	return family == 6 && ((a[0] == 0xfe && (a[1] & 0xc0) == 0x80) || a[0] == 0xff);
}

static int nl_connected(struct nl_build *b, int dpif, int family, const uint8_t *a, int len)
{
	uint32_t nh, nhg;
	int rc;

	nh = dp_nh_connected(b->t, (uint32_t)dpif);
	if (nh == DP_NONE)
		return err_set(b->err, ENOMEM, "out of memory");
	if ((rc = dp_nhg_add(b->t, &nh, &(uint32_t){1}, 1, &nhg, b->err)))
		return rc;
	return dp_route_add(b->t, DP_TABLE_MAIN, family, a, len, nhg, b->err);
}

static int nl_addr(struct nl_build *b, const struct nlmsghdr *h)
{
	const struct ifaddrmsg *ifa = NLMSG_DATA(h);
	const struct rtattr *tb[IFA_MAX + 1], *a;
	int rc, family, dpif;

	if (h->nlmsg_type != RTM_NEWADDR)
		return 0;
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifa)))
		return err_set(b->err, EPROTO, "netlink: short address message");
	if ((rc = nl_attrs(IFA_RTA(ifa), (int)IFA_PAYLOAD(h), tb, IFA_MAX, b->err)))
		return rc;
	family = ifa->ifa_family == AF_INET ? 4 : ifa->ifa_family == AF_INET6 ? 6 : 0;
	if (!family)
		return 0;
	/* IPv4: IFA_LOCAL is ours (IFA_ADDRESS is the peer on point-to-point) */
	a = family == 4 && tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (!a || RTA_PAYLOAD(a) != (family == 4 ? 4u : 16u) ||
	    ifa->ifa_prefixlen > (family == 4 ? 32 : 128))
		return err_set(b->err, EPROTO, "netlink: malformed address message");
	/* every address of this host is local, whichever interface holds it */
	if ((rc = dp_local_addr_add(b->t, family, RTA_DATA(a), b->err)))
		return rc;
	b->sum->addrs++;
	dpif = nl_dp_if(b, ifa->ifa_index);
	if (dpif < 0 || nl_link_local(family, RTA_DATA(a)))
		return 0;
	return nl_connected(b, dpif, family, RTA_DATA(a), ifa->ifa_prefixlen);
}

static int nl_neigh(struct nl_build *b, const struct nlmsghdr *h)
{
	const struct ndmsg *nd = NLMSG_DATA(h);
	const struct rtattr *tb[NDA_MAX + 1];
	const uint16_t ok = NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | NUD_PERMANENT;
	int rc, family, dpif;

	if (h->nlmsg_type != RTM_NEWNEIGH)
		return 0;
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*nd)))
		return err_set(b->err, EPROTO, "netlink: short neighbour message");
	if ((rc = nl_attrs((const struct rtattr *)((const uint8_t *)nd + NLMSG_ALIGN(sizeof(*nd))),
			   (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof(*nd))), tb, NDA_MAX, b->err)))
		return rc;
	family = nd->ndm_family == AF_INET ? 4 : nd->ndm_family == AF_INET6 ? 6 : 0;
	dpif = nl_dp_if(b, (uint32_t)nd->ndm_ifindex);
	if (!family || dpif < 0 || !(nd->ndm_state & ok) || (nd->ndm_flags & NTF_PROXY))
		return 0;
	if (!tb[NDA_DST] || RTA_PAYLOAD(tb[NDA_DST]) != (family == 4 ? 4u : 16u))
		return err_set(b->err, EPROTO, "netlink: malformed neighbour message");
	if (!tb[NDA_LLADDR] || RTA_PAYLOAD(tb[NDA_LLADDR]) != 6)
		return 0;
	b->sum->neighs++;
	return dp_neigh_add(b->t, (uint32_t)dpif, family, RTA_DATA(tb[NDA_DST]),
			    RTA_DATA(tb[NDA_LLADDR]), b->err);
}

/* One next hop (gateway optional) on a served interface, or skip. */
static int nl_nexthop(struct nl_build *b, int family, uint32_t ifindex, const struct rtattr *gw,
		      uint32_t *nh, int *skip)
{
	int dpif = nl_dp_if(b, ifindex);

	*skip = 0;
	if (dpif < 0) {
		*skip = 1;
		return 0;
	}
	if (gw) {
		if (RTA_PAYLOAD(gw) != (family == 4 ? 4u : 16u))
			return err_set(b->err, EPROTO, "netlink: malformed gateway");
		return dp_nh_resolve(b->t, (uint32_t)dpif, family, RTA_DATA(gw), nh, b->err);
	}
	*nh = dp_nh_connected(b->t, (uint32_t)dpif);
	return *nh == DP_NONE ? err_set(b->err, ENOMEM, "out of memory") : 0;
}

static int nl_route(struct nl_build *b, const struct nlmsghdr *h)
{
	const struct rtmsg *r = NLMSG_DATA(h);
	const struct rtattr *tb[RTA_MAX + 1];
	uint32_t table, nh[NL_NEXTHOPS_MAX], w[NL_NEXTHOPS_MAX], n = 0, nhg;
	uint8_t dst[16] = {0};
	int rc, family, skip;

	if (h->nlmsg_type != RTM_NEWROUTE)
		return 0;
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*r)))
		return err_set(b->err, EPROTO, "netlink: short route message");
	if ((rc = nl_attrs(RTM_RTA(r), (int)RTM_PAYLOAD(h), tb, RTA_MAX, b->err)))
		return rc;
	family = r->rtm_family == AF_INET ? 4 : r->rtm_family == AF_INET6 ? 6 : 0;
	table = r->rtm_table;
	if (tb[RTA_TABLE] && RTA_PAYLOAD(tb[RTA_TABLE]) == 4)
		memcpy(&table, RTA_DATA(tb[RTA_TABLE]), 4);
	if (!family || table != RT_TABLE_MAIN || r->rtm_type != RTN_UNICAST ||
	    (r->rtm_flags & RTM_F_CLONED))
		return 0;
	if (r->rtm_dst_len > (family == 4 ? 32 : 128))
		return err_set(b->err, EPROTO, "netlink: malformed route prefix length");
	if (tb[RTA_DST]) {
		if (RTA_PAYLOAD(tb[RTA_DST]) != (family == 4 ? 4u : 16u))
			return err_set(b->err, EPROTO, "netlink: malformed route destination");
		memcpy(dst, RTA_DATA(tb[RTA_DST]), family == 4 ? 4 : 16);
	}
	if (nl_link_local(family, dst))
		return 0;
	/* what the data plane cannot do like the kernel: leave it out */
	if (tb[RTA_ENCAP] || tb[RTA_NH_ID] || tb[RTA_VIA]) {
		b->sum->routes_skipped++;
		return 0;
	}
	if (tb[RTA_MULTIPATH]) {
		const struct rtnexthop *rtnh = RTA_DATA(tb[RTA_MULTIPATH]);
		int len = (int)RTA_PAYLOAD(tb[RTA_MULTIPATH]);

		for (uint32_t k = 0; len >= (int)sizeof(*rtnh); k++) {
			const struct rtattr *ntb[RTA_MAX + 1];

			if (k == NL_NEXTHOPS_MAX)
				return err_set(b->err, E2BIG, "netlink: more than %d next hops",
					       NL_NEXTHOPS_MAX);
			if (rtnh->rtnh_len < sizeof(*rtnh) || rtnh->rtnh_len > len)
				return err_set(b->err, EPROTO,
					       "netlink: malformed multipath entry");
			if ((rc = nl_attrs(RTNH_DATA(rtnh), rtnh->rtnh_len - (int)RTNH_LENGTH(0),
					   ntb, RTA_MAX, b->err)))
				return rc;
			if (ntb[RTA_ENCAP] || ntb[RTA_VIA]) {
				b->sum->routes_skipped++;
				return 0;
			}
			if ((rc = nl_nexthop(b, family, (uint32_t)rtnh->rtnh_ifindex,
					     ntb[RTA_GATEWAY], &nh[n], &skip)))
				return rc;
			if (!skip)
				w[n++] = (uint32_t)rtnh->rtnh_hops + 1;
			len -= (int)RTNH_ALIGN(rtnh->rtnh_len);
			rtnh = RTNH_NEXT(rtnh);
		}
	} else {
		uint32_t oif = 0;

		if (tb[RTA_OIF] && RTA_PAYLOAD(tb[RTA_OIF]) == 4)
			memcpy(&oif, RTA_DATA(tb[RTA_OIF]), 4);
		if ((rc = nl_nexthop(b, family, oif, tb[RTA_GATEWAY], &nh[0], &skip)))
			return rc;
		if (!skip)
			w[n++] = 1;
	}
	if (!n) /* via interfaces we do not serve: the kernel's business */
		return 0;
	if ((rc = dp_nhg_add(b->t, nh, w, n, &nhg, b->err)) ||
	    (rc = dp_route_add(b->t, DP_TABLE_MAIN, family, dst, r->rtm_dst_len, nhg, b->err)))
		return rc;
	b->sum->routes++;
	return 0;
}

static int nl_fill(struct nl_build *b)
{
	struct sockaddr_nl me = {.nl_family = AF_NETLINK};
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};
	struct ifaddrmsg ifa = {.ifa_family = AF_UNSPEC};
	struct ndmsg nd = {.ndm_family = AF_UNSPEC};
	struct rtmsg r4 = {.rtm_family = AF_INET}, r6 = {.rtm_family = AF_INET6};
	int fd, rc, bufsz = 1 << 20;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return err_set(b->err, errno, "netlink: socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bufsz, sizeof(bufsz));
	if (bind(fd, (struct sockaddr *)&me, sizeof(me))) {
		rc = err_set(b->err, errno, "netlink: bind: %s", strerror(errno));
		goto out;
	}
	if ((rc = nl_dump(fd, RTM_GETLINK, &ifi, sizeof(ifi), 1, b, nl_link)))
		goto out;
	for (uint32_t i = 0; i < b->n_dev; i++) {
		if (!b->found[i]) {
			rc = err_set(b->err, ENODEV, "interface %s: not found", b->devs[i]);
			goto out;
		}
		rc = dp_if_add(b->t, b->devs[i], b->mac[i], b->mtu[i], b->ifindex[i], b->err);
		if (rc < 0)
			goto out;
	}
	if ((rc = nl_dump(fd, RTM_GETADDR, &ifa, sizeof(ifa), 2, b, nl_addr)) ||
	    (rc = nl_dump(fd, RTM_GETNEIGH, &nd, sizeof(nd), 3, b, nl_neigh)) ||
	    (rc = nl_dump(fd, RTM_GETROUTE, &r4, sizeof(r4), 4, b, nl_route)) ||
	    (rc = nl_dump(fd, RTM_GETROUTE, &r6, sizeof(r6), 5, b, nl_route)))
		goto out;
	rc = 0;
out:
	close(fd);
	return rc;
}

struct dp_tables *nl_build_tables(const char *const *devs, uint32_t n_dev, const char *conf,
				  size_t len, const char *fname, uint32_t n_workers,
				  struct nl_summary *sum, struct err *err)
{
	struct nl_build *b;
	struct dp_tables *t;

	memset(sum, 0, sizeof(*sum));
	if (n_dev > NL_DEVS_MAX || n_dev > DP_IF_MAX) {
		err_set(err, E2BIG, "more than %d interfaces", NL_DEVS_MAX);
		return NULL;
	}
	b = calloc(1, sizeof(*b));
	t = dp_tables_new(n_workers);
	if (!b || !t) {
		err_set(err, ENOMEM, "out of memory");
		goto err_free;
	}
	b->t = t;
	b->devs = devs;
	b->n_dev = n_dev;
	b->sum = sum;
	b->err = err;
	if (nl_fill(b) || conf_apply(t, conf, len, fname, err) || dp_tables_finish(t, err))
		goto err_free;
	free(b);
	return t;
err_free:
	free(b);
	dp_tables_free(t);
	return NULL;
}

int nl_watch_open(struct err *err)
{
	struct sockaddr_nl me = {
		.nl_family = AF_NETLINK,
		.nl_groups = RTMGRP_LINK | RTMGRP_NEIGH | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR |
			     RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE,
	};
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);

	if (fd < 0)
		return err_set(err, errno, "netlink: socket: %s", strerror(errno));
	if (bind(fd, (struct sockaddr *)&me, sizeof(me))) {
		int e = errno;

		close(fd);
		return err_set(err, e, "netlink: subscribe: %s", strerror(e));
	}
	return fd;
}

int nl_watch_drain(int fd)
{
	static uint8_t buf[NL_BUF];
	int changed = 0;

	/* content does not matter: any change means a rebuild (debounced) */
	for (int i = 0; i < 4096; i++) {
		ssize_t got = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (got < 0) {
			if (errno == ENOBUFS) { /* lost messages: rebuild anyway */
				changed = 1;
				continue;
			}
			break;
		}
		changed = 1;
	}
	return changed;
}
