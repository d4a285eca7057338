/* Inventory validation: every field of a row before it is stored, with an
 * error that names the table, the row and the field. Lookups of referenced
 * rows go through the public API, inside the caller's savepoint. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "pce/inv_int.h"

const char *inv_row_key(const struct table *t, const void *row)
{
	return (const char *)row + t->cols[0].off;
}

int inv_field_err(struct err *err, const struct table *t, const void *row, const char *col,
		  const char *fmt, ...)
{
	char msg[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_set(err, EINVAL, "%s '%.63s': field '%s': %s", t->what, inv_row_key(t, row), col,
		       msg);
}

static bool valid_name(const char *s)
{
	size_t n = strnlen(s, INV_NAME_LEN);

	if (n == 0 || n >= INV_NAME_LEN)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '.' || c == '-'))
			return false;
	}
	return true;
}

int inv_check_cols(const struct table *t, const void *row, struct err *err)
{
	for (int i = 0; i < t->ncols; i++) {
		const struct col *c = &t->cols[i];
		const char *p = (const char *)row + c->off;
		uint32_t u;
		int e;

		switch (c->kind) {
		case COL_NAME:
		case COL_OPTNAME:
			if (strnlen(p, c->size) == c->size)
				return err_set(err, EINVAL, "%s: field '%s': longer than %zu",
					       t->what, c->name, c->size - 1);
			if ((c->kind == COL_NAME || p[0]) && !valid_name(p))
				return err_set(err, EINVAL,
					       "%s '%.63s': field '%s': '%s' is not a name "
					       "(1-%d of A-Z a-z 0-9 _ . -)",
					       t->what, i ? inv_row_key(t, row) : p, c->name, p,
					       INV_NAME_LEN - 1);
			break;
		case COL_TEXT:
			if (strnlen(p, c->size) == c->size)
				return inv_field_err(err, t, row, c->name,
						     "longer than %zu characters", c->size - 1);
			break;
		case COL_U32:
			memcpy(&u, p, sizeof(u));
			if (u < c->min || u > c->max)
				return inv_field_err(err, t, row, c->name, "%u is not in %u-%u", u,
						     c->min, c->max);
			break;
		case COL_BOOL:
			break;
		case COL_ENUM:
			memcpy(&e, p, sizeof(e));
			for (u = 0; c->enums[u]; u++)
				;
			if (e < 0 || (uint32_t)e >= u)
				return inv_field_err(err, t, row, c->name,
						     "value %d is out of range", e);
			break;
		}
	}
	return 0;
}

static int check_addr(const struct table *t, const void *row, const char *col, const char *s,
		      int af, bool optional, struct err *err)
{
	unsigned char buf[16];

	if (!s[0] && optional)
		return 0;
	if (inet_pton(af, s, buf) != 1)
		return inv_field_err(err, t, row, col, "'%s' is not an %s address", s,
				     af == AF_INET ? "IPv4" : "IPv6");
	return 0;
}

static int check_any_addr(const struct table *t, const void *row, const char *col, const char *s,
			  struct err *err)
{
	unsigned char buf[16];

	if (!s[0] || inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1)
		return 0;
	return inv_field_err(err, t, row, col, "'%s' is not an IPv4 or IPv6 address", s);
}

/* Parses "2001:db8:1::/48" into an address and length. */
static int parse_prefix6(const char *s, struct in6_addr *a, int *len)
{
	char buf[INV_ADDR_LEN];
	char *slash, *end;
	long l;

	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	if (!slash)
		return -EINVAL;
	*slash = 0;
	l = strtol(slash + 1, &end, 10);
	if (*end || end == slash + 1 || l < 1 || l > 128 || inet_pton(AF_INET6, buf, a) != 1)
		return -EINVAL;
	*len = (int)l;
	return 0;
}

static bool prefix6_has(const struct in6_addr *p, int len, const struct in6_addr *a)
{
	for (int i = 0; i < len; i++) {
		int m = 0x80 >> (i % 8);

		if ((p->s6_addr[i / 8] & m) != (a->s6_addr[i / 8] & m))
			return false;
	}
	return true;
}

