/* The function hook (dp/fn.h): instances in the table set, and the call. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dp/dp.h"
#include "dp/fn.h"

int dp_fn_find(const struct dp_tables *t, const char *name)
{
	for (uint32_t i = 0; i < t->n_vnf; i++)
		if (!strcmp(t->vnf[i]->name, name))
			return (int)i;
	return -1;
}

int dp_fn_new(struct dp_tables *t, const char *name, const struct dp_fn_ops *ops,
	      struct dp_fn **out, struct err *err)
{
	struct dp_fn *f;

	if (strlen(name) >= sizeof(f->name))
		return err_set(err, EINVAL, "field 'name': '%s' is longer than %zu characters",
			       name, sizeof(f->name) - 1);
	if (dp_fn_find(t, name) >= 0)
		return err_set(err, EEXIST, "field 'name': function '%s' already exists", name);
	if (t->n_vnf >= DP_FN_MAX)
		return err_set(err, ENOSPC, "more than %d functions", DP_FN_MAX);
	f = calloc(1, sizeof(*f));
	if (!f)
		return err_set(err, ENOMEM, "out of memory");
	f->ops = ops;
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->stat = dp_stat_add(t, "function %s", name);
	*out = f;
	return 0;
}

int dp_fn_add(struct dp_tables *t, struct dp_fn *f, struct err *err)
{
	struct dp_fn **nv;

	if (t->n_vnf >= DP_FN_MAX)
		return err_set(err, ENOSPC, "more than %d functions", DP_FN_MAX);
	nv = realloc(t->vnf, (t->n_vnf + 1) * sizeof(*nv));
	if (!nv)
		return err_set(err, ENOMEM, "out of memory");
	t->vnf = nv;
	t->vnf[t->n_vnf] = f;
	return (int)t->n_vnf++;
}

void dp_fn_free(struct dp_fn *f)
{
	if (!f)
		return;
	if (f->ops->free)
		f->ops->free(f);
	free(f);
}

void dp_fn_free_all(struct dp_tables *t)
{
	for (uint32_t i = 0; i < t->n_vnf; i++)
		dp_fn_free(t->vnf[i]);
	free(t->vnf);
	t->vnf = NULL;
	t->n_vnf = 0;
}

uint32_t dp_fn_run(struct dp_ctx *c, uint32_t fn, struct pkt **p, uint32_t n)
{
	struct dp_fn *f = c->t->vnf[fn];

	dp_stat_n(c, f->stat, p, n);
	return f->ops->run(c, f, p, n);
}
