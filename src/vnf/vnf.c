#include <errno.h>
#include <string.h>

#include "dp/tables.h"
#include "vnf/vnf.h"

static const struct vnf_ops *const all_ops[] = {
	&vnf_firewall_ops,
	&vnf_mirror_ops,
	&vnf_counter_ops,
};

const struct vnf_ops *vnf_ops_find(const char *type)
{
	for (size_t i = 0; i < sizeof(all_ops) / sizeof(all_ops[0]); i++)
		if (!strcmp(all_ops[i]->fn.type, type))
			return all_ops[i];
	return NULL;
}

int vnf_find(const struct dp_tables *t, const char *name)
{
	return dp_fn_find(t, name);
}

int vnf_add(struct dp_tables *t, const char *name, const char *type, char **argv, int argc,
	    struct err *err)
{
	const struct vnf_ops *ops = vnf_ops_find(type);
	struct dp_fn *f;
	int rc;

	if (!ops)
		return err_set(err, EINVAL,
			       "field 'type': unknown function type '%s' (firewall, "
			       "mirror, counter)",
			       type);
	rc = dp_fn_new(t, name, &ops->fn, &f, err);
	if (rc)
		return rc;
	rc = ops->create(f, t, argv, argc, err);
	if (rc == 0)
		rc = dp_fn_add(t, f, err);
	if (rc < 0)
		dp_fn_free(f);
	return rc;
}

int vnf_config(struct dp_tables *t, int fn, char **argv, int argc, struct err *err)
{
	struct dp_fn *f = t->vnf[fn];
	const struct vnf_ops *ops = vnf_ops_find(f->ops->type);

	if (!ops || !ops->config)
		return err_set(err, EINVAL,
			       "field '%s': function %s (%s) takes no further settings",
			       argc ? argv[0] : "type", f->name, f->ops->type);
	return ops->config(f, t, argv, argc, err);
}
