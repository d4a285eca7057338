/* A minimal PCE built only from src/pcep, for interoperability tests with a
 * real PCC (FRR pathd): accepts one session and logs what it hears. Once the
 * PCC has synchronized it creates an SR-MPLS LSP with PCInitiate, waits for
 * the PCRpt carrying that SRP-ID, then updates the LSP with a PCUpd (a new
 * SR-ERO) and waits for the report of that one too.
 *
 *   pcep-pce ADDR [TIMEOUT_S [DUMP_DIR]]
 *
 * exit 0: both reported back; 1: anything else. With DUMP_DIR every message
 * received is also written there as peer-NN (real-peer fuzz seeds). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pcep/frame.h"
#include "pcep/session.h"
#include "pcep/transport.h"

struct peer {
	struct pcep_session s;
	uint64_t now;
	uint32_t plsp;	   /* the LSP we created, once reported */
	uint32_t init_srp; /* SRP-ID of our PCInitiate, 0 before */
	uint32_t upd_srp;  /* SRP-ID of our PCUpd, 0 before */
	int done;	   /* 1 = success, -1 = failure */
	struct pcep_msg upd;
};

static struct peer P;
static struct pcep_rx dump_rx;
static const char *dump_dir;
static int n_dumped;

static void dump_one(void *arg, const uint8_t *msg, size_t len)
{
	char path[4096];
	FILE *f;

	(void)arg;
	snprintf(path, sizeof(path), "%s/peer-%02d", dump_dir, n_dumped++);
	f = fopen(path, "wb");
	if (!f || fwrite(msg, 1, len, f) != len)
		fprintf(stderr, "pcep-pce: %s: %s\n", path, strerror(errno));
	if (f)
		fclose(f);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void print_report(const struct pcep_lsp_state *l)
{
	printf("  LSP plsp-id=%u flags=0x%03x name=%s ero=%u", l->lsp.plsp_id, l->lsp.flags,
	       l->lsp.has_symname ? l->lsp.symname : "-", l->ero.n);
	if (l->has_srp)
		printf(" srp-id=%u", l->srp.id);
	for (unsigned i = 0; i < l->ero.n; i++) {
		const struct pcep_ero_sub *e = &l->ero.sub[i];

		if (e->type == PCEP_ERO_SR)
			printf(" [SR nt=%u%s label=%u]", e->nt, (e->flags & PCEP_SR_M) ? " M" : "",
			       e->sid >> 12);
		else
			printf(" [type %u]", e->type);
	}
	printf("\n");
}

static void send_initiate(struct peer *p)
{
	struct pcep_lsp_state *l;
	struct pcep_nai nai = {{192, 0, 2, 3}};
	int rc;

	pcep_msg_init(&p->upd, PCEP_MSG_PCINITIATE);
	p->upd.n_lsp = 1;
	l = &p->upd.lsp[0];
	l->has_srp = true;
	l->srp.id = p->init_srp = pcep_session_srp_id(&p->s);
	l->srp.has_pst = true;
	l->srp.pst = PCEP_PST_SR;
	l->has_lsp = true;
	l->lsp.flags = PCEP_LSP_D | PCEP_LSP_A;
	pcep_lsp_set_symname(&l->lsp, "srchain-1", 9);
	l->has_endpoints = true;
	l->ep.af = 4;
	memcpy(l->ep.src, (const uint8_t[]){192, 0, 2, 1}, 4);
	memcpy(l->ep.dst, (const uint8_t[]){192, 0, 2, 3}, 4);
	l->has_ero = true;
	pcep_ero_sr_label(&l->ero.sub[l->ero.n++], 16020, PCEP_NAI_IPV4_NODE, &nai);
	rc = pcep_session_send(&p->s, p->now, &p->upd);
	printf("PCInitiate srp-id=%u: %s\n", p->init_srp, rc ? strerror(-rc) : "sent");
	if (rc)
		p->done = -1;
}

static void send_update(struct peer *p)
{
	struct pcep_lsp_state *l;
	struct pcep_nai nai = {{192, 0, 2, 3}};
	int rc;

	pcep_msg_init(&p->upd, PCEP_MSG_PCUPD);
	p->upd.n_lsp = 1;
	l = &p->upd.lsp[0];
	l->has_srp = true;
	l->srp.id = p->upd_srp = pcep_session_srp_id(&p->s);
	l->srp.has_pst = true;
	l->srp.pst = PCEP_PST_SR;
	l->has_lsp = true;
	l->lsp.plsp_id = p->plsp;
	l->lsp.flags = PCEP_LSP_D | PCEP_LSP_A;
	l->has_ero = true;
	pcep_ero_sr_label(&l->ero.sub[l->ero.n++], 16050, PCEP_NAI_IPV4_NODE, &nai);
	pcep_ero_sr_label(&l->ero.sub[l->ero.n++], 16030, PCEP_NAI_ABSENT, NULL);
	rc = pcep_session_send(&p->s, p->now, &p->upd);
	printf("PCUpd plsp-id=%u srp-id=%u: %s\n", p->plsp, p->upd_srp,
	       rc ? strerror(-rc) : "sent");
	if (rc)
		p->done = -1;
}

static void on_event(void *arg, const struct pcep_event *ev)
{
	struct peer *p = arg;
	const struct pcep_msg *m = ev->msg;

	switch (ev->type) {
	case PCEP_EV_UP:
		printf("UP: peer keepalive=%u deadtimer=%u stateful=%d update=%d initiate=%d sr=%d "
		       "msd=%u\n",
		       p->s.peer.keepalive, p->s.peer.deadtimer, p->s.stateful, p->s.update,
		       p->s.initiate, p->s.sr, p->s.peer.sr_msd);
		break;
	case PCEP_EV_MSG:
		printf("%s (%u LSPs, %u objects skipped)\n", pcep_msg_type_name(m->type), m->n_lsp,
		       m->n_skipped);
		if (m->type == PCEP_MSG_PCERR) {
			for (unsigned i = 0; i < m->n_err; i++)
				printf("  PCErr %u/%u %s\n", m->err[i].type, m->err[i].value,
				       pcep_err_name(m->err[i].type, m->err[i].value));
			p->done = -1;
		}
		for (unsigned i = 0; i < m->n_lsp; i++) {
			const struct pcep_lsp_state *l = &m->lsp[i];

			print_report(l);
			if (!p->plsp && p->init_srp && l->has_srp && l->srp.id == p->init_srp &&
			    l->lsp.plsp_id) {
				p->plsp = l->lsp.plsp_id;
				printf("INITIATE-REPORTED plsp-id=%u\n", p->plsp);
				send_update(p);
			} else if (p->upd_srp && l->has_srp && l->srp.id == p->upd_srp) {
				printf("UPDATE-REPORTED plsp-id=%u\n", l->lsp.plsp_id);
				p->done = 1;
			}
		}
		break;
	case PCEP_EV_SYNC_DONE:
		printf("SYNC_DONE after %llu reports\n",
		       (unsigned long long)p->s.stats.sync_reports);
		send_initiate(p);
		break;
	case PCEP_EV_PCERR_SENT:
		printf("PCErr sent %u/%u: %s (%s)\n", ev->err_type, ev->err_value,
		       pcep_err_name(ev->err_type, ev->err_value), ev->why);
		p->done = -1;
		break;
	case PCEP_EV_CLOSED:
		printf("CLOSED reason=%u by_peer=%d %s\n", ev->close_reason, ev->by_peer,
		       ev->why ? ev->why : "");
		if (!p->done)
			p->done = -1;
		break;
	default:
		break;
	}
	fflush(stdout);
}

static int flush_out(struct peer *p, int fd)
{
	size_t n;
	const uint8_t *b = pcep_session_out(&p->s, &n);
	ssize_t w = pcep_tr_write(fd, b, n);

	if (w < 0)
		return -1;
	pcep_session_out_consume(&p->s, (size_t)w);
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(PCEP_TCP_PORT)};
	struct sockaddr_storage from;
	struct pcep_session_cfg cfg;
	uint64_t deadline;
	int lfd, fd = -EAGAIN;

	if (argc < 2 || inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1) {
		fprintf(stderr, "usage: pcep-pce IPV4-ADDR [TIMEOUT_S]\n");
		return 2;
	}
	deadline = now_ms() + (argc > 2 ? (uint64_t)atoi(argv[2]) : 60) * 1000u;
	dump_dir = argc > 3 ? argv[3] : NULL;
	pcep_rx_init(&dump_rx, 0);
	setvbuf(stdout, NULL, _IOLBF, 0);
	lfd = pcep_tr_listen((struct sockaddr *)&sa, sizeof(sa), 4);
	if (lfd < 0) {
		fprintf(stderr, "pcep-pce: listen %s:%d: %s\n", argv[1], PCEP_TCP_PORT,
			strerror(-lfd));
		return 1;
	}
	printf("listening on %s:%d\n", argv[1], PCEP_TCP_PORT);
	while (fd == -EAGAIN && now_ms() < deadline) {
		struct pollfd pf = {.fd = lfd, .events = POLLIN};

		poll(&pf, 1, 200);
		fd = pcep_tr_accept(lfd, &from);
	}
	if (fd < 0) {
		printf("no PCC connected\n");
		return 1;
	}
	printf("PCC connected\n");
	pcep_session_cfg_stateful_sr(&cfg, PCEP_ROLE_PCE, 0, false);
	cfg.require_stateful = true;
	P.now = now_ms();
	pcep_session_init(&P.s, &cfg, on_event, &P);
	pcep_session_connected(&P.s, P.now);
	while (!P.done && now_ms() < deadline) {
		struct pollfd pf = {.fd = fd, .events = POLLIN};
		uint8_t buf[4096];
		ssize_t r;

		if (flush_out(&P, fd)) {
			printf("write failed\n");
			return 1;
		}
		poll(&pf, 1, 200);
		P.now = now_ms();
		while ((r = pcep_tr_read(fd, buf, sizeof(buf))) > 0) {
			if (dump_dir)
				pcep_rx_push(&dump_rx, buf, (size_t)r, dump_one, NULL);
			pcep_session_feed(&P.s, P.now, buf, (size_t)r);
		}
		if (r == -ECONNRESET) {
			printf("PCC closed the connection\n");
			return 1;
		}
		pcep_session_tick(&P.s, P.now);
	}
	if (P.done > 0)
		pcep_session_close(&P.s, P.now, PCEP_CLOSE_NO_EXPLANATION);
	flush_out(&P, fd);
	close(fd);
	close(lfd);
	printf("%s\n", P.done > 0 ? "PASS" : "FAIL");
	return P.done > 0 ? 0 : 1;
}
