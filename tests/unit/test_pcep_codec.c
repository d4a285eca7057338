/* PCEP codec: messages built byte by byte from the RFC figures, decoded,
 * checked field by field and encoded back to the same bytes; every
 * malformed length; the PCErr each broken message deserves. */
#include <errno.h>
#include <stdlib.h>

#include "pcep/err.h"
#include "pcep/msg.h"
#include "test.h"

/* Open (RFC 5440 6.2, 7.3) with STATEFUL-PCE-CAPABILITY U|I (RFC 8231
 * 7.1.1, 8281 4.1) and PATH-SETUP-TYPE-CAPABILITY (RFC 8408 3) listing SR
 * and SRv6 with SR-PCE-CAPABILITY (RFC 8664 4.1.2: N, MSD 10) and
 * SRv6-PCE-CAPABILITY (RFC 9603 4.1.1: N, MSD 41=5, 42=6). */
static const char open_hex[] = "20 01 00 34"
			       "01 10 00 30  20 1e 78 01"
			       "00 10 00 04  00 00 00 05"
			       "00 22 00 1c  00 00 00 02  01 03 00 00"
			       "00 1a 00 04  00 00 02 0a"
			       "00 1b 00 08  00 00 00 02  29 05 2a 06";

/* PCRpt (RFC 8231 6.1): SRP(id 7, PST SR) LSP(PLSP-ID 5, D, A, O=active,
 * IPV4-LSP-IDENTIFIERS, "chain-web") ERO(SR-ERO IPv4 node 16001, IPv4
 * adjacency 24000, SID-only 16003) BANDWIDTH(1e6) METRIC(TE 20). */
static const char pcrpt_hex[] = "20 0a 00 80"
				"21 10 00 14  00 00 00 00  00 00 00 07  00 1c 00 04  00 00 00 01"
				"20 10 00 2c  00 00 50 29"
				"00 12 00 10  c0 00 02 01  00 01 00 02  c0 00 02 01  c0 00 02 03"
				"00 11 00 09  63 68 61 69 6e 2d 77 65 62 00 00 00"
				"07 10 00 28"
				"24 0c 10 01  03 e8 10 00  c0 00 02 02"
				"24 10 30 01  05 dc 00 00  c0 00 02 09  c0 00 02 0a"
				"24 08 00 09  03 e8 30 00"
				"05 10 00 08  49 74 24 00"
				"06 10 00 0c  00 00 00 02  41 a0 00 00";

/* PCUpd (RFC 8231 6.2): SRP(id 8, PST SRv6) LSP(5, D) ERO(SRv6-ERO NT 2 with
 * SID structure 32/16/16/0, End; SRv6-ERO SID only, End.DX4). */
static const char pcupd_hex[] = "20 0b 00 6c"
				"21 10 00 14  00 00 00 00  00 00 00 08  00 1c 00 04  00 00 00 03"
				"20 10 00 08  00 00 50 01"
				"07 10 00 4c"
				"28 30 20 04  00 00 00 01"
				"20 01 0d b8 00 00 00 01 00 00 00 00 00 00 00 01"
				"20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01"
				"20 10 10 00  00 00 00 00"
				"28 18 00 02  00 00 00 11"
				"20 01 0d b8 00 00 00 02 00 00 00 00 00 00 01 00";

/* PCInitiate create (RFC 8281 5.1): SRP(9, PST SR) LSP(0, D, "sfc-1")
 * END-POINTS(192.0.2.1 -> 192.0.2.3) ERO(SR-ERO unnumbered adjacency). */
static const char pcinit_hex[] = "20 0c 00 54"
				 "21 10 00 14  00 00 00 00  00 00 00 09  00 1c 00 04  00 00 00 01"
				 "20 10 00 14  00 00 00 01  00 11 00 05  73 66 63 2d 31 00 00 00"
				 "04 10 00 0c  c0 00 02 01  c0 00 02 03"
				 "07 10 00 1c"
				 "24 18 50 01  03 e8 20 00  c0 00 02 01  00 00 00 05"
				 "c0 00 02 02  00 00 00 07";

/* PCInitiate remove (RFC 8281 5.4): SRP with R, LSP(PLSP-ID 7). */
static const char pcinit_rm_hex[] = "20 0c 00 18"
				    "21 10 00 0c  00 00 00 01  00 00 00 0a"
				    "20 10 00 08  00 00 70 00";

/* PCErr 1/4 with the Open it proposes (RFC 5440 6.2, 6.7). */
static const char pcerr_hex[] = "20 06 00 14"
				"0d 10 00 08  00 00 01 04"
				"01 10 00 08  20 1e 78 00";

static const char close_hex[] = "20 07 00 0c  0f 10 00 08  00 00 00 02";
static const char keepalive_hex[] = "20 02 00 04";

static struct pcep_msg m1, m2;
static uint8_t out[PCEP_MSG_MAX_LEN];

static size_t hex(uint8_t *b, const char *h)
{
	return test_hex(b, 4096, h);
}

/* decode == 0, encode gives the same bytes back */
static void roundtrip(const uint8_t *b, size_t n, struct pcep_msg *m)
{
	struct pcep_perr e;
	int len;

	CHECK_EQ(pcep_msg_decode(b, n, m, &e), 0);
	len = pcep_msg_encode(m, out, sizeof(out));
	CHECK_EQ(len, (long long)n);
	if (len == (int)n)
		CHECK_MEM(out, b, n);
}

