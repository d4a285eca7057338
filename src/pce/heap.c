/* Binary min-heap (see heap.h). */
#include <errno.h>
#include <stdlib.h>

#include "pce/heap.h"

int pce_heap_push(struct pce_heap *h, uint64_t key, int32_t val)
{
	int i;

	if (h->n == h->cap) {
		int cap = h->cap ? h->cap * 2 : 256;
		struct pce_heap_item *a = realloc(h->a, (size_t)cap * sizeof(*a));

		if (!a)
			return -ENOMEM;
		h->a = a;
		h->cap = cap;
	}
	for (i = h->n++; i > 0 && h->a[(i - 1) / 2].key > key; i = (i - 1) / 2)
		h->a[i] = h->a[(i - 1) / 2];
	h->a[i] = (struct pce_heap_item){key, val};
	return 0;
}

bool pce_heap_pop(struct pce_heap *h, struct pce_heap_item *out)
{
	struct pce_heap_item last;
	int i = 0;

	if (!h->n)
		return false;
	*out = h->a[0];
	last = h->a[--h->n];
	for (;;) {
		int c = 2 * i + 1;

		if (c >= h->n)
			break;
		if (c + 1 < h->n && h->a[c + 1].key < h->a[c].key)
			c++;
		if (h->a[c].key >= last.key)
			break;
		h->a[i] = h->a[c];
		i = c;
	}
	h->a[i] = last;
	return true;
}

void pce_heap_free(struct pce_heap *h)
{
	free(h->a);
	*h = (struct pce_heap){0};
}