static bool label_in(uint32_t label, uint32_t base, uint32_t size)
{
	return size && label >= base && label - base < size;
}

int inv_check_node(struct inv *inv, const struct table *t, const void *row, struct err *err)
{
	const struct inv_node *n = row;
	struct in6_addr loc, sid;
	int len, rc;

	(void)inv;
	rc = check_addr(t, row, "router_id", n->router_id, AF_INET, false, err);
	if (!rc)
		rc = check_any_addr(t, row, "pcep_addr", n->pcep_addr, err);
	if (rc)
		return rc;
	/* MPLS labels 0-15 are reserved (RFC 3032); 20 bits in all */
	if ((uint64_t)n->srgb_base + n->srgb_size > 1048576)
		return inv_field_err(err, t, row, "srgb_size",
				     "SRGB %u+%u ends beyond label 1048575", n->srgb_base,
				     n->srgb_size);
	if (n->srlb_size && ((uint64_t)n->srlb_base + n->srlb_size > 1048576 || n->srlb_base < 16))
		return inv_field_err(err, t, row, "srlb_base",
				     "SRLB %u+%u is not inside 16-1048575", n->srlb_base,
				     n->srlb_size);
	if (n->srlb_size && n->srlb_base < n->srgb_base + n->srgb_size &&
	    n->srgb_base < n->srlb_base + n->srlb_size)
		return inv_field_err(err, t, row, "srlb_base", "SRLB %u+%u overlaps the SRGB %u+%u",
				     n->srlb_base, n->srlb_size, n->srgb_base, n->srgb_size);
	if (n->sid_index >= n->srgb_size)
		return inv_field_err(err, t, row, "sid_index", "%u is outside the SRGB (size %u)",
				     n->sid_index, n->srgb_size);
	if (n->srv6_locator[0] && parse_prefix6(n->srv6_locator, &loc, &len))
		return inv_field_err(err, t, row, "srv6_locator", "'%s' is not an IPv6 prefix",
				     n->srv6_locator);
	rc = check_addr(t, row, "srv6_node_sid", n->srv6_node_sid, AF_INET6, true, err);
	if (rc)
		return rc;
	if (n->srv6_node_sid[0]) {
		if (!n->srv6_locator[0])
			return inv_field_err(err, t, row, "srv6_node_sid",
					     "an SRv6 SID needs a locator");
		inet_pton(AF_INET6, n->srv6_node_sid, &sid);
		if (!prefix6_has(&loc, len, &sid))
			return inv_field_err(err, t, row, "srv6_node_sid",
					     "%s is not inside the locator %s", n->srv6_node_sid,
					     n->srv6_locator);
	}
	return 0;
}

static int ref_node(struct inv *inv, const struct table *t, const void *row, const char *col,
		    const char *name, struct inv_node *n, struct err *err)
{
	int rc = inv_node_get(inv, name, n, NULL);

	if (rc == -ENOENT)
		return err_set(err, ENOENT, "%s '%.63s': field '%s': node '%s' does not exist",
			       t->what, inv_row_key(t, row), col, name);
	return rc ? err_set(err, -rc, "%s '%.63s': field '%s': node '%s': %s", t->what,
			    inv_row_key(t, row), col, name, strerror(-rc))
		  : 0;
}

/* A local label (adjacency or function SID) must be a label outside the
 * node's SRGB, where it would shadow a node SID; inside the SRLB if the node
 * has one. */
static int check_local_label(const struct table *t, const void *row, const char *col,
			     uint32_t label, const struct inv_node *n, struct err *err)
{
	if (!label)
		return 0;
	if (label < 16 || label > 1048575)
		return inv_field_err(err, t, row, col, "%u is not an MPLS label 16-1048575", label);
	if (label_in(label, n->srgb_base, n->srgb_size))
		return inv_field_err(err, t, row, col, "%u is inside node '%s''s SRGB %u+%u", label,
				     n->name, n->srgb_base, n->srgb_size);
	if (n->srlb_size && !label_in(label, n->srlb_base, n->srlb_size))
		return inv_field_err(err, t, row, col, "%u is outside node '%s''s SRLB %u+%u",
				     label, n->name, n->srlb_base, n->srlb_size);
	return 0;
}

