/* One whole-file reader; the text collects in an open_memstream() buffer. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/err.h"
#include "lib/file.h"

int file_read(const char *path, size_t max, char **text, size_t *len, struct err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;
	char chunk[8192], *buf = NULL;
	size_t n = 0;
	FILE *mem;

	if (fd < 0)
		return err_set(err, errno, "%s: cannot open: %s", path, strerror(errno));
	mem = open_memstream(&buf, &n);
	if (!mem) {
		close(fd);
		return err_set(err, ENOMEM, "%s: out of memory", path);
	}
	for (;;) {
		ssize_t r = read(fd, chunk, sizeof(chunk));

		if (r == 0)
			break;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = err_set(err, errno, "%s: read error: %s", path, strerror(errno));
			break;
		}
		/* ftell, not n: the stream updates n only on fflush/fclose. */
		if ((size_t)ftell(mem) + (size_t)r > max) {
			rc = err_set(err, EFBIG, "%s: larger than %zu MiB", path, max >> 20);
			break;
		}
		if (fwrite(chunk, 1, (size_t)r, mem) != (size_t)r) {
			rc = err_set(err, ENOMEM, "%s: out of memory", path);
			break;
		}
	}
	close(fd);
	if (fclose(mem) && !rc)
		rc = err_set(err, ENOMEM, "%s: out of memory", path);
	if (rc) {
		free(buf);
		return rc;
	}
	*text = buf;
	*len = n;
	return 0;
}