static int decode_err(const uint8_t *b, size_t n, struct pcep_perr *e)
{
	return pcep_msg_decode(b, n, &m1, e);
}

TEST(pcep_open_all_capabilities)
{
	uint8_t b[256];
	size_t n = hex(b, open_hex);
	const struct pcep_open *o = &m1.open;

	roundtrip(b, n, &m1);
	CHECK_EQ(m1.type, PCEP_MSG_OPEN);
	CHECK(m1.has_open);
	CHECK_EQ(o->keepalive, 30);
	CHECK_EQ(o->deadtimer, 120);
	CHECK_EQ(o->sid, 1);
	CHECK(o->has_stateful);
	CHECK_EQ(o->stateful_flags, PCEP_STATEFUL_U | PCEP_STATEFUL_I);
	CHECK_EQ(o->n_pst, 2);
	CHECK_EQ(o->pst[0], PCEP_PST_SR);
	CHECK_EQ(o->pst[1], PCEP_PST_SRV6);
	CHECK(o->has_sr_cap && !o->sr_cap_top_level);
	CHECK_EQ(o->sr_flags, PCEP_SR_CAP_N);
	CHECK_EQ(o->sr_msd, 10);
	CHECK(o->has_srv6_cap);
	CHECK_EQ(o->srv6_flags, PCEP_SRV6_CAP_N);
	CHECK_EQ(o->n_srv6_msd, 2);
	CHECK_EQ(o->srv6_msd[0].type, 41);
	CHECK_EQ(o->srv6_msd[0].value, 5);
	CHECK_EQ(o->srv6_msd[1].type, 42);
	CHECK_EQ(o->srv6_msd[1].value, 6);
}

TEST(pcep_open_top_level_sr_cap_and_unknown_tlv)
{
	/* FRR-style top-level SR-PCE-CAPABILITY (type 26) and an unknown TLV
	 * (type 65000, 3 bytes + pad), skipped. */
	uint8_t b[128];
	size_t n = hex(b, "20 01 00 24  01 10 00 20  20 1e 78 02"
			  "00 10 00 04 00 00 00 01  00 1a 00 04 00 00 00 05"
			  "fd e8 00 03 aa bb cc 00");
	struct pcep_perr e;

	CHECK_EQ(pcep_msg_decode(b, n, &m1, &e), 0);
	CHECK(m1.open.has_sr_cap && m1.open.sr_cap_top_level);
	CHECK_EQ(m1.open.sr_msd, 5);
	CHECK(!m1.open.has_pst_cap);
	/* encodes without the unknown TLV */
	CHECK_EQ(pcep_msg_encode(&m1, out, sizeof(out)), 28);
	CHECK_MEM(out + 4, "\x01\x10\x00\x18", 4);
}

TEST(pcep_keepalive_close_pcerr)
{
	uint8_t b[64];
	size_t n;

	n = hex(b, keepalive_hex);
	roundtrip(b, n, &m1);
	CHECK_EQ(m1.type, PCEP_MSG_KEEPALIVE);
	n = hex(b, close_hex);
	roundtrip(b, n, &m1);
	CHECK_EQ(m1.type, PCEP_MSG_CLOSE);
	CHECK_EQ(m1.close_reason, PCEP_CLOSE_DEADTIMER);
	n = hex(b, pcerr_hex);
	roundtrip(b, n, &m1);
	CHECK_EQ(m1.type, PCEP_MSG_PCERR);
	CHECK_EQ(m1.n_err, 1);
	CHECK_EQ(m1.err[0].type, 1);
	CHECK_EQ(m1.err[0].value, 4);
	CHECK(m1.has_open);
	CHECK_EQ(m1.open.keepalive, 30);
	CHECK_EQ(m1.open.deadtimer, 120);
}

TEST(pcep_pcerr_with_srp_roundtrip)
{
	uint8_t b[64];
	size_t n = hex(b, "20 06 00 20  21 10 00 0c 00 00 00 00 00 00 00 2a"
			  "0d 10 00 08 00 00 18 02  0d 10 00 08 00 00 0a 08");

	roundtrip(b, n, &m1);
	CHECK(m1.err_has_srp);
	CHECK_EQ(m1.err_srp_id, 42);
	CHECK_EQ(m1.n_err, 2);
	CHECK_EQ(m1.err[0].type, 24);
	CHECK_EQ(m1.err[1].value, 8);
}

