/* Firewall rule counters (vnf/firewall.c) are named by what the rule says,
 * not by its position: live mode carries counters from one table set to
 * the next by name, so removing or inserting a rule at run time must leave
 * every other rule's counter name, and so its count, alone. */
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "dp/tables.h"
#include "test.h"

#define FW_BASE                                                                                    \
	"interface eth0 mac 02:00:00:00:00:01 addr 2001:db8::1/64\n"                               \
	"function fw firewall default allow\n"

#define R_9    "function fw rule deny proto udp dport 9\n"
#define R_7000 "function fw rule deny proto udp dport 7000\n"
#define R_80   "function fw rule allow proto tcp dport 80 src 2001:db8::/48\n"
#define R_ANY  "function fw rule deny\n"

static struct dp_tables *fw_tables(const char *text)
{
	struct dp_tables *t = dp_tables_new(1);
	struct err err = {{0}};

	if (!t)
		return NULL;
	if (conf_apply(t, text, strlen(text), "fw.conf", &err) || dp_tables_finish(t, &err)) {
		test_fail(__FILE__, __LINE__, "config rejected: %s", err.msg);
		dp_tables_free(t);
		return NULL;
	}
	return t;
}

/* Number of stat slots named exactly name. */
static int count_named(const struct dp_tables *t, const char *name)
{
	int n = 0;

	for (uint32_t s = 0; s < t->n_stat; s++)
		n += !strcmp(t->stat_name[s], name);
	return n;
}

TEST(firewall_rule_counter_names_follow_the_rule)
{
	static const char *const names[] = {
		"function fw rule deny proto 17 dport 9-9",
		"function fw rule deny proto 17 dport 7000-7000",
		"function fw rule allow proto 6 src 2001:db8::/48 dport 80-80",
		"function fw rule deny any",
	};
	struct dp_tables *all = fw_tables(FW_BASE R_9 R_7000 R_80 R_ANY);
	/* the first rule removed, then a rule put in front of the others */
	struct dp_tables *removed = fw_tables(FW_BASE R_7000 R_80 R_ANY);
	struct dp_tables *inserted =
		fw_tables(FW_BASE "function fw rule allow proto udp dport 53\n" R_7000 R_80 R_ANY);

	if (!all || !removed || !inserted)
		goto out;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		CHECK_EQ(count_named(all, names[i]), 1);
		if (i == 0) {
			CHECK_EQ(count_named(removed, names[i]), 0);
			CHECK_EQ(count_named(inserted, names[i]), 0);
			continue;
		}
		/* same name in every set: its counter is carried over */
		CHECK_EQ(count_named(removed, names[i]), 1);
		CHECK_EQ(count_named(inserted, names[i]), 1);
	}
	CHECK_EQ(count_named(inserted, "function fw rule allow proto 17 dport 53-53"), 1);
	CHECK_EQ(count_named(all, "function fw default allow"), 1);
	/* no name carries a position any more */
	for (uint32_t s = 0; s < all->n_stat; s++)
		CHECK(strncmp(all->stat_name[s], "function fw rule 1", 18) != 0);
out:
	if (all)
		dp_tables_free(all);
	if (removed)
		dp_tables_free(removed);
	if (inserted)
		dp_tables_free(inserted);
}
