# srchain build. `make` builds everything into build/; `make check` runs every
# test (unit tests and golden packet tests under ASan+UBSan, fuzz targets over
# their seed corpora, namespace lab tests when run as root).

CC      ?= gcc
CLANG   ?= clang
BUILD   := build
V       ?= 0
Q       := $(if $(filter 1,$(V)),,@)

WARN    := -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes -Wcast-qual \
           -Wsign-compare -Wstrict-prototypes -Wno-missing-field-initializers
CPPFLAGS_ALL := -Isrc -D_GNU_SOURCE
CFLAGS  ?= -O2 -g
CFLAGS_ALL := -std=gnu11 $(WARN) -pthread $(CFLAGS)
SANFLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined \
            -fno-omit-frame-pointer
# Nettle (HMAC-SHA-256 of the SRH) and jansson (JSON input) for every program,
# the unit tests and the fuzz targets alike.
LDLIBS  := -pthread -lnettle -ljansson
# srchaind's AF_XDP backend needs libxdp (AF_XDP sockets, src/io/afxdp.c)
# and libbpf (the steering program's loader, src/io/xdp/); no other program
# links them.
LDLIBS_srchaind := -lxdp -lbpf
# the PCE inventory (src/pce/inv.c) is SQLite: whatever links src/pce
LDLIBS_PCE := -lsqlite3
BPFTOOL ?= bpftool
BPF_CFLAGS := -O2 -g -Wall -Werror -target bpf -Isrc \
              -I/usr/include/$(shell $(CC) -dumpmachine)

# Library modules: everything a program may link. Each folder is one layer.
LIB_DIRS := src/lib src/pkt src/dp src/vnf src/conf src/io src/io/xdp src/pcep src/pce
LIB_SRCS := $(sort $(filter-out %.bpf.c,$(wildcard $(addsuffix /*.c,$(LIB_DIRS)))))
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
SAN_OBJS := $(LIB_SRCS:%.c=$(BUILD)/san/obj/%.o)

# Programs: one folder under src/ each (the folder name is the binary name).
PROG_DIRS := $(sort $(dir $(wildcard src/sr*/*.c)))
PROGS     := $(patsubst src/%/,%,$(PROG_DIRS))
PROG_BINS := $(PROGS:%=$(BUILD)/%) $(BUILD)/srbench
SAN_BINS  := $(PROGS:%=$(BUILD)/san/%)

TEST_SRCS := $(sort $(wildcard tests/unit/*.c))
# srchaind's control socket server and statistics writer are tested in process
TEST_PROG_SRCS := src/srchaind/ctl.c src/srchaind/ctl_answer.c src/srchaind/stats.c
TEST_OBJS := $(TEST_SRCS:%.c=$(BUILD)/san/obj/%.o) $(TEST_PROG_SRCS:%.c=$(BUILD)/san/obj/%.o)

FUZZ_SRCS := $(sort $(wildcard fuzz/fuzz_*.c))
# fuzz targets link the sources without libxdp/libbpf: no I/O backends;
# nor the PCE core (SQLite, no wire parser)
FUZZ_LIB_SRCS := $(filter-out src/io/io.c src/io/afxdp.c src/io/xdp/% src/pce/% src/lib/version.c,$(LIB_SRCS))
FUZZ_BINS := $(FUZZ_SRCS:fuzz/%.c=$(BUILD)/fuzz/%)
FUZZ_SECONDS ?= 60

.PHONY: FORCE install uninstall install-check all check layers unit conf-tests golden lab pcep pcep-frr fuzz-build fuzz fuzz-regress bench bench-lab bench-csum bench-pce clean format format-check
all: $(PROG_BINS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

$(BUILD)/san/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS_ALL) -std=gnu11 $(WARN) -pthread $(SANFLAGS) -MMD -MP -c $< -o $@

# The XDP steering program: compiled for BPF, then embedded in its loader
# (src/io/xdp/loader.o) as a libbpf skeleton ($(BUILD)/gen/steer.skel.h
# holds the object's bytes), so srchaind loads it from memory and needs no
# file next to the binary.
$(BUILD)/bpf/steer.bpf.o: src/io/xdp/steer.bpf.c src/io/xdp/steer.h
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/gen/steer.skel.h: $(BUILD)/bpf/steer.bpf.o
	@mkdir -p $(dir $@)
	$(Q)$(BPFTOOL) gen skeleton $< name steer_bpf >$@.tmp && mv $@.tmp $@

XDP_LOADER_OBJS := $(BUILD)/obj/src/io/xdp/loader.o $(BUILD)/san/obj/src/io/xdp/loader.o
$(XDP_LOADER_OBJS): $(BUILD)/gen/steer.skel.h
$(XDP_LOADER_OBJS): CPPFLAGS_ALL += -I$(BUILD)/gen

# --version: the release from VERSION, the commit from git when there is one
# (a source tarball has none). The header changes only when either does, so
# an unchanged tree relinks nothing.
SRCHAIN_VERSION := $(shell cat VERSION)
SRCHAIN_COMMIT  := $(shell git describe --always --dirty 2>/dev/null)
$(BUILD)/gen/build_version.h: FORCE
	@mkdir -p $(dir $@)
	@printf '#define SRCHAIN_VERSION "%s"\n#define SRCHAIN_COMMIT "%s"\n' \
		'$(SRCHAIN_VERSION)' '$(SRCHAIN_COMMIT)' >$@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
FORCE:

$(BUILD)/obj/src/lib/version.o $(BUILD)/san/obj/src/lib/version.o: $(BUILD)/gen/build_version.h
$(BUILD)/obj/src/lib/version.o $(BUILD)/san/obj/src/lib/version.o: CPPFLAGS_ALL += -I$(BUILD)/gen

$(BUILD)/libsrchain.a: $(LIB_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/san/libsrchain.a: $(SAN_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

.SECONDEXPANSION:
$(PROGS:%=$(BUILD)/%): $(BUILD)/%: $$(addprefix $(BUILD)/obj/,$$(subst .c,.o,$$(wildcard src/$$*/*.c))) $(BUILD)/libsrchain.a
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS) $(LDLIBS_$*)