TEST(pcep_pcrpt_sr_ero)
{
	uint8_t b[256];
	size_t n = hex(b, pcrpt_hex);
	const struct pcep_lsp_state *s = &m1.lsp[0];

	roundtrip(b, n, &m1);
	CHECK_EQ(m1.type, PCEP_MSG_PCRPT);
	CHECK_EQ(m1.n_lsp, 1);
	CHECK(s->has_srp && s->srp.id == 7 && s->srp.has_pst && s->srp.pst == PCEP_PST_SR);
	CHECK_EQ(s->lsp.plsp_id, 5);
	CHECK_EQ(s->lsp.flags, PCEP_LSP_D | PCEP_LSP_A | (PCEP_LSP_ACTIVE << PCEP_LSP_O_SHIFT));
	CHECK_STR(s->lsp.symname, "chain-web");
	CHECK_EQ(s->lsp.ids.af, 4);
	CHECK_MEM(s->lsp.ids.sender, "\xc0\x00\x02\x01", 4);
	CHECK_EQ(s->lsp.ids.lsp_id, 1);
	CHECK_EQ(s->lsp.ids.tunnel_id, 2);
	CHECK_MEM(s->lsp.ids.endpoint, "\xc0\x00\x02\x03", 4);
	CHECK_EQ(s->ero.n, 3);
	CHECK_EQ(s->ero.sub[0].type, PCEP_ERO_SR);
	CHECK_EQ(s->ero.sub[0].nt, PCEP_NAI_IPV4_NODE);
	CHECK_EQ(s->ero.sub[0].flags, PCEP_SR_M);
	CHECK_EQ(s->ero.sub[0].sid >> 12, 16001);
	CHECK_MEM(s->ero.sub[0].nai.local, "\xc0\x00\x02\x02", 4);
	CHECK_EQ(s->ero.sub[1].nt, PCEP_NAI_IPV4_ADJ);
	CHECK_EQ(s->ero.sub[1].sid >> 12, 24000);
	CHECK_MEM(s->ero.sub[1].nai.remote, "\xc0\x00\x02\x0a", 4);
	CHECK_EQ(s->ero.sub[2].flags, PCEP_SR_M | PCEP_SR_F);
	CHECK_EQ(s->ero.sub[2].sid >> 12, 16003);
	CHECK(s->has_bw && s->bw.bw_bits == 0x49742400u); /* 1e6 bytes/s */
	CHECK_EQ(s->n_metric, 1);
	CHECK_EQ(s->metric[0].type, PCEP_METRIC_TE);
	CHECK_EQ(s->metric[0].value_bits, 0x41a00000u); /* 20.0 */
	CHECK(!pcep_is_end_of_sync(s));
}

TEST(pcep_pcupd_srv6_ero)
{
	uint8_t b[256];
	size_t n = hex(b, pcupd_hex);
	const struct pcep_ero_sub *s0 = &m1.lsp[0].ero.sub[0], *s1 = &m1.lsp[0].ero.sub[1];

	roundtrip(b, n, &m1);
	CHECK_EQ(m1.type, PCEP_MSG_PCUPD);
	CHECK_EQ(m1.lsp[0].srp.pst, PCEP_PST_SRV6);
	CHECK_EQ(m1.lsp[0].ero.n, 2);
	CHECK_EQ(s0->type, PCEP_ERO_SRV6);
	CHECK_EQ(s0->nt, PCEP_NAI_IPV6_NODE);
	CHECK_EQ(s0->flags, PCEP_SRV6_T);
	CHECK_EQ(s0->behavior, 1);
	CHECK_EQ(s0->addr[15], 1);
	CHECK_EQ(s0->addr[7], 1);
	CHECK_EQ(s0->nai.local[15], 1);
	CHECK_EQ(s0->ss.lb_len, 32);
	CHECK_EQ(s0->ss.ln_len, 16);
	CHECK_EQ(s0->ss.fun_len, 16);
	CHECK_EQ(s0->ss.arg_len, 0);
	CHECK_EQ(s1->flags, PCEP_SRV6_F);
	CHECK_EQ(s1->behavior, 17);
	CHECK_EQ(s1->addr[14], 1);
}

TEST(pcep_pcinitiate_create_and_remove)
{
	uint8_t b[256];
	size_t n = hex(b, pcinit_hex);
	const struct pcep_lsp_state *s = &m1.lsp[0];

	roundtrip(b, n, &m1);
	CHECK_EQ(m1.type, PCEP_MSG_PCINITIATE);
	CHECK_EQ(s->lsp.plsp_id, 0);
	CHECK_STR(s->lsp.symname, "sfc-1");
	CHECK(s->has_endpoints && s->ep.af == 4);
	CHECK_MEM(s->ep.dst, "\xc0\x00\x02\x03", 4);
	CHECK_EQ(s->ero.sub[0].nt, PCEP_NAI_UNNUMBERED);
	CHECK_EQ(s->ero.sub[0].nai.local_ifid, 5);
	CHECK_EQ(s->ero.sub[0].nai.remote_ifid, 7);
	CHECK_MEM(s->ero.sub[0].nai.remote, "\xc0\x00\x02\x02", 4);

	n = hex(b, pcinit_rm_hex);
	roundtrip(b, n, &m1);
	CHECK_EQ(m1.n_lsp, 1);
	CHECK_EQ(m1.lsp[0].srp.flags, PCEP_SRP_R);
	CHECK_EQ(m1.lsp[0].srp.id, 10);
	CHECK_EQ(m1.lsp[0].lsp.plsp_id, 7);
	CHECK(!m1.lsp[0].has_ero);
}

TEST(pcep_end_of_sync_marker)
{
	/* RFC 8231 5.6: PCRpt, LSP PLSP-ID 0 with SYNC clear, empty ERO. */
	uint8_t b[64];
	size_t n = hex(b, "20 0a 00 10  20 10 00 08 00 00 00 00  07 10 00 04");

	roundtrip(b, n, &m1);
	CHECK_EQ(m1.n_lsp, 1);
	CHECK(m1.lsp[0].has_ero && m1.lsp[0].ero.n == 0);
	CHECK(pcep_is_end_of_sync(&m1.lsp[0]));
}

/* Every NAI type, IPv6 LSP-IDENTIFIERS, several reports per message and
 * the IPv4/IPv6 prefix subobjects, built as structs: encode, decode, encode
 * again gives the same bytes. */
