/* Whole-file reads (configuration, topology, scenario, pid files). */
#ifndef SRCHAIN_LIB_FILE_H
#define SRCHAIN_LIB_FILE_H

#include <stddef.h>

struct err;

/* Largest file the programs read whole. */
#define FILE_READ_MAX ((size_t)16 << 20)

/* Reads the file at path, at most max bytes, into a malloc'd NUL-terminated
 * buffer (*text, length *len without the NUL): 0, or a negative errno
 * (-EFBIG: longer than max) with err, if not NULL, saying "PATH: cannot open:
 * ...", "PATH: read error: ..." or "PATH: larger than N MiB". */
int file_read(const char *path, size_t max, char **text, size_t *len, struct err *err);

#endif
