/* Writes one of every PCEP message this library encodes, either into a pcap
 * (Ethernet/IPv4/TCP, PCC 192.0.2.1 <-> PCE 192.0.2.2 port 4189) for the
 * tshark check, or as one file per message (the fuzz seed corpus).
 *
 *   pcep-gen -p out.pcap       pcep-gen -c dir */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/pcap.h"
#include "lib/err.h"
#include "pcep/msg.h"
#include "pcep/transport.h"
#include "pkt/byteorder.h"
#include "pkt/csum.h"

#define N_MSGS_MAX 32

struct gen_msg {
	const char *name;
	bool from_pce;
	int len;
	uint8_t buf[2048];
};

static struct gen_msg msgs[N_MSGS_MAX];
static int n_msgs;
static struct pcep_msg m;

static const uint8_t pcc4[4] = {192, 0, 2, 1}, pce4[4] = {192, 0, 2, 2}, far4[4] = {192, 0, 2, 3};
static const uint8_t v6a[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
static const uint8_t v6b[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};
static const uint8_t sid1[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, [15] = 0x40};
static const uint8_t sid2[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 2, [15] = 0x41};

static void add(const char *name, bool from_pce)
{
	struct gen_msg *g = &msgs[n_msgs];

	g->name = name;
	g->from_pce = from_pce;
	g->len = pcep_msg_encode(&m, g->buf, sizeof(g->buf));
	if (g->len < 0) {
		fprintf(stderr, "pcep-gen: encoding %s: %s\n", name, strerror(-g->len));
		exit(1);
	}
	n_msgs++;
}

static void open_caps(struct pcep_open *o, bool pcc)
{
	o->keepalive = 30;
	o->deadtimer = 120;
	o->sid = 1;
	o->has_stateful = true;
	o->stateful_flags = PCEP_STATEFUL_U | PCEP_STATEFUL_I;
	o->has_pst_cap = true;
	o->n_pst = 2;
	o->pst[0] = PCEP_PST_SR;
	o->pst[1] = PCEP_PST_SRV6;
	o->has_sr_cap = true;
	o->sr_flags = pcc ? PCEP_SR_CAP_N : 0;
	o->sr_msd = pcc ? 10 : 0;
	o->has_srv6_cap = true;
	o->srv6_flags = pcc ? PCEP_SRV6_CAP_N : 0;
	if (pcc) {
		o->n_srv6_msd = 2;
		o->srv6_msd[0] = (struct pcep_msd){41, 5};
		o->srv6_msd[1] = (struct pcep_msd){44, 3};
	}
}

static struct pcep_lsp_state *lsp_state(uint32_t plsp, uint16_t flags, const char *name)
{
	struct pcep_lsp_state *s = &m.lsp[m.n_lsp++];

	s->has_lsp = true;
	s->lsp.plsp_id = plsp;
	s->lsp.flags = flags;
	if (name)
		pcep_lsp_set_symname(&s->lsp, name, strlen(name));
	return s;
}

static void srp(struct pcep_lsp_state *s, uint32_t id, uint32_t flags, int pst)
{
	s->has_srp = true;
	s->srp.id = id;
	s->srp.flags = flags;
	if (pst >= 0) {
		s->srp.has_pst = true;
		s->srp.pst = (uint8_t)pst;
	}
}

static void sr_ero_all_nai(struct pcep_ero *e)
{
	struct pcep_nai nai = {.local_ifid = 3, .remote_ifid = 4};

	memcpy(nai.local, pcc4, 4);
	memcpy(nai.remote, pce4, 4);
	pcep_ero_sr_label(&e->sub[e->n++], 16001, PCEP_NAI_IPV4_NODE, &nai);
	pcep_ero_sr_label(&e->sub[e->n++], 24001, PCEP_NAI_IPV4_ADJ, &nai);
	pcep_ero_sr_label(&e->sub[e->n++], 24002, PCEP_NAI_UNNUMBERED, &nai);
	memcpy(nai.local, v6a, 16);
	memcpy(nai.remote, v6b, 16);
	pcep_ero_sr_label(&e->sub[e->n++], 16002, PCEP_NAI_IPV6_NODE, &nai);
	pcep_ero_sr_label(&e->sub[e->n++], 24003, PCEP_NAI_IPV6_ADJ, &nai);
	pcep_ero_sr_label(&e->sub[e->n++], 16003, PCEP_NAI_ABSENT, NULL);
}

static void build(void)
{
	struct pcep_lsp_state *s;
	struct pcep_nai nai = {0};

	pcep_msg_init(&m, PCEP_MSG_OPEN);
	m.has_open = true;
	open_caps(&m.open, true);
	add("open-pcc", false);

	pcep_msg_init(&m, PCEP_MSG_OPEN);
	m.has_open = true;
	m.open.keepalive = 30;
	m.open.deadtimer = 120;
	m.open.has_stateful = true;
	m.open.stateful_flags = PCEP_STATEFUL_U;
	m.open.has_sr_cap = true;
	m.open.sr_cap_top_level = true;
	add("open-pce-legacy-sr-cap", true);

	pcep_msg_init(&m, PCEP_MSG_KEEPALIVE);
	add("keepalive", true);

	pcep_msg_init(&m, PCEP_MSG_PCRPT);
	s = lsp_state(5, PCEP_LSP_D | PCEP_LSP_S | PCEP_LSP_A | PCEP_LSP_ACTIVE << PCEP_LSP_O_SHIFT,
		      "chain-web");
	s->lsp.ids.af = 4;
	memcpy(s->lsp.ids.sender, pcc4, 4);
	memcpy(s->lsp.ids.ext_tunnel_id, pcc4, 4);
	memcpy(s->lsp.ids.endpoint, far4, 4);
	s->lsp.ids.lsp_id = 1;
	s->lsp.ids.tunnel_id = 2;
	s->has_ero = true;
	sr_ero_all_nai(&s->ero);
	s->has_bw = true;
	s->bw.ot = 1;
	s->bw.bw_bits = 0x49742400; /* 1e6 */
	s->n_metric = 1;
	s->metric[0] = (struct pcep_metric){.type = PCEP_METRIC_TE, .value_bits = 0x41a00000};
	add("pcrpt-sr-sync", false);

	pcep_msg_init(&m, PCEP_MSG_PCRPT);
	s = lsp_state(6, PCEP_LSP_D | PCEP_LSP_S, "chain-v6");
	s->lsp.ids.af = 6;
	memcpy(s->lsp.ids.sender, v6a, 16);
	memcpy(s->lsp.ids.ext_tunnel_id, v6a, 16);
	memcpy(s->lsp.ids.endpoint, v6b, 16);
	s->has_ero = true;
	add("pcrpt-ipv6-lsp-ids", false);

	pcep_msg_init(&m, PCEP_MSG_PCRPT);
	s = lsp_state(0, 0, NULL);
	s->has_ero = true;
	add("pcrpt-end-of-sync", false);

	pcep_msg_init(&m, PCEP_MSG_PCUPD);
	s = lsp_state(5, PCEP_LSP_D, NULL);
	srp(s, 1, 0, PCEP_PST_SR);
	s->has_ero = true;
	sr_ero_all_nai(&s->ero);
	s->n_metric = 1;
	s->metric[0] = (struct pcep_metric){.type = PCEP_METRIC_IGP, .value_bits = 0x41200000};
	add("pcupd-sr", true);

	pcep_msg_init(&m, PCEP_MSG_PCUPD);
	s = lsp_state(6, PCEP_LSP_D, NULL);
	srp(s, 2, 0, PCEP_PST_SRV6);
	s->has_ero = true;
	memcpy(nai.local, v6a, 16);
	memcpy(nai.remote, v6b, 16);
	pcep_ero_srv6_sid(&s->ero.sub[s->ero.n++], sid1, 1, PCEP_NAI_IPV6_NODE, &nai);
	s->ero.sub[0].flags |= PCEP_SRV6_T;
	s->ero.sub[0].ss = (struct pcep_srv6_sid_struct){32, 16, 16, 0, 0};
	pcep_ero_srv6_sid(&s->ero.sub[s->ero.n++], sid2, 5, PCEP_NAI_IPV6_ADJ, &nai);
	pcep_ero_srv6_sid(&s->ero.sub[s->ero.n++], sid1, 17, PCEP_NAI_ABSENT, NULL);
	add("pcupd-srv6", true);

	pcep_msg_init(&m, PCEP_MSG_PCINITIATE);
	s = lsp_state(0, PCEP_LSP_D, "sfc-1");
	srp(s, 3, 0, PCEP_PST_SR);
	s->has_endpoints = true;
	s->ep.af = 4;
	memcpy(s->ep.src, pcc4, 4);
	memcpy(s->ep.dst, far4, 4);
	s->has_ero = true;
	pcep_ero_sr_label(&s->ero.sub[s->ero.n++], 16003, PCEP_NAI_ABSENT, NULL);
	add("pcinitiate-create", true);

	pcep_msg_init(&m, PCEP_MSG_PCINITIATE);
	s = lsp_state(7, 0, NULL);
	srp(s, 4, PCEP_SRP_R, -1);
	add("pcinitiate-remove", true);

	pcep_msg_init(&m, PCEP_MSG_PCERR);
	m.n_err = 1;
	m.err[0] = (struct pcep_error){1, 4};
	m.has_open = true;
	m.open.keepalive = 10;
	m.open.deadtimer = 40;
	add("pcerr-open-proposal", true);

	pcep_msg_init(&m, PCEP_MSG_PCERR);
	m.err_has_srp = true;
	m.err_srp_id = 3;
	m.n_err = 1;
	m.err[0] = (struct pcep_error){24, 1};
	add("pcerr-srp", false);

	pcep_msg_init(&m, PCEP_MSG_CLOSE);
	m.close_reason = PCEP_CLOSE_NO_EXPLANATION;
	add("close", false);
}

/* Ethernet + IPv4 + TCP (PSH|ACK) around one PCEP message. */
static size_t frame(uint8_t *f, const struct gen_msg *g, uint32_t *seq)
{
	static const uint8_t mac_pcc[6] = {0x02, 0, 0, 0, 0, 1}, mac_pce[6] = {0x02, 0, 0, 0, 0, 2};
	uint8_t *ip = f + 14, *tcp = ip + 20;
	size_t tl = 20 + (size_t)g->len;
	uint32_t sum;
	const uint8_t *src = g->from_pce ? pce4 : pcc4, *dst = g->from_pce ? pcc4 : pce4;

	memcpy(f, g->from_pce ? mac_pcc : mac_pce, 6);
	memcpy(f + 6, g->from_pce ? mac_pce : mac_pcc, 6);
	wr_be16(f + 12, 0x0800);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	wr_be16(ip + 2, (uint16_t)(20 + tl));
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, src, 4);
	memcpy(ip + 16, dst, 4);
	wr_be16(ip + 10, csum_fold(csum_partial(ip, 20, 0)));
	memset(tcp, 0, 20);
	wr_be16(tcp, g->from_pce ? PCEP_TCP_PORT : 40000);
	wr_be16(tcp + 2, g->from_pce ? 40000 : PCEP_TCP_PORT);
	wr_be32(tcp + 4, seq[g->from_pce]);
	wr_be32(tcp + 8, seq[!g->from_pce]);
	tcp[12] = 5 << 4;
	tcp[13] = 0x18;
	wr_be16(tcp + 14, 65535);
	memcpy(tcp + 20, g->buf, (size_t)g->len);
	sum = csum_partial(ip + 12, 8, 0);
	sum = csum_add16(sum, 6);
	sum = csum_add16(sum, (uint16_t)tl);
	wr_be16(tcp + 16, csum_fold(csum_partial(tcp, tl, sum)));
	seq[g->from_pce] += (uint32_t)g->len;
	return 14 + 20 + tl;
}