TEST(pcep_struct_roundtrip_all_nai_types)
{
	static const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 9};
	struct pcep_nai nai = {.local_ifid = 11, .remote_ifid = 12};
	struct pcep_perr e;
	int len, len2;
	static uint8_t out2[4096];

	memcpy(nai.local, v6, 16);
	memcpy(nai.remote, v6, 16);
	nai.remote[15] = 10;
	pcep_msg_init(&m1, PCEP_MSG_PCRPT);
	m1.n_lsp = 3;
	for (unsigned i = 0; i < 3; i++) {
		struct pcep_lsp_state *s = &m1.lsp[i];

		s->has_lsp = true;
		s->lsp.plsp_id = 100 + i;
		s->lsp.flags = PCEP_LSP_D | PCEP_LSP_S | PCEP_LSP_C;
		CHECK_EQ(pcep_lsp_set_symname(&s->lsp, "abcd", 1 + i), 0);
		s->has_ero = true;
	}
	m1.lsp[0].lsp.ids.af = 6;
	memcpy(m1.lsp[0].lsp.ids.sender, v6, 16);
	memcpy(m1.lsp[0].lsp.ids.ext_tunnel_id, v6, 16);
	memcpy(m1.lsp[0].lsp.ids.endpoint, v6, 16);
	m1.lsp[0].lsp.ids.lsp_id = 3;
	for (uint8_t nt = 1; nt < PCEP_NAI_MAX; nt++)
		pcep_ero_sr_label(&m1.lsp[0].ero.sub[m1.lsp[0].ero.n++], 16000 + nt, nt, &nai);
	m1.lsp[0].ero.sub[2].flags |= PCEP_SR_C;
	m1.lsp[0].ero.sub[2].sid |= 0x1ff;	/* TC 0, S 1, TTL 255 */
	m1.lsp[0].ero.sub[3].flags = PCEP_SR_S; /* NAI only */
	m1.lsp[0].ero.sub[3].sid = 0;
	for (uint8_t nt = 0; nt < PCEP_NAI_MAX; nt += 2)
		pcep_ero_srv6_sid(&m1.lsp[1].ero.sub[m1.lsp[1].ero.n++], v6, 5, nt,
				  nt ? &nai : NULL);
	m1.lsp[2].ero.n = 2;
	m1.lsp[2].ero.sub[0].type = PCEP_ERO_IPV4;
	m1.lsp[2].ero.sub[0].prefix_len = 32;
	memcpy(m1.lsp[2].ero.sub[0].addr, "\xc0\x00\x02\x05", 4);
	m1.lsp[2].ero.sub[1].type = PCEP_ERO_IPV6;
	m1.lsp[2].ero.sub[1].loose = true;
	m1.lsp[2].ero.sub[1].prefix_len = 128;
	memcpy(m1.lsp[2].ero.sub[1].addr, v6, 16);
	len = pcep_msg_encode(&m1, out, sizeof(out));
	CHECK(len > 0);
	CHECK_EQ(pcep_msg_decode(out, (size_t)len, &m2, &e), 0);
	CHECK_EQ(m2.n_lsp, 3);
	CHECK_EQ(m2.lsp[0].ero.n, PCEP_NAI_MAX - 1);
	CHECK_EQ(m2.lsp[0].ero.sub[5].nt, PCEP_NAI_IPV6_LINKLOCAL);
	CHECK_EQ(m2.lsp[0].ero.sub[5].nai.remote_ifid, 12);
	CHECK_EQ(m2.lsp[0].ero.sub[2].sid & 0xfff, 0x1ff);
	CHECK_EQ(m2.lsp[0].lsp.ids.af, 6);
	CHECK_EQ(m2.lsp[0].lsp.ids.lsp_id, 3);
	CHECK_EQ(m2.lsp[1].ero.n, 4);
	CHECK_EQ(m2.lsp[1].ero.sub[3].nt, PCEP_NAI_IPV6_LINKLOCAL);
	CHECK_EQ(m2.lsp[1].ero.sub[0].flags, PCEP_SRV6_F);
	CHECK_EQ(m2.lsp[2].ero.sub[1].loose, 1);
	CHECK_EQ(m2.lsp[2].ero.sub[1].prefix_len, 128);
	CHECK_EQ(m2.lsp[2].lsp.symname_len, 3);
	len2 = pcep_msg_encode(&m2, out2, sizeof(out2));
	CHECK_EQ(len2, len);
	if (len2 == len)
		CHECK_MEM(out, out2, (size_t)len);
}

TEST(pcep_encoder_refuses_what_decoder_refuses)
{
	pcep_msg_init(&m1, PCEP_MSG_PCUPD);
	m1.n_lsp = 1;
	m1.lsp[0].has_lsp = true;
	m1.lsp[0].has_ero = true;
	CHECK_EQ(pcep_msg_encode(&m1, out, sizeof(out)), -EINVAL); /* no SRP */
	m1.lsp[0].has_srp = true;
	CHECK(pcep_msg_encode(&m1, out, sizeof(out)) > 0);
	m1.lsp[0].ero.n = 1;
	m1.lsp[0].ero.sub[0].type = PCEP_ERO_SR;
	m1.lsp[0].ero.sub[0].flags = PCEP_SR_S | PCEP_SR_F;
	CHECK_EQ(pcep_msg_encode(&m1, out, sizeof(out)), -EINVAL);
	m1.lsp[0].ero.sub[0].type = PCEP_ERO_SRV6;
	m1.lsp[0].ero.sub[0].flags = 0;
	m1.lsp[0].ero.sub[0].nt = PCEP_NAI_IPV4_NODE; /* not an SRv6 NAI */
	CHECK_EQ(pcep_msg_encode(&m1, out, sizeof(out)), -EINVAL);
	m1.lsp[0].ero.n = 0;
	m1.lsp[0].lsp.plsp_id = 1u << 20;
	CHECK_EQ(pcep_msg_encode(&m1, out, sizeof(out)), -EINVAL);
	m1.lsp[0].lsp.plsp_id = 1;
	CHECK_EQ(pcep_msg_encode(&m1, out, 20), -ENOSPC);
	pcep_msg_init(&m1, PCEP_MSG_OPEN);
	m1.open.has_pst_cap = true;
	m1.open.n_pst = 1;
	m1.open.pst[0] = PCEP_PST_SR; /* without its SR-PCE-CAPABILITY */
	CHECK_EQ(pcep_msg_encode(&m1, out, sizeof(out)), -EINVAL);
	pcep_msg_init(&m1, PCEP_MSG_PCERR);
	CHECK_EQ(pcep_msg_encode(&m1, out, sizeof(out)), -EINVAL);
	pcep_msg_init(&m1, PCEP_MSG_PCREQ);
	CHECK_EQ(pcep_msg_encode(&m1, out, sizeof(out)), -EINVAL);
}

