/* The version every srchain program reports with --version: the release
 * number from the VERSION file at the top of the tree and, when built from
 * a git checkout, the commit (`git describe --always --dirty`), both baked
 * in by the Makefile at build time. */
#ifndef SRCHAIN_LIB_VERSION_H
#define SRCHAIN_LIB_VERSION_H

#include <stdio.h>

/* The release number, e.g. "0.1.0". */
const char *version_release(void);

/* The commit the binary was built from, or "" if not built from git. */
const char *version_commit(void);

/* Prints "PROG RELEASE" (and " (COMMIT)" if known) and a newline to f;
 * returns 0, the exit status of `PROG --version`. */
int version_print(FILE *f, const char *prog);

#endif
