/* PCEP stream framing. */
#include <errno.h>
#include <string.h>

#include "pcep/frame.h"

void pcep_rx_init(struct pcep_rx *r, size_t max_msg)
{
	r->max_msg = (max_msg == 0 || max_msg > PCEP_MSG_MAX_LEN) ? PCEP_MSG_MAX_LEN : max_msg;
	r->len = 0;
}

int pcep_rx_push(struct pcep_rx *r, const uint8_t *data, size_t n, pcep_rx_fn fn, void *arg)
{
	/* Each pass copies at least one byte or delivers a message. */
	while (n) {
		size_t need = PCEP_HDR_LEN, take;

		if (r->len >= PCEP_HDR_LEN) {
			int ml = pcep_hdr_len(r->buf);

			if (ml < 0)
				return -EBADMSG;
			if ((size_t)ml > r->max_msg)
				return -EMSGSIZE;
			need = (size_t)ml;
		}
		take = need - r->len < n ? need - r->len : n;
		memcpy(r->buf + r->len, data, take);
		r->len += take;
		data += take;
		n -= take;
		if (r->len < PCEP_HDR_LEN)
			continue;
		if (r->len == PCEP_HDR_LEN) {
			int ml = pcep_hdr_len(r->buf);

			if (ml < 0)
				return -EBADMSG;
			if ((size_t)ml > r->max_msg)
				return -EMSGSIZE;
			need = (size_t)ml;
		}
		if (r->len == need) {
			r->len = 0;
			fn(arg, r->buf, need);
		}
	}
	return 0;
}