/* Truncating any message anywhere never decodes; with the header length
 * patched to the cut it decodes only at an object boundary that leaves a
 * valid message, which then encodes to exactly the cut bytes. ASan checks
 * that nothing reads past the end. */
TEST(pcep_every_truncation_fails)
{
	static const char *const msgs[] = {open_hex,  pcrpt_hex,     pcupd_hex, pcinit_hex,
					   pcerr_hex, pcinit_rm_hex, close_hex};
	uint8_t b[256];
	struct pcep_perr e;

	for (size_t k = 0; k < sizeof(msgs) / sizeof(msgs[0]); k++) {
		size_t n = hex(b, msgs[k]);

		for (size_t cut = 0; cut < n; cut++) {
			uint8_t *t = malloc(cut ? cut : 1);

			memcpy(t, b, cut);
			/* header says n, buffer is shorter: refused as malformed */
			CHECK_EQ(pcep_msg_decode(t, cut, &m1, &e), -EBADMSG);
			if (cut >= PCEP_HDR_LEN) {
				/* header patched to the cut: an object is cut short */
				t[2] = (uint8_t)(cut >> 8);
				t[3] = (uint8_t)cut;
				if (pcep_msg_decode(t, cut, &m1, &e) == 0) {
					CHECK_EQ(pcep_msg_encode(&m1, out, sizeof(out)),
						 (long long)cut);
					CHECK_MEM(out, t, cut);
				}
			}
			free(t);
		}
	}
}

static void expect(const char *h, int type, int value, int close_reason)
{
	uint8_t b[512];
	size_t n = hex(b, h);
	struct pcep_perr e;

	CHECK_EQ(decode_err(b, n, &e), -EBADMSG);
	CHECK_EQ(e.type, type);
	CHECK_EQ(e.value, value);
	CHECK_EQ(e.close_reason, close_reason);
	CHECK(e.why != NULL);
}

