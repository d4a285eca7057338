/* A binary min-heap of (key, value) for Dijkstra: decrease-key by pushing
 * again and skipping stale entries on pop. */
#ifndef SRCHAIN_PCE_HEAP_H
#define SRCHAIN_PCE_HEAP_H

#include <stdbool.h>
#include <stdint.h>

struct pce_heap_item {
	uint64_t key;
	int32_t val;
};

struct pce_heap {
	struct pce_heap_item *a;
	int n, cap;
};

/* -ENOMEM when it cannot grow. */
int pce_heap_push(struct pce_heap *h, uint64_t key, int32_t val);
/* false when empty. */
bool pce_heap_pop(struct pce_heap *h, struct pce_heap_item *out);
void pce_heap_free(struct pce_heap *h);

#endif
