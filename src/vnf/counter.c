/* Counter: counts packets and bytes by inner protocol and lets them all
 * go on; the cheapest proof that traffic passed through a point. */
#include <errno.h>
#include <stdlib.h>

#include "dp/dp.h"
#include "dp/fn.h"
#include "pkt/flow.h"
#include "vnf/vnf.h"

enum { CNT_TCP, CNT_UDP, CNT_ICMP, CNT_OTHER, CNT_MAX };

struct counter {
	uint32_t stat[CNT_MAX];
};

static int counter_create(struct dp_fn *v, struct dp_tables *t, char **argv, int argc,
			  struct err *err)
{
	static const char *const names[CNT_MAX] = {"tcp", "udp", "icmp", "other"};
	struct counter *cn;

	(void)argv;
	if (argc)
		return err_set(err, EINVAL, "field '%s': a counter takes no arguments", argv[0]);
	cn = calloc(1, sizeof(*cn));
	if (!cn)
		return err_set(err, ENOMEM, "out of memory");
	for (int i = 0; i < CNT_MAX; i++)
		cn->stat[i] = dp_stat_add(t, "function %s %s", v->name, names[i]);
	v->priv = cn;
	return 0;
}

static void counter_destroy(struct dp_fn *v)
{
	free(v->priv);
}

static uint32_t counter_process(struct dp_ctx *c, struct dp_fn *v, struct pkt **p, uint32_t n)
{
	const struct counter *cn = v->priv;

	for (uint32_t i = 0; i < n; i++) {
		struct flow_key k;
		int which = CNT_OTHER;

		if (flow_key_from_l3(pkt_data(p[i]), p[i]->len, p[i]->l3, &k) == 0)
			which = k.proto == 6			  ? CNT_TCP
				: k.proto == 17			  ? CNT_UDP
				: (k.proto == 1 || k.proto == 58) ? CNT_ICMP
								  : CNT_OTHER;
		dp_stat(c, cn->stat[which], p[i]->len);
	}
	return n;
}

const struct vnf_ops vnf_counter_ops = {
	.fn = {.type = "counter", .run = counter_process, .free = counter_destroy},
	.usage = "function NAME counter",
	.create = counter_create,
};