TEST(pcep_malformed_lengths)
{
	/* Message-Length beyond the buffer, below the header */
	expect("20 02 00 08", 0, 0, PCEP_CLOSE_MALFORMED);
	expect("20 02 00 02", 0, 0, PCEP_CLOSE_MALFORMED);
	/* object length 0, 2, unaligned, beyond the message */
	expect("20 07 00 0c  0f 10 00 00 00 00 00 02", 0, 0, PCEP_CLOSE_MALFORMED);
	expect("20 07 00 0c  0f 10 00 02 00 00 00 02", 0, 0, PCEP_CLOSE_MALFORMED);
	expect("20 07 00 0c  0f 10 00 06 00 00 00 02", 0, 0, PCEP_CLOSE_MALFORMED);
	expect("20 07 00 0c  0f 10 00 0c 00 00 00 02", 0, 0, PCEP_CLOSE_MALFORMED);
	/* Close with a header-only CLOSE object */
	expect("20 07 00 08  0f 10 00 04", PCEP_ERRT_INVALID_OBJECT, PCEP_ERRV_MALFORMED_OBJECT, 0);
	/* Open: TLV length past the object -> 1/1 and close */
	expect("20 01 00 14  01 10 00 10 20 1e 78 01  00 10 00 08 00 00 00 05",
	       PCEP_ERRT_SESSION_FAILURE, PCEP_ERRV_INVALID_OPEN, PCEP_CLOSE_NO_EXPLANATION);
	/* Open: STATEFUL-PCE-CAPABILITY of 2 bytes */
	expect("20 01 00 14  01 10 00 10 20 1e 78 01  00 10 00 02 00 00 00 00",
	       PCEP_ERRT_SESSION_FAILURE, PCEP_ERRV_INVALID_OPEN, PCEP_CLOSE_NO_EXPLANATION);
	/* Open: PST capability claiming 5 PSTs in 4 bytes */
	expect("20 01 00 18  01 10 00 14 20 1e 78 01  00 22 00 08 00 00 00 05 01 03 00 00",
	       PCEP_ERRT_INVALID_OBJECT, PCEP_ERRV_MALFORMED_OBJECT, 0);
	/* Open: SRv6 sub-TLV with an odd length */
	expect("20 01 00 24  01 10 00 20 20 1e 78 01  00 22 00 14 00 00 00 01 03 00 00 00"
	       "00 1b 00 05 00 00 00 02 29 00 00 00",
	       PCEP_ERRT_INVALID_OBJECT, PCEP_ERRV_MALFORMED_OBJECT, 0);
	/* LSP: symbolic name TLV of length 0, and running past the object */
	expect("20 0a 00 18  20 10 00 10 00 00 50 00 00 11 00 00 00 00 00 00  07 10 00 04",
	       PCEP_ERRT_INVALID_OBJECT, PCEP_ERRV_MALFORMED_OBJECT, 0);
	expect("20 0a 00 18  20 10 00 10 00 00 50 00 00 11 00 09 61 62 63 64  07 10 00 04",
	       PCEP_ERRT_INVALID_OBJECT, PCEP_ERRV_MALFORMED_OBJECT, 0);
	/* LSP-IDENTIFIERS of the wrong size */
	expect("20 0a 00 18  20 10 00 10 00 00 50 00 00 12 00 04 c0 00 02 01  07 10 00 04",
	       PCEP_ERRT_INVALID_OBJECT, PCEP_ERRV_MALFORMED_OBJECT, 0);
	/* SRP shorter than 8 bytes */
	expect("20 0b 00 18  21 10 00 08 00 00 00 00  20 10 00 08 00 00 50 00  07 10 00 04",
	       PCEP_ERRT_INVALID_OBJECT, PCEP_ERRV_MALFORMED_OBJECT, 0);
	/* SR-ERO length that does not match its flags (12 claimed, SID-only) */
	expect("20 0a 00 1c  20 10 00 08 00 00 50 00  07 10 00 10 24 0c 00 09 03 e8 30 00 "
	       "00 00 00 00",
	       PCEP_ERRT_INVALID_OBJECT, PCEP_ERRV_MALFORMED_OBJECT, 0);
	/* ERO subobject length 2, and running past the ERO */
	expect("20 0a 00 14  20 10 00 08 00 00 50 00  07 10 00 08 24 02 00 00",
	       PCEP_ERRT_INVALID_OBJECT, PCEP_ERRV_MALFORMED_OBJECT, 0);
	expect("20 0a 00 14  20 10 00 08 00 00 50 00  07 10 00 08 24 10 00 09",
	       PCEP_ERRT_INVALID_OBJECT, PCEP_ERRV_MALFORMED_OBJECT, 0);
	/* BANDWIDTH and METRIC of the wrong size */
	expect("20 0a 00 1c  20 10 00 08 00 00 50 00  07 10 00 04  05 10 00 0c 00 00 00 00 00 00 "
	       "00 00",
	       PCEP_ERRT_INVALID_OBJECT, PCEP_ERRV_MALFORMED_OBJECT, 0);
	expect("20 0a 00 18  20 10 00 08 00 00 50 00  07 10 00 04  06 10 00 08 00 00 00 02",
	       PCEP_ERRT_INVALID_OBJECT, PCEP_ERRV_MALFORMED_OBJECT, 0);
	/* END-POINTS IPv6 with IPv4 length */
	expect("20 0c 00 28  21 10 00 0c 00 00 00 00 00 00 00 01  20 10 00 08 00 00 00 00"
	       "04 20 00 0c c0 00 02 01 c0 00 02 02  07 10 00 04",
	       PCEP_ERRT_INVALID_OBJECT, PCEP_ERRV_MALFORMED_OBJECT, 0);
}

