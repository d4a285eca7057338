/* Control requests: the one-line requests srchainctl sends to srchaind's
 * control socket, and the edits they make to the running configuration text.
 *
 * A request is one line of words, split like a command line: words are
 * separated by spaces or tabs, "double quotes" and 'single quotes' keep
 * spaces inside a word, and inside double quotes \" and \\ stand for " and \.
 *
 *	show counters
 *	config add "function fw rule deny proto udp dport 7000"
 *
 * Nothing here does I/O: the daemon reads the line, srchainctl writes it. */
#ifndef SRCHAIN_CONF_CTL_REQ_H
#define SRCHAIN_CONF_CTL_REQ_H

#include <stddef.h>

#include "conf/conf.h"
#include "lib/err.h"

#define CTL_REQ_LINE_MAX  8192 /* bytes of one request line, without the newline */
#define CTL_REQ_WORDS_MAX 128  /* a config statement (96 words) plus the request */

enum ctl_req_type {
	CTL_REQ_SHOW_INTERFACES,
	CTL_REQ_SHOW_SIDS,
	CTL_REQ_SHOW_LABELS,
	CTL_REQ_SHOW_POLICIES,
	CTL_REQ_SHOW_CLASSIFIER,
	CTL_REQ_SHOW_FUNCTIONS,
	CTL_REQ_SHOW_ROUTES,
	CTL_REQ_SHOW_COUNTERS,
	CTL_REQ_SHOW_CONFIG,
	CTL_REQ_CONFIG_ADD,
	CTL_REQ_CONFIG_REMOVE,
	CTL_REQ_RELOAD,
	CTL_REQ_HELP,
	CTL_REQ_MAX
};

struct ctl_req {
	enum ctl_req_type type;
	/* config add/remove: the statement, its words joined by one space */
	char stmt[CONF_LINE_MAX + 1];
};

/* Splits line (len bytes, no newline) into words written to buf (cap >= len
 * + 1) and pointed to by words[0..max); returns the word count or a
 * negative errno with err set (unterminated quote, control character, too
 * many words). */
int ctl_req_split(const char *line, size_t len, char *buf, size_t cap, char **words, int max,
		  struct err *err);

/* Parses one request line into req; 0 or a negative errno with err set.
 * Keywords may be shortened to an unambiguous prefix ("sh cou"). */
int ctl_req_parse(const char *line, size_t len, struct ctl_req *req, struct err *err);

/* The request's words as srchainctl and the server name it ("show counters"). */
const char *ctl_req_name(enum ctl_req_type type);

/* Writes word into out so that ctl_req_split reads it back as one word
 * (quoted when it needs to be); the length written, or -ENOSPC. */
int ctl_req_quote(const char *word, char *out, size_t cap);

/* Returns a new text (malloc'd, *out_len bytes) that is text with stmt
 * appended as its last line; *line gets that line's number. 0 or -ENOMEM. */
int ctl_conf_add(const char *text, size_t len, const char *stmt, char **out, size_t *out_len,
		 int *line);

/* Returns a new text without the first line whose words (up to a comment)
 * are those of stmt; *line gets its number. 0, -ENOENT (no such line),
 * -EINVAL (stmt has no words) or -ENOMEM. */
int ctl_conf_remove(const char *text, size_t len, const char *stmt, char **out, size_t *out_len,
		    int *line);

#endif
