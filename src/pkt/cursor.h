/* Bounded read cursor: every parser walks packet bytes through one of these. */
#ifndef SRCHAIN_PKT_CURSOR_H
#define SRCHAIN_PKT_CURSOR_H

#include <stddef.h>
#include <stdint.h>

struct cursor {
	const uint8_t *start;
	const uint8_t *p;
	const uint8_t *end;
};

static inline void cursor_init(struct cursor *c, const void *buf, size_t len)
{
	c->start = buf;
	c->p = buf;
	c->end = c->p + len;
}

static inline size_t cursor_left(const struct cursor *c)
{
	return (size_t)(c->end - c->p);
}

static inline size_t cursor_off(const struct cursor *c)
{
	return (size_t)(c->p - c->start);
}

/* Returns a pointer to the next n bytes and advances, or NULL (cursor
 * unchanged) when fewer than n bytes remain. */
static inline const void *cursor_pull(struct cursor *c, size_t n)
{
	const uint8_t *r = c->p;

	if (cursor_left(c) < n)
		return NULL;
	c->p += n;
	return r;
}

/* Like cursor_pull but does not advance. */
static inline const void *cursor_peek(const struct cursor *c, size_t n)
{
	return cursor_left(c) < n ? NULL : c->p;
}

#endif