static int check_local_sid(const struct table *t, const void *row, const char *col, const char *s,
			   const struct inv_node *n, struct err *err)
{
	struct in6_addr loc, sid;
	int len, rc;

	rc = check_addr(t, row, col, s, AF_INET6, true, err);
	if (rc || !s[0])
		return rc;
	if (!n->srv6_locator[0] || parse_prefix6(n->srv6_locator, &loc, &len))
		return inv_field_err(err, t, row, col, "node '%s' has no SRv6 locator", n->name);
	inet_pton(AF_INET6, s, &sid);
	if (!prefix6_has(&loc, len, &sid))
		return inv_field_err(err, t, row, col, "%s is not inside node '%s''s locator %s", s,
				     n->name, n->srv6_locator);
	return 0;
}

int inv_check_link(struct inv *inv, const struct table *t, const void *row, struct err *err)
{
	const struct inv_link *l = row;
	struct inv_node a, b;
	int rc;

	rc = check_any_addr(t, row, "local_addr", l->local_addr, err);
	if (!rc)
		rc = check_any_addr(t, row, "remote_addr", l->remote_addr, err);
	if (!rc)
		rc = ref_node(inv, t, row, "a", l->a, &a, err);
	if (!rc)
		rc = ref_node(inv, t, row, "b", l->b, &b, err);
	if (rc)
		return rc;
	if (!strcmp(l->a, l->b))
		return inv_field_err(err, t, row, "b", "a link from '%s' to itself", l->a);
	rc = check_local_label(t, row, "adj_label", l->adj_label, &a, err);
	if (!rc)
		rc = check_local_sid(t, row, "adj_srv6_sid", l->adj_srv6_sid, &a, err);
	return rc;
}

int inv_check_func(struct inv *inv, const struct table *t, const void *row, struct err *err)
{
	const struct inv_func *f = row;
	struct inv_node n;
	int rc;

	rc = ref_node(inv, t, row, "node", f->node, &n, err);
	if (!rc)
		rc = check_local_label(t, row, "label", f->label, &n, err);
	if (!rc)
		rc = check_local_sid(t, row, "srv6_sid", f->srv6_sid, &n, err);
	if (!rc && !f->label && !f->srv6_sid[0])
		return inv_field_err(err, t, row, "label", "needs an SR-MPLS label or an SRv6 SID");
	return rc;
}

int inv_list_split(char *buf, char **elems, int max)
{
	int n = 0;
	char *p = buf;

	if (!buf[0])
		return 0;
	for (;;) {
		char *comma = strchr(p, ','), *end;

		if (comma)
			*comma = 0;
		while (*p == ' ')
			p++;
		end = p + strlen(p);
		while (end > p && end[-1] == ' ')
			*--end = 0;
		if (!*p || n == max)
			return -EINVAL;
		elems[n++] = p;
		if (!comma)
			return n;
		p = comma + 1;
	}
}

static int func_type(struct inv *inv, const char *name, char *type)
{
	struct inv_func f;
	int rc = inv_func_get(inv, name, &f, NULL);

	if (!rc)
		memcpy(type, f.type, INV_NAME_LEN);
	return rc;
}

/* Splits a list field of a row into a scratch copy, checking its elements
 * are names. */
static int split_field(const struct table *t, const void *row, const char *col, const char *s,
		       char *buf, char **el, struct err *err)
{
	int n;

	/* stored exactly as the names, so that "in use" lookups can match them */
	if (strchr(s, ' '))
		return inv_field_err(err, t, row, col, "'%s': write the list without spaces", s);
	snprintf(buf, INV_LIST_LEN, "%s", s);
	n = inv_list_split(buf, el, INV_LIST_MAX);
	if (n < 0)
		return inv_field_err(err, t, row, col, "'%s' is not a list of at most %d names", s,
				     INV_LIST_MAX);
	return n;
}

