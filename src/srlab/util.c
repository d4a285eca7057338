#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/json.h"
#include "srlab/util.h"

#define UTIL_FILE_MAX ((size_t)16 << 20)

void sbuf_init(struct sbuf *b)
{
	memset(b, 0, sizeof(*b));
}

static bool sbuf_grow(struct sbuf *b, size_t more)
{
	size_t cap;
	char *s;

	if (b->oom)
		return false;
	if (b->len + more + 1 <= b->cap)
		return true;
	cap = b->cap ? b->cap : 64;
	while (cap < b->len + more + 1)
		cap *= 2;
	s = realloc(b->s, cap);
	if (!s) {
		b->oom = true;
		return false;
	}
	b->s = s;
	b->cap = cap;
	return true;
}

void sbuf_addn(struct sbuf *b, const char *s, size_t n)
{
	if (!sbuf_grow(b, n))
		return;
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

void sbuf_add(struct sbuf *b, const char *s)
{
	sbuf_addn(b, s, strlen(s));
}

void sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !sbuf_grow(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

char *sbuf_take(struct sbuf *b)
{
	char *s;

	if (b->oom) {
		sbuf_free(b);
		return NULL;
	}
	if (!b->s)
		return strdup("");
	s = b->s;
	memset(b, 0, sizeof(*b));
	return s;
}

void sbuf_free(struct sbuf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

int util_read_file(const char *path, char **text, size_t *len)
{
	struct sbuf b;
	char tmp[8192];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	sbuf_init(&b);
	while ((n = read(fd, tmp, sizeof(tmp))) != 0) {
		if (n < 0) {
			int e = errno;

			if (e == EINTR)
				continue;
			close(fd);
			sbuf_free(&b);
			return -e;
		}
		if (b.len + (size_t)n > UTIL_FILE_MAX) {
			close(fd);
			sbuf_free(&b);
			return -EFBIG;
		}
		sbuf_addn(&b, tmp, (size_t)n);
	}
	close(fd);
	*len = b.len;
	*text = sbuf_take(&b);
	return *text ? 0 : -ENOMEM;
}

int util_write_file(const char *path, const char *text)
{
	char tmp[4200];
	size_t n = strlen(text);
	int fd;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (write(fd, text, n) != (ssize_t)n || close(fd)) {
		int e = errno ? errno : EIO;

		unlink(tmp);
		return -e;
	}
	if (rename(tmp, path)) {
		int e = errno;

		unlink(tmp);
		return -e;
	}
	return 0;
}

void util_fmt_json_err(char *msg, size_t cap, const char *path, const struct json_err *err)
{
	if (err->line > 0)
		snprintf(msg, cap, "%s:%d:%d: %s", path, err->line, err->col, err->msg);
	else
		snprintf(msg, cap, "%s: %s", path, err->msg);
}

int util_mkdirs(const char *path)
{
	char buf[4096];
	size_t n = strlen(path);

	if (n >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, n + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}
