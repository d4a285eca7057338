/* 5-tuple matching shared by the ingress classifier and the firewall
 * function: parse "proto tcp src 192.0.2.0/24 dport 80-89 in eth0", and test
 * a packet's key against a match. */
#ifndef SRCHAIN_DP_MATCH_H
#define SRCHAIN_DP_MATCH_H

#include "dp/tables.h"
#include "pkt/pbuf.h"

/* Reads match fields from argv[*i...] until a word that is not a match
 * keyword; *i is left on that word. Errors name the field. */
int dp_match_parse(const struct dp_tables *t, char **argv, int argc, int *i, struct dp_match *m,
		   struct err *err);

/* Fills key from the innermost packet under p (5-tuple) and p->in_if,
 * and sets p->hash from the same walk if it was not computed yet. */
int dp_cls_key_from_pkt(struct pkt *p, struct dp_cls_key *key);

/* Fills key from the packet as received (its outermost IP header and,
 * after that header's extensions, its upper-layer ports) and p->in_if:
 * what a route would steer by. */
int dp_cls_key_outer(const struct pkt *p, struct dp_cls_key *key);

int dp_match_test(const struct dp_match *m, const struct dp_cls_key *k);

/* Writes the match in the config syntax (for listings). */
void dp_match_format(const struct dp_tables *t, const struct dp_match *m, char *buf, size_t len);

#endif