int inv_check_chain(struct inv *inv, const struct table *t, const void *row, struct err *err)
{
	const struct inv_chain *c = row;
	char buf[INV_LIST_LEN], tbuf[INV_LIST_LEN], type[INV_NAME_LEN];
	char *el[INV_LIST_MAX], *types[INV_LIST_MAX];
	struct inv_node n;
	int rc, k, nt;

	rc = ref_node(inv, t, row, "ingress", c->ingress, &n, err);
	if (!rc)
		rc = ref_node(inv, t, row, "egress", c->egress, &n, err);
	if (rc)
		return rc;
	nt = split_field(t, row, "functions", c->functions, tbuf, types, err);
	if (nt < 0)
		return nt;
	for (k = 0; k < nt; k++)
		if (!valid_name(types[k]))
			return inv_field_err(err, t, row, "functions",
					     "'%s' is not a function type", types[k]);
	rc = split_field(t, row, "exclude_nodes", c->exclude_nodes, buf, el, err);
	for (k = 0; rc > 0 && k < rc; k++) {
		int e = valid_name(el[k])
				? inv_db_exists(inv, "SELECT 1 FROM nodes WHERE name=?1", el[k])
				: 0;
		if (e < 0)
			return inv_db_fail(inv, err, "node lookup");
		if (!e)
			return inv_field_err(err, t, row, "exclude_nodes",
					     "node '%s' does not exist", el[k]);
		if (!strcmp(el[k], c->ingress) || !strcmp(el[k], c->egress))
			return inv_field_err(err, t, row, "exclude_nodes",
					     "'%s' is the chain's ingress or egress", el[k]);
	}
	if (rc < 0)
		return rc;
	rc = split_field(t, row, "exclude_links", c->exclude_links, buf, el, err);
	for (k = 0; rc > 0 && k < rc; k++) {
		int e = valid_name(el[k])
				? inv_db_exists(inv, "SELECT 1 FROM links WHERE name=?1", el[k])
				: 0;
		if (e < 0)
			return inv_db_fail(inv, err, "link lookup");
		if (!e)
			return inv_field_err(err, t, row, "exclude_links",
					     "link '%s' does not exist", el[k]);
	}
	if (rc < 0)
		return rc;
	rc = split_field(t, row, "pinned", c->pinned, buf, el, err);
	for (k = 0; rc > 0 && k < rc; k++) {
		char *eq = strchr(el[k], '=');
		int j, e;

		if (!eq)
			return inv_field_err(err, t, row, "pinned", "'%s' is not type=instance",
					     el[k]);
		*eq = 0;
		for (j = 0; j < nt && strcmp(types[j], el[k]); j++)
			;
		if (j == nt)
			return inv_field_err(err, t, row, "pinned",
					     "'%s' is not in the chain's functions", el[k]);
		e = valid_name(eq + 1) ? func_type(inv, eq + 1, type) : -ENOENT;
		if (e && e != -ENOENT)
			return inv_db_fail(inv, err, "function lookup");
		if (e)
			return inv_field_err(err, t, row, "pinned",
					     "function instance '%s' does not exist", eq + 1);
		if (strcmp(type, el[k]))
			return inv_field_err(err, t, row, "pinned",
					     "instance '%s' is a '%s', not a '%s'", eq + 1, type,
					     el[k]);
	}
	return rc < 0 ? rc : 0;
}

int inv_check_path(struct inv *inv, const struct table *t, const void *row, struct err *err)
{
	const struct inv_path *p = row;
	char buf[INV_LIST_LEN];
	char *el[INV_LIST_MAX];
	int e, n;

	e = inv_db_exists(inv, "SELECT 1 FROM chains WHERE name=?1", p->chain);
	if (e < 0)
		return inv_db_fail(inv, err, "chain lookup");
	if (!e)
		return err_set(err, ENOENT, "path '%s': field 'chain': chain '%s' does not exist",
			       p->chain, p->chain);
	n = split_field(t, row, "instances", p->instances, buf, el, err);
	return n < 0 ? n : 0;
}