static int write_pcap(const char *path)
{
	struct pcap_writer w;
	struct err err;
	uint32_t seq[2] = {1000, 5000};
	static uint8_t f[4096];

	if (pcap_open_write(&w, path, &err)) {
		fprintf(stderr, "pcep-gen: %s\n", err.msg);
		return 1;
	}
	for (int i = 0; i < n_msgs; i++) {
		size_t n = frame(f, &msgs[i], seq);

		pcap_write(&w, (uint64_t)(i + 1) * 1000000u, f, (uint32_t)n);
	}
	return pcap_close_write(&w) ? 1 : 0;
}

static int write_corpus(const char *dir)
{
	char path[4096];

	for (int i = 0; i < n_msgs; i++) {
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, msgs[i].name);
		f = fopen(path, "wb");
		if (!f || fwrite(msgs[i].buf, 1, (size_t)msgs[i].len, f) != (size_t)msgs[i].len) {
			fprintf(stderr, "pcep-gen: %s: %s\n", path, strerror(errno));
			return 1;
		}
		fclose(f);
	}
	return 0;
}

int main(int argc, char **argv)
{
	build();
	if (argc == 3 && !strcmp(argv[1], "-p"))
		return write_pcap(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "-c"))
		return write_corpus(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "-l")) {
		for (int i = 0; i < n_msgs; i++)
			printf("%d %s %s\n", i + 1, msgs[i].name,
			       pcep_msg_type_name(msgs[i].buf[1]));
		return 0;
	}
	fprintf(stderr, "usage: pcep-gen -p out.pcap | -c corpus-dir | -l\n");
	return 2;
}
