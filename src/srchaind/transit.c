/* Transit drop for AF_PACKET (see transit.h): one nf_tables batch over
 * NETLINK_NETFILTER creates, in family netdev,
 *
 *   table srchaind-PID (owner: this socket)
 *     chain in-IFACE { type filter hook ingress device IFACE priority 0; }
 *       fib daddr type != { local, broadcast, anycast, multicast } drop
 *
 * The fib expression asks the kernel's own tables for the address type,
 * so addresses added or removed later are followed without srchaind doing
 * anything; a non-IP frame (ARP) ends the rule and is accepted. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "srchaind/transit.h"

#define TR_BUF	     16384
#define TR_ATTR_NEST 8 /* nesting depth of the rule's attributes */

static int tr_fd = -1;
static char tr_name[32];

struct nlbuf {
	uint8_t *b;
	size_t len, cap;
	int overflow;
	size_t nest[TR_ATTR_NEST];
	int depth;
	uint32_t seq, n_ack;
};

static void *nb_put(struct nlbuf *nb, size_t n)
{
	size_t a = NLMSG_ALIGN(n);
	void *p;

	if (nb->len + a > nb->cap) {
		nb->overflow = 1;
		return NULL;
	}
	p = nb->b + nb->len;
	memset(p, 0, a);
	nb->len += a;
	return p;
}

/* Starts a message: nlmsghdr + nfgenmsg. */
static void nb_msg(struct nlbuf *nb, uint16_t type, uint16_t flags, uint8_t family, uint16_t res)
{
	struct nlmsghdr *h = nb_put(nb, NLMSG_HDRLEN);
	struct nfgenmsg *g = nb_put(nb, sizeof(*g));

	if (!h || !g)
		return;
	h->nlmsg_type = type;
	h->nlmsg_flags = NLM_F_REQUEST | flags;
	h->nlmsg_seq = ++nb->seq;
	g->nfgen_family = family;
	g->version = NFNETLINK_V0;
	g->res_id = htons(res);
	nb->nest[0] = (size_t)((uint8_t *)h - nb->b);
	nb->depth = 0;
	if (flags & NLM_F_ACK)
		nb->n_ack++;
}

/* Ends the message started last: sets its length. */
static void nb_msg_end(struct nlbuf *nb)
{
	struct nlmsghdr *h = (struct nlmsghdr *)(void *)(nb->b + nb->nest[0]);

	if (!nb->overflow)
		h->nlmsg_len = (uint32_t)(nb->len - nb->nest[0]);
}

static void nb_attr(struct nlbuf *nb, uint16_t type, const void *data, size_t n)
{
	struct nlattr *a = nb_put(nb, NLA_HDRLEN + n);

	if (!a)
		return;
	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + n);
	memcpy((uint8_t *)a + NLA_HDRLEN, data, n);
}

static void nb_str(struct nlbuf *nb, uint16_t type, const char *s)
{
	nb_attr(nb, type, s, strlen(s) + 1);
}

static void nb_be32(struct nlbuf *nb, uint16_t type, uint32_t v)
{
	v = htonl(v);
	nb_attr(nb, type, &v, sizeof(v));
}

static void nb_nest(struct nlbuf *nb, uint16_t type)
{
	struct nlattr *a = nb_put(nb, NLA_HDRLEN);

	if (!a || nb->depth + 1 >= TR_ATTR_NEST) {
		nb->overflow = 1;
		return;
	}
	a->nla_type = type | NLA_F_NESTED;
	nb->nest[++nb->depth] = (size_t)((uint8_t *)a - nb->b);
}

static void nb_nest_end(struct nlbuf *nb)
{
	struct nlattr *a;

	if (nb->overflow || nb->depth < 1)
		return;
	a = (struct nlattr *)(void *)(nb->b + nb->nest[nb->depth--]);
	a->nla_len = (uint16_t)(nb->len - (size_t)((uint8_t *)a - nb->b));
}

static uint16_t nft_type(int msg)
{
	return (uint16_t)(NFNL_SUBSYS_NFTABLES << 8 | msg);
}

