/* Answers to control requests, as JSON documents (srchaind/ctl.h). */
#ifndef SRCHAIND_CTL_ANSWER_H
#define SRCHAIND_CTL_ANSWER_H

#include <stddef.h>
#include <stdio.h>

struct ctl_env;

/* Answers one request line (len bytes, no newline) into f as a JSON
 * document, using env for the tables and the daemon's callbacks. */
void ctl_answer(const struct ctl_env *env, const char *line, size_t len, FILE *f);

/* Writes {"ok":false,"error":msg} into f. */
void ctl_answer_error(FILE *f, const char *msg);

#endif
