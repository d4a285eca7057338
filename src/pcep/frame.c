/* PCEP stream framing. */
#include <errno.h>
#include <string.h>

#include "pcep/frame.h"

void pcep_rx_init(struct pcep_rx *r, size_t max_msg)
{
	r->max_msg = (max_msg == 0 || max_msg > PCEP_MSG_MAX_LEN) ? PCEP_MSG_MAX_LEN : max_msg;
	r->len = 0;
}

/* Bytes of the current message: the header's until it is complete, then
 * its Message-Length (checked once the header is in). */
static int msg_need(const struct pcep_rx *r, size_t *need)
{
	int ml;

	*need = PCEP_HDR_LEN;
	if (r->len < PCEP_HDR_LEN)
		return 0;
	ml = pcep_hdr_len(r->buf);
	if (ml < 0)
		return -EBADMSG;
	if ((size_t)ml > r->max_msg)
		return -EMSGSIZE;
	*need = (size_t)ml;
	return 0;
}

int pcep_rx_push(struct pcep_rx *r, const uint8_t *data, size_t n, pcep_rx_fn fn, void *arg)
{
	size_t need;
	int rc = msg_need(r, &need);

	/* Each pass copies at least one byte or delivers a message. */
	while (rc == 0 && n) {
		size_t take = need - r->len < n ? need - r->len : n;

		memcpy(r->buf + r->len, data, take);
		r->len += take;
		data += take;
		n -= take;
		rc = msg_need(r, &need);
		if (rc == 0 && r->len == need) {
			r->len = 0;
			fn(arg, r->buf, need);
			rc = msg_need(r, &need);
		}
	}
	return rc;
}