/* One expression of a rule's list. */
static void nb_expr(struct nlbuf *nb, const char *name)
{
	nb_nest(nb, NFTA_LIST_ELEM);
	nb_str(nb, NFTA_EXPR_NAME, name);
	nb_nest(nb, NFTA_EXPR_DATA);
}

static void nb_expr_end(struct nlbuf *nb)
{
	nb_nest_end(nb); /* data */
	nb_nest_end(nb); /* elem */
}

/* cmp reg 1 != type (the fib result is a host-order u32 in the register) */
static void nb_cmp_neq(struct nlbuf *nb, uint32_t type)
{
	nb_expr(nb, "cmp");
	nb_be32(nb, NFTA_CMP_SREG, NFT_REG_1);
	nb_be32(nb, NFTA_CMP_OP, NFT_CMP_NEQ);
	nb_nest(nb, NFTA_CMP_DATA);
	nb_attr(nb, NFTA_DATA_VALUE, &type, sizeof(type));
	nb_nest_end(nb);
	nb_expr_end(nb);
}

static void nb_transit_chain(struct nlbuf *nb, const char *dev)
{
	char chain[32];

	snprintf(chain, sizeof(chain), "in-%s", dev);
	nb_msg(nb, nft_type(NFT_MSG_NEWCHAIN), NLM_F_CREATE | NLM_F_ACK, NFPROTO_NETDEV, 0);
	nb_str(nb, NFTA_CHAIN_TABLE, tr_name);
	nb_str(nb, NFTA_CHAIN_NAME, chain);
	nb_nest(nb, NFTA_CHAIN_HOOK);
	nb_be32(nb, NFTA_HOOK_HOOKNUM, NF_NETDEV_INGRESS);
	nb_be32(nb, NFTA_HOOK_PRIORITY, 0);
	nb_str(nb, NFTA_HOOK_DEV, dev);
	nb_nest_end(nb);
	nb_str(nb, NFTA_CHAIN_TYPE, "filter");
	nb_be32(nb, NFTA_CHAIN_POLICY, NF_ACCEPT);
	nb_msg_end(nb);

	nb_msg(nb, nft_type(NFT_MSG_NEWRULE), NLM_F_CREATE | NLM_F_APPEND | NLM_F_ACK,
	       NFPROTO_NETDEV, 0);
	nb_str(nb, NFTA_RULE_TABLE, tr_name);
	nb_str(nb, NFTA_RULE_CHAIN, chain);
	nb_nest(nb, NFTA_RULE_EXPRESSIONS);
	nb_expr(nb, "fib");
	nb_be32(nb, NFTA_FIB_DREG, NFT_REG_1);
	nb_be32(nb, NFTA_FIB_RESULT, NFT_FIB_RESULT_ADDRTYPE);
	nb_be32(nb, NFTA_FIB_FLAGS, NFTA_FIB_F_DADDR);
	nb_expr_end(nb);
	nb_cmp_neq(nb, RTN_LOCAL);
	nb_cmp_neq(nb, RTN_BROADCAST);
	nb_cmp_neq(nb, RTN_ANYCAST);
	nb_cmp_neq(nb, RTN_MULTICAST);
	nb_expr(nb, "immediate");
	nb_be32(nb, NFTA_IMMEDIATE_DREG, NFT_REG_VERDICT);
	nb_nest(nb, NFTA_IMMEDIATE_DATA);
	nb_nest(nb, NFTA_DATA_VERDICT);
	nb_be32(nb, NFTA_VERDICT_CODE, (uint32_t)NF_DROP);
	nb_nest_end(nb);
	nb_nest_end(nb);
	nb_expr_end(nb);
	nb_nest_end(nb); /* expressions */
	nb_msg_end(nb);
}

/* Sends a batch and reads one ack per message that asked for one: 0 or
 * the first error the kernel reported. */
