/* Mirror: sends a copy of every packet (as it is at this point of the
 * chain, encapsulation included) out of a given interface to a given MAC,
 * and lets the original go on. Copies come from the worker's buffer pool;
 * when it is empty the copy is skipped and counted, the original is not
 * held up. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dp/dp.h"
#include "dp/fn.h"
#include "lib/addr.h"
#include "vnf/vnf.h"

struct mirror {
	uint32_t nh;
	uint32_t stat_copies;
};

static int mirror_create(struct dp_fn *v, struct dp_tables *t, char **argv, int argc,
			 struct err *err)
{
	uint8_t mac[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	struct mirror *m;
	int oif = -1;

	for (int i = 0; i < argc; i += 2) {
		if (i + 1 >= argc)
			return err_set(err, EINVAL, "field '%s': missing value", argv[i]);
		if (!strcmp(argv[i], "dev")) {
			oif = dp_if_find(t, argv[i + 1]);
			if (oif < 0)
				return err_set(err, EINVAL, "field 'dev': no interface '%s'",
					       argv[i + 1]);
		} else if (!strcmp(argv[i], "mac")) {
			if (mac_parse(argv[i + 1], mac))
				return err_set(err, EINVAL,
					       "field 'mac': '%s' is not a MAC address",
					       argv[i + 1]);
		} else {
			return err_set(err, EINVAL, "field '%s': unknown (dev, mac)", argv[i]);
		}
	}
	if (oif < 0)
		return err_set(err, EINVAL, "field 'dev': a mirror needs an output interface");
	m = calloc(1, sizeof(*m));
	if (!m)
		return err_set(err, ENOMEM, "out of memory");
	m->nh = dp_nh_with_mac(t, (uint32_t)oif, mac);
	if (m->nh == DP_NONE) {
		free(m);
		return err_set(err, ENOMEM, "out of memory");
	}
	m->stat_copies = dp_stat_add(t, "function %s copies", v->name);
	v->priv = m;
	return 0;
}

static void mirror_destroy(struct dp_fn *v)
{
	free(v->priv);
}

static uint32_t mirror_process(struct dp_ctx *c, struct dp_fn *v, struct pkt **p, uint32_t n)
{
	const struct mirror *m = v->priv;

	for (uint32_t i = 0; i < n; i++) {
		struct pkt *cp;

		if (p[i]->flags & PKT_F_COPY)
			continue;
		if (p[i]->len > PKT_MAX_LEN) {
			/* grown past what a copy buffer holds after its
			 * headroom: no buffer for this copy */
			c->w->ctr[DP_CTR_POOL_EMPTY]++;
			continue;
		}
		cp = dp_copy_get(c);
		if (!cp)
			continue;
		pkt_set(cp, pkt_data(p[i]), p[i]->len);
		cp->l3 = p[i]->l3;
		cp->in_if = p[i]->in_if;
		cp->hash = p[i]->hash;
		cp->ts = p[i]->ts;
		cp->flags = PKT_F_COPY;
		cp->passes = p[i]->passes;
		cp->nh = m->nh;
		cp->out_if = c->t->nh[m->nh].oif;
		c->w->ctr[DP_CTR_MIRROR_TX]++;
		dp_stat(c, m->stat_copies, cp->len);
		dp_next(c, cp, DPN_TX);
	}
	return n;
}

const struct vnf_ops vnf_mirror_ops = {
	.fn = {.type = "mirror", .run = mirror_process, .free = mirror_destroy},
	.usage = "function NAME mirror dev IFACE [mac MAC]",
	.create = mirror_create,
};