TEST(pcep_pcerr_for_each_rule)
{
	/* version 2 */
	expect("40 02 00 04", PCEP_ERRT_SESSION_FAILURE, PCEP_ERRV_VERSION,
	       PCEP_CLOSE_NO_EXPLANATION);
	/* unknown message type */
	expect("20 63 00 04", PCEP_ERRT_CAPABILITY, 0, 0);
	/* Open message with a CLOSE object first */
	expect("20 01 00 0c  0f 10 00 08 00 00 00 01", PCEP_ERRT_SESSION_FAILURE,
	       PCEP_ERRV_INVALID_OPEN, PCEP_CLOSE_NO_EXPLANATION);
	/* OPEN with version 2 */
	expect("20 01 00 0c  01 10 00 08 40 1e 78 01", PCEP_ERRT_SESSION_FAILURE, PCEP_ERRV_VERSION,
	       PCEP_CLOSE_NO_EXPLANATION);
	/* PST SR listed without SR-PCE-CAPABILITY: 10/12 and close */
	expect("20 01 00 18  01 10 00 14 20 1e 78 01  00 22 00 08 00 00 00 01 01 00 00 00",
	       PCEP_ERRT_INVALID_OBJECT, PCEP_ERRV_SR_CAP_MISSING, PCEP_CLOSE_NO_EXPLANATION);
	/* PST SRv6 listed without SRv6-PCE-CAPABILITY: 10/34 and close */
	expect("20 01 00 18  01 10 00 14 20 1e 78 01  00 22 00 08 00 00 00 01 03 00 00 00",
	       PCEP_ERRT_INVALID_OBJECT, PCEP_ERRV_SRV6_CAP_MISSING, PCEP_CLOSE_NO_EXPLANATION);
	/* unknown class (200) with P: 3/1; without P: skipped */
	expect("20 02 00 0c  c8 12 00 08 00 00 00 00", PCEP_ERRT_UNKNOWN_OBJECT,
	       PCEP_ERRV_UNREC_CLASS, 0);
	/* LSP object type 2 with P: 3/2 */
	expect("20 0a 00 10  20 22 00 08 00 00 50 00  07 10 00 04", PCEP_ERRT_UNKNOWN_OBJECT,
	       PCEP_ERRV_UNREC_TYPE, 0);
	/* PCRpt: no LSP (6/8), LSP without ERO (6/9) */
	expect("20 0a 00 10  21 10 00 0c 00 00 00 00 00 00 00 01", PCEP_ERRT_MANDATORY_MISSING,
	       PCEP_ERRV_LSP_MISSING, 0);
	expect("20 0a 00 0c  20 10 00 08 00 00 50 00", PCEP_ERRT_MANDATORY_MISSING,
	       PCEP_ERRV_ERO_MISSING, 0);
	expect("20 0a 00 0c  07 10 00 04 00 00 00 00", PCEP_ERRT_MANDATORY_MISSING,
	       PCEP_ERRV_LSP_MISSING, 0);
	expect("20 0a 00 08  07 10 00 04", PCEP_ERRT_MANDATORY_MISSING, PCEP_ERRV_LSP_MISSING, 0);
	/* PCUpd without SRP: 6/10 */
	expect("20 0b 00 10  20 10 00 08 00 00 50 00  07 10 00 04", PCEP_ERRT_MANDATORY_MISSING,
	       PCEP_ERRV_SRP_MISSING, 0);
	/* PCInitiate create: no symbolic name (10/8), non-zero PLSP-ID (19/8),
	 * no ERO (6/9) */
	expect("20 0c 00 1c  21 10 00 0c 00 00 00 00 00 00 00 01  20 10 00 08 00 00 00 00"
	       "07 10 00 04",
	       PCEP_ERRT_INVALID_OBJECT, PCEP_ERRV_SYMNAME_MISSING, 0);
	expect("20 0c 00 24  21 10 00 0c 00 00 00 00 00 00 00 01  20 10 00 10 00 00 30 00"
	       "00 11 00 01 61 00 00 00  07 10 00 04",
	       PCEP_ERRT_INVALID_OPERATION, PCEP_ERRV_INIT_NONZERO_PLSP, 0);
	expect("20 0c 00 20  21 10 00 0c 00 00 00 00 00 00 00 01  20 10 00 10 00 00 00 00"
	       "00 11 00 01 61 00 00 00",
	       PCEP_ERRT_MANDATORY_MISSING, PCEP_ERRV_ERO_MISSING, 0);
	/* SR-ERO: S and F both set (10/6), NT 7 (10/13), reserved label with M
	 * (10/2), NT 0 without F (10/11) */
	expect("20 0a 00 14  20 10 00 08 00 00 50 00  07 10 00 08 24 04 00 0c",
	       PCEP_ERRT_INVALID_OBJECT, PCEP_ERRV_SID_NAI_ABSENT, 0);
	expect("20 0a 00 18  20 10 00 08 00 00 50 00  07 10 00 0c 24 08 70 01 03 e8 10 00",
	       PCEP_ERRT_INVALID_OBJECT, PCEP_ERRV_NAI_UNSUPPORTED, 0);
	expect("20 0a 00 18  20 10 00 08 00 00 50 00  07 10 00 0c 24 08 00 09 00 00 30 00",
	       PCEP_ERRT_INVALID_OBJECT, PCEP_ERRV_BAD_LABEL, 0);
	expect("20 0a 00 18  20 10 00 08 00 00 50 00  07 10 00 0c 24 08 00 01 03 e8 10 00",
	       PCEP_ERRT_INVALID_OBJECT, PCEP_ERRV_MALFORMED_OBJECT, 0);
	/* a refused update names its SRP-ID */
	{
		uint8_t b[64];
		size_t n = hex(b, "20 0b 00 20  21 10 00 0c 00 00 00 00 00 00 00 2a"
				  "20 10 00 08 00 00 50 00  07 10 00 08 24 04 00 0c");
		struct pcep_perr e;

		CHECK_EQ(pcep_msg_decode(b, n, &m1, &e), -EBADMSG);
		CHECK_EQ(e.value, PCEP_ERRV_SID_NAI_ABSENT);
		CHECK(e.has_srp && e.srp_id == 42);
	}
	/* SR-ERO next to an IPv4 prefix: 10/5 */
	expect("20 0a 00 20  20 10 00 08 00 00 50 00  07 10 00 14 24 08 00 09 03 e8 30 00"
	       "01 08 c0 00 02 01 20 00",
	       PCEP_ERRT_INVALID_OBJECT, PCEP_ERRV_ERO_MIXED, 0);
	/* SRv6-ERO with an IPv4 node NAI (10/13), with a SID structure over 128
	 * bits (10/37) */
	expect("20 0a 00 2c  20 10 00 08 00 00 50 00  07 10 00 20 28 1c 10 00 00 00 00 01"
	       "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01 c0 00 02 01",
	       PCEP_ERRT_INVALID_OBJECT, PCEP_ERRV_NAI_UNSUPPORTED, 0);
	expect("20 0a 00 30  20 10 00 08 00 00 50 00  07 10 00 24 28 20 00 06 00 00 00 01"
	       "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01 40 40 40 00 00 00 00 00",
	       PCEP_ERRT_INVALID_OBJECT, PCEP_ERRV_SRV6_SID_STRUCT, 0);
}