$(SAN_BINS): $(BUILD)/san/%: $$(addprefix $(BUILD)/san/obj/,$$(subst .c,.o,$$(wildcard src/$$*/*.c))) $(BUILD)/san/libsrchain.a
	$(Q)$(CC) $(SANFLAGS) -pthread -o $@ $^ $(LDLIBS) $(LDLIBS_$*)

# srbench: bench/srbench*.c (other programs under bench/ have their own rules)
SRBENCH_SRCS := $(sort $(wildcard bench/srbench*.c))
$(BUILD)/srbench: $(SRBENCH_SRCS:%.c=$(BUILD)/obj/%.o) $(BUILD)/libsrchain.a
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS)

$(BUILD)/csum_bench: $(BUILD)/obj/bench/csum_bench.o $(BUILD)/libsrchain.a
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS)
all: $(BUILD)/csum_bench

# PCEP sample messages for the tshark check and the fuzz seed corpus
$(BUILD)/pcep-gen: $(BUILD)/obj/tests/pcep/gen.o $(BUILD)/libsrchain.a
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS)

# A minimal PCE on src/pcep for the FRR pathd interoperability test
$(BUILD)/pcep-pce: $(BUILD)/obj/tests/pcep/pce_peer.o $(BUILD)/libsrchain.a
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS)

$(BUILD)/pce_bench: $(BUILD)/obj/bench/pce_bench.o $(BUILD)/libsrchain.a
	$(Q)$(CC) $(CFLAGS_ALL) -o $@ $^ $(LDLIBS) $(LDLIBS_PCE)
all: $(BUILD)/pce_bench

$(BUILD)/san/unit-tests: $(TEST_OBJS) $(BUILD)/san/libsrchain.a
	$(Q)$(CC) $(SANFLAGS) -pthread -o $@ $^ $(LDLIBS) $(LDLIBS_PCE)

# Fuzz targets: clang libFuzzer with ASan+UBSan, linked against the sources
# directly so that coverage instrumentation reaches the parsers.
$(BUILD)/fuzz/%: fuzz/%.c $(FUZZ_LIB_SRCS)
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) $(CPPFLAGS_ALL) -std=gnu11 -g -O1 -pthread \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-o $@ $< $(FUZZ_LIB_SRCS) $(LDLIBS)

fuzz-build: $(FUZZ_BINS)

# Replays every seed corpus once: part of `make check`.
fuzz-regress: $(FUZZ_BINS)
	$(Q)for f in $(FUZZ_BINS); do n=$$(basename $$f); \
		$$f -runs=0 fuzz/corpus/$$n >$(BUILD)/fuzz/$$n.log 2>&1 || \
		{ echo "fuzz $$n: FAILED (see $(BUILD)/fuzz/$$n.log)"; exit 1; }; \
		echo "fuzz $$n: seed corpus ok"; done

# Runs each target for FUZZ_SECONDS (default 60) from its seed corpus.
fuzz: $(FUZZ_BINS)
	$(Q)for f in $(FUZZ_BINS); do n=$$(basename $$f); mkdir -p $(BUILD)/fuzz/work-$$n; \
		$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			$(BUILD)/fuzz/work-$$n fuzz/corpus/$$n >$(BUILD)/fuzz/$$n.log 2>&1 || \
		{ echo "fuzz $$n: FAILED (see $(BUILD)/fuzz/$$n.log)"; exit 1; }; \
		echo "fuzz $$n: $$(grep -o 'stat::number_of_executed_units: [0-9]*' $(BUILD)/fuzz/$$n.log) no crash"; done

# A test group exits 0 (passed), 77 (skipped: a tool or kernel feature it
# needs is missing, found before it ran any of our code) or else (failed). A
# skip lets its target succeed and is named at the end of `make check`;
# STRICT=1 (CI, where everything is installed) makes it a failure.
STRICT ?= 0
SKIPPED := $(BUILD)/skipped-groups
$(if $(filter check,$(MAKECMDGOALS)),$(shell rm -f $(SKIPPED)))
group = $(2); rc=$$?; if [ $$rc = 77 ] && [ "$(STRICT)" != 1 ]; then \
	mkdir -p $(BUILD) && echo $(1) >>$(SKIPPED); exit 0; fi; exit $$rc

unit: $(BUILD)/san/unit-tests
	$(Q)$(BUILD)/san/unit-tests

# Configuration error cases: tests/conf/*.in against their .err / .ok
conf-tests: $(BUILD)/san/srchaind
	$(Q)tests/conf/run.sh $(BUILD)/san/srchaind

golden: $(BUILD)/san/srchaind
	$(Q)$(call group,golden,tests/golden/run.sh $(BUILD)/san/srchaind)

lab: all
	$(Q)$(call group,lab,BUILD_DIR=$(BUILD) tests/lab/run.sh)

# Every PCEP message we encode, dissected by tshark without complaint
pcep: $(BUILD)/pcep-gen
	$(Q)$(call group,pcep,tests/pcep/tshark.sh $(BUILD)/pcep-gen)

# FRR pathd (a real PCC) against src/pcep as a PCE, in a namespace (root)
pcep-frr: $(BUILD)/pcep-pce
	$(Q)$(call group,pcep-frr,tests/pcep/frr.sh $(BUILD)/pcep-pce)

check: format-check layers unit conf-tests golden fuzz-regress pcep install-check lab pcep-frr
	@if [ -s $(SKIPPED) ]; then echo "make check: passed, but skipped (see above): $$(tr '\n' ' ' <$(SKIPPED))"; \
	else echo "make check: all test groups passed"; fi

bench: $(BUILD)/srbench
	$(Q)$(BUILD)/srbench

# ns per packet of checksum completion (pkt/csum_complete.c), AF_XDP rx
bench-csum: $(BUILD)/csum_bench
	$(Q)$(BUILD)/csum_bench

# Path computation + encoding of 10,000 chains on a 1,000-node topology
bench-pce: $(BUILD)/pce_bench
	$(Q)$(BUILD)/pce_bench

# Forwarding rate of a 3-router SRv6 namespace chain, kernel vs srchaind (root)
bench-lab: all
	$(Q)BUILD=$(BUILD) bench/lab.sh

# Includes point down the folder layers of tools/layers.txt.
layers:
	$(Q)tools/layers.sh src tools/layers.txt
# Installation: PREFIX (default /usr/local) and DESTDIR, as packagers expect.
# Daemon and its client in sbin (section 8), the lab tools in bin (section 1),
# man pages, the formats' full text and the examples in DOCDIR, and the
# systemd unit srchaind@.service with its account (sysusers.d).
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
SBINDIR    ?= $(PREFIX)/sbin
MANDIR     ?= $(PREFIX)/share/man
DOCDIR     ?= $(PREFIX)/share/doc/srchain
SYSCONFDIR ?= /etc
UNITDIR    ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
INSTALL_SBIN := srchaind srchainctl
INSTALL_BIN  := srlab srtraffic srlink
MAN_PAGES    := $(sort $(wildcard man/*.[158]))
# capabilities of srchaind@.service: srchaind(8), PRIVILEGES; tests/install/caps.sh
SRCHAIND_CAPS := CAP_NET_ADMIN CAP_NET_RAW CAP_BPF CAP_PERFMON CAP_IPC_LOCK

install: $(INSTALL_SBIN:%=$(BUILD)/%) $(INSTALL_BIN:%=$(BUILD)/%)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) $(DESTDIR)$(UNITDIR) \
		$(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(DOCDIR)/examples/srlab \
		$(DESTDIR)$(DOCDIR)/examples/systemd $(addprefix $(DESTDIR)$(MANDIR)/man,1 5 8)
	install -m 0755 $(INSTALL_SBIN:%=$(BUILD)/%) $(DESTDIR)$(SBINDIR)/
	install -m 0755 $(INSTALL_BIN:%=$(BUILD)/%) $(DESTDIR)$(BINDIR)/
	for m in $(MAN_PAGES); do \
		sed -e 's|/usr/local/share/doc/srchain|$(DOCDIR)|g' -e 's|/etc/srchain|$(SYSCONFDIR)/srchain|g' \
			$$m >$(DESTDIR)$(MANDIR)/man$${m##*.}/$${m##*/} && \
		chmod 0644 $(DESTDIR)$(MANDIR)/man$${m##*.}/$${m##*/} || exit 1; done
	sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
		-e 's|@CAPS@|$(SRCHAIND_CAPS)|g' systemd/srchaind@.service.in \
		>'$(DESTDIR)$(UNITDIR)/srchaind@.service'
	chmod 0644 '$(DESTDIR)$(UNITDIR)/srchaind@.service'
	install -m 0644 systemd/srchain.sysusers $(DESTDIR)$(SYSUSERSDIR)/srchain.conf
	install -m 0644 doc/srchaind.conf.md doc/srlab.md $(DESTDIR)$(DOCDIR)/
	install -m 0644 examples/srlab/*.json $(DESTDIR)$(DOCDIR)/examples/srlab/
	install -m 0644 systemd/example.env $(DESTDIR)$(DOCDIR)/examples/systemd/NAME.env

uninstall:
	rm -f $(INSTALL_SBIN:%=$(DESTDIR)$(SBINDIR)/%) $(INSTALL_BIN:%=$(DESTDIR)$(BINDIR)/%)
	rm -f $(foreach m,$(MAN_PAGES),$(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(m)))/$(notdir $(m)))
	rm -f $(DESTDIR)$(UNITDIR)/srchaind@.service $(DESTDIR)$(SYSUSERSDIR)/srchain.conf
	rm -rf $(DESTDIR)$(DOCDIR)

# `make install` into a temporary DESTDIR and PREFIX, then checks what is
# there: binaries, --version, help layout, man pages (lint, every option of
# --help), the unit (systemd-analyze verify). The unit's capabilities and
# socket permissions, tried in a namespace: tests/lab/test_install_privs.sh.
install-check: all
	$(Q)MAKE="$(MAKE)" BUILD=$(BUILD) tests/install/run.sh

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

format-check:
	$(Q)clang-format --dry-run -Werror $$(git ls-files '*.c' '*.h') && echo "format: clean"

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
