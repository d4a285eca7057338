#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dp/tables.h"
#include "vnf/vnf.h"

#define VNF_MAX 1024

static const struct vnf_ops *const all_ops[] = {
	&vnf_firewall_ops,
	&vnf_mirror_ops,
	&vnf_counter_ops,
};

const struct vnf_ops *vnf_ops_find(const char *type)
{
	for (size_t i = 0; i < sizeof(all_ops) / sizeof(all_ops[0]); i++)
		if (!strcmp(all_ops[i]->type, type))
			return all_ops[i];
	return NULL;
}

int vnf_find(const struct dp_tables *t, const char *name)
{
	for (uint32_t i = 0; i < t->n_vnf; i++)
		if (!strcmp(t->vnf[i]->name, name))
			return (int)i;
	return -1;
}

int vnf_add(struct dp_tables *t, const char *name, const char *type, char **argv, int argc,
	    struct err *err)
{
	const struct vnf_ops *ops = vnf_ops_find(type);
	struct vnf **nv, *v;
	int rc;

	if (!ops)
		return err_set(err, EINVAL,
			       "field 'type': unknown function type '%s' (firewall, "
			       "mirror, counter)",
			       type);
	if (strlen(name) >= sizeof(v->name))
		return err_set(err, EINVAL, "field 'name': '%s' is longer than %zu characters",
			       name, sizeof(v->name) - 1);
	if (vnf_find(t, name) >= 0)
		return err_set(err, EEXIST, "field 'name': function '%s' already exists", name);
	if (t->n_vnf >= VNF_MAX)
		return err_set(err, ENOSPC, "more than %d functions", VNF_MAX);
	nv = realloc(t->vnf, (t->n_vnf + 1) * sizeof(*nv));
	if (!nv)
		return err_set(err, ENOMEM, "out of memory");
	t->vnf = nv;
	v = calloc(1, sizeof(*v));
	if (!v)
		return err_set(err, ENOMEM, "out of memory");
	v->ops = ops;
	snprintf(v->name, sizeof(v->name), "%s", name);
	v->stat = dp_stat_add(t, "function %s", name);
	rc = ops->create(v, t, argv, argc, err);
	if (rc) {
		free(v);
		return rc;
	}
	t->vnf[t->n_vnf] = v;
	return (int)t->n_vnf++;
}

void vnf_free_all(struct dp_tables *t)
{
	for (uint32_t i = 0; i < t->n_vnf; i++) {
		if (t->vnf[i]->ops->destroy)
			t->vnf[i]->ops->destroy(t->vnf[i]);
		free(t->vnf[i]);
	}
	free(t->vnf);
	t->vnf = NULL;
	t->n_vnf = 0;
}
