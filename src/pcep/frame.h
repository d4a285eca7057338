/* Splits a TCP byte stream into PCEP messages by the common header's
 * Message-Length, through one bounded buffer: a message may arrive split
 * at any byte boundary, and one read may carry many messages. */
#ifndef SRCHAIN_PCEP_FRAME_H
#define SRCHAIN_PCEP_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "pcep/msg.h"

struct pcep_rx {
	size_t max_msg; /* largest Message-Length accepted (<= PCEP_MSG_MAX_LEN) */
	size_t len;	/* bytes held of the current message */
	uint8_t buf[PCEP_MSG_MAX_LEN];
};

typedef void (*pcep_rx_fn)(void *arg, const uint8_t *msg, size_t len);

/* max_msg 0 means PCEP_MSG_MAX_LEN. */
void pcep_rx_init(struct pcep_rx *r, size_t max_msg);
/* Takes n bytes, calling fn once per whole message, in order. 0, or
 * -EBADMSG (version not 1, Message-Length below 4) / -EMSGSIZE (longer than
 * max_msg): the stream cannot be resynchronised, close the session. */
int pcep_rx_push(struct pcep_rx *r, const uint8_t *data, size_t n, pcep_rx_fn fn, void *arg);

#endif