TEST(pcep_unknown_object_without_p_is_skipped)
{
	uint8_t b[64];
	size_t n = hex(b, "20 0a 00 18  c8 10 00 08 00 00 00 00  20 10 00 08 00 00 50 00"
			  "07 10 00 04");
	struct pcep_perr e;

	CHECK_EQ(pcep_msg_decode(b, n, &m1, &e), 0);
	CHECK_EQ(m1.n_skipped, 1);
	CHECK_EQ(m1.lsp[0].lsp.plsp_id, 5);
	/* LSPA and ASSOCIATION (known, unused) skipped even with P */
	n = hex(b, "20 0a 00 18  20 10 00 08 00 00 50 00  07 10 00 04  09 12 00 08 00 00 00 00");
	CHECK_EQ(pcep_msg_decode(b, n, &m1, &e), 0);
	CHECK_EQ(m1.n_skipped, 1);
}

TEST(pcep_too_many_ero_subobjects)
{
	uint8_t b[512];
	size_t n = 0;
	struct pcep_perr e;

	n += hex(b, "20 0a 01 18  20 10 00 08 00 00 50 00  07 10 01 0c");
	for (int i = 0; i < 33; i++)
		n += hex(b + n, "24 08 00 09 03 e8 30 00");
	CHECK_EQ(n, 0x118);
	CHECK_EQ(pcep_msg_decode(b, n, &m1, &e), -EBADMSG);
	CHECK_EQ(e.type, PCEP_ERRT_INVALID_OBJECT);
	CHECK_EQ(e.value, PCEP_ERRV_ERO_TOO_MANY);
	/* 32 is fine */
	b[3] = 0x10;
	b[15] = 0x04;
	CHECK_EQ(pcep_msg_decode(b, 0x110, &m1, &e), 0);
	CHECK_EQ(m1.lsp[0].ero.n, 32);
}

TEST(pcep_err_catalogue)
{
	unsigned n;
	const struct pcep_err_desc *t = pcep_err_table(&n);

	CHECK(n >= 30);
	for (unsigned i = 0; i < n; i++) {
		CHECK(t[i].name && t[i].name[0] && t[i].ref && !strncmp(t[i].ref, "RFC ", 4));
		CHECK(pcep_err_lookup(t[i].type, t[i].value) == &t[i]); /* no duplicates */
		if (t[i].type == PCEP_ERRT_SESSION_FAILURE)
			CHECK_EQ(t[i].close, t[i].value != PCEP_ERRV_UNACCEPTABLE_NEG);
	}
	CHECK(pcep_err_lookup(19, 5)->close);
	CHECK(!pcep_err_lookup(6, 9)->close);
	CHECK(pcep_err_lookup(99, 1) == NULL);
	CHECK_STR(pcep_err_name(6, 8), "Mandatory Object missing: LSP object missing");
	CHECK_STR(pcep_close_reason_name(PCEP_CLOSE_DEADTIMER), "DeadTimer expired");
	CHECK_STR(pcep_msg_type_name(PCEP_MSG_PCINITIATE), "PCInitiate");
}

/* Bytes FRR 8.4.4 pathd (pceplib) sent to our PCE in tests/pcep/frr.sh:
 * its Open (PST capability with the SR sub-TLV, plus the top-level
 * SR-PCE-CAPABILITY of the drafts), its end-of-sync marker (P flag set on
 * every object, zeroed IPV4-LSP-IDENTIFIERS) and its report of our PCUpd. */
TEST(pcep_decodes_frr_pathd_messages)
{
	uint8_t b[256];
	size_t n;
	struct pcep_perr e;

	n = hex(b, "2001002801100024201e78000010000400000005002200100000000101000000"
		   "001a000400000004");
	CHECK_EQ(pcep_msg_decode(b, n, &m1, &e), 0);
	CHECK_EQ(m1.open.keepalive, 30);
	CHECK_EQ(m1.open.stateful_flags, PCEP_STATEFUL_U | PCEP_STATEFUL_I);
	CHECK(m1.open.has_sr_cap && m1.open.n_pst == 1 && m1.open.pst[0] == PCEP_PST_SR);
	CHECK_EQ(m1.open.sr_msd, 4);
	n = hex(b, "200a00242012001c00000000001200100000000000000000000000000000000007120004");
	CHECK_EQ(pcep_msg_decode(b, n, &m1, &e), 0);
	CHECK(pcep_is_end_of_sync(&m1.lsp[0]));
	n = hex(b, "200a005c211200140000000000000002001c0004000000012012002c00001089"
		   "00120010c000020100000000c0000201c0000203001100097372636861696e2d"
		   "3100000007120018240c100103eb2000c00002032408000903e9e000");
	CHECK_EQ(pcep_msg_decode(b, n, &m1, &e), 0);
	/* we do not set P: with FRR's P flags cleared, the same bytes come back */
	b[4 + 1] &= (uint8_t)~PCEP_OBJ_FLAG_P;
	b[24 + 1] &= (uint8_t)~PCEP_OBJ_FLAG_P;
	b[68 + 1] &= (uint8_t)~PCEP_OBJ_FLAG_P;
	CHECK_EQ(pcep_msg_encode(&m1, out, sizeof(out)), (long long)n);
	CHECK_MEM(out, b, n);
	CHECK_EQ(m1.lsp[0].srp.id, 2);
	CHECK_EQ(m1.lsp[0].lsp.plsp_id, 1);
	CHECK_EQ(m1.lsp[0].lsp.flags, PCEP_LSP_C | PCEP_LSP_A | PCEP_LSP_D);
	CHECK_STR(m1.lsp[0].lsp.symname, "srchain-1");
	CHECK_EQ(m1.lsp[0].ero.n, 2);
	CHECK_EQ(m1.lsp[0].ero.sub[0].sid >> 12, 16050);
	CHECK_EQ(m1.lsp[0].ero.sub[1].sid >> 12, 16030);
}