static int tr_send(struct nlbuf *nb, struct err *err)
{
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
	uint8_t rbuf[8192];
	uint32_t acks = 0;
	int first = 0;

	if (nb->overflow)
		return err_set(err, ENOSPC, "nftables: message too large");
	if (sendto(tr_fd, nb->b, nb->len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		return err_set(err, errno, "nftables: send: %s", strerror(errno));
	while (acks < nb->n_ack) {
		ssize_t n = recv(tr_fd, rbuf, sizeof(rbuf), 0);
		struct nlmsghdr *h = (struct nlmsghdr *)(void *)rbuf;
		size_t left;

		if (n < 0)
			return err_set(err, errno, "nftables: no answer: %s", strerror(errno));
		left = (size_t)n;
		for (; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
			const struct nlmsgerr *e = NLMSG_DATA(h);

			if (h->nlmsg_type != NLMSG_ERROR || h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
				continue;
			acks++;
			if (e->error && !first)
				first = e->error;
		}
		/* the kernel stops acking once a message of the batch failed */
		if (first)
			break;
	}
	if (first)
		return err_set(err, -first, "nftables: %s", strerror(-first));
	return 0;
}

static void nb_batch(struct nlbuf *nb, uint16_t type)
{
	nb_msg(nb, type, 0, AF_UNSPEC, NFNL_SUBSYS_NFTABLES);
	nb_msg_end(nb);
}

int transit_install(const char *const *devs, uint32_t n, struct err *err)
{
	static uint8_t buf[TR_BUF];
	struct nlbuf nb = {.b = buf, .cap = sizeof(buf)};
	struct sockaddr_nl local = {.nl_family = AF_NETLINK};
	struct timeval tv = {.tv_sec = 2};
	int rc;

	if (tr_fd >= 0)
		return err_set(err, EEXIST, "transit drop already installed");
	tr_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
	if (tr_fd < 0)
		return err_set(err, errno, "nftables: socket: %s", strerror(errno));
	if (bind(tr_fd, (struct sockaddr *)&local, sizeof(local)) ||
	    setsockopt(tr_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv))) {
		rc = err_set(err, errno, "nftables: bind: %s", strerror(errno));
		goto err_close;
	}
	snprintf(tr_name, sizeof(tr_name), "srchaind-%ld", (long)getpid());
	nb_batch(&nb, NFNL_MSG_BATCH_BEGIN);
	nb_msg(&nb, nft_type(NFT_MSG_NEWTABLE), NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK,
	       NFPROTO_NETDEV, 0);
	nb_str(&nb, NFTA_TABLE_NAME, tr_name);
	/* owned by this socket: the kernel removes it when we are gone */
	nb_be32(&nb, NFTA_TABLE_FLAGS, NFT_TABLE_F_OWNER);
	nb_msg_end(&nb);
	for (uint32_t i = 0; i < n; i++)
		nb_transit_chain(&nb, devs[i]);
	nb_batch(&nb, NFNL_MSG_BATCH_END);
	rc = tr_send(&nb, err);
	if (rc)
		goto err_close;
	return 0;
err_close:
	close(tr_fd);
	tr_fd = -1;
	tr_name[0] = 0;
	return rc;
}

void transit_remove(void)
{
	static uint8_t buf[1024];
	struct nlbuf nb = {.b = buf, .cap = sizeof(buf)};
	struct err err;

	if (tr_fd < 0)
		return;
	nb_batch(&nb, NFNL_MSG_BATCH_BEGIN);
	nb_msg(&nb, nft_type(NFT_MSG_DELTABLE), NLM_F_ACK, NFPROTO_NETDEV, 0);
	nb_str(&nb, NFTA_TABLE_NAME, tr_name);
	nb_msg_end(&nb);
	nb_batch(&nb, NFNL_MSG_BATCH_END);
	/* closing the owning socket removes the table as well */
	if (tr_send(&nb, &err))
		fprintf(stderr, "srchaind: removing table %s: %s\n", tr_name, err.msg);
	close(tr_fd);
	tr_fd = -1;
	tr_name[0] = 0;
}

const char *transit_table(void)
{
	return tr_name;
}
