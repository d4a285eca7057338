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

/* Flushing after each append keeps b->s and b->len current, as readers of
 * b->s expect. */
static void sbuf_sync(struct sbuf *b)
{
	if (!b->oom && fflush(b->f))
		b->oom = true;
}

void sbuf_init(struct sbuf *b)
{
	memset(b, 0, sizeof(*b));
	b->f = open_memstream(&b->s, &b->len);
	b->oom = !b->f;
	sbuf_sync(b);
}

void sbuf_addn(struct sbuf *b, const char *s, size_t n)
{
	if (!b->oom && fwrite(s, 1, n, b->f) != n)
		b->oom = true;
	sbuf_sync(b);
}

void sbuf_add(struct sbuf *b, const char *s)
{
	sbuf_addn(b, s, strlen(s));
}

void sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;

	if (b->oom)
		return;
	va_start(ap, fmt);
	if (vfprintf(b->f, fmt, ap) < 0)
		b->oom = true;
	va_end(ap);
	sbuf_sync(b);
}

char *sbuf_take(struct sbuf *b)
{
	char *s;

	if (b->f && fclose(b->f))
		b->oom = true;
	b->f = NULL;
	s = b->oom ? NULL : b->s;
	if (!s)
		free(b->s);
	memset(b, 0, sizeof(*b));
	return s;
}

void sbuf_free(struct sbuf *b)
{
	free(sbuf_take(b));
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
