# bilat: one plain GNU Makefile (see README.md and docs/BUILD.md)
#
#   make                 build build/libbilat.a and build/bilat
#   make demo            install missing packages, build, load the shipped data, write the report
#   make test            unit, golden CLI, bad-input, fuzz-corpus replay, HTTP, update,
#                        fault-injection and browser tests
#   make SANITIZE=address,undefined test   the same under ASan+UBSan (build-san/)
#   make asan / ubsan    shorthands for the line above
#   make fuzz            libFuzzer targets (clang)
#   make bench           benchmarks, figures in bench/RESULTS.md, compared with bench/last-run.txt
#                        (QUICK=1: smaller inputs, a few minutes; bench/last-run-quick.txt)
#   make golden-update   rewrite expected golden outputs (review the diff)
#   make format / clean
#
# Knobs: CC, CFLAGS, DEBUG=1, V=1, DEVELOPER=1 (-Werror), SANITIZE=..., MPI=1.

.DEFAULT_GOAL := all
CC ?= cc
SANITIZE ?=
DEBUG ?=
MPI ?=
V ?=

ifneq ($(MPI),)
BUILD ?= build-mpi
endif
ifeq ($(SANITIZE),)
BUILD ?= build
else
BUILD ?= build-san
endif

Q := $(if $(V),,@)

WARN := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wformat=2 -Wvla -Wimplicit-fallthrough -Wcast-qual
ifneq ($(DEVELOPER),)
WARN += -Werror
endif

OPT := $(if $(DEBUG),-O0 -g3 -DBILAT_DEBUG=1,-O2 -g)
CFLAGS ?=
ALL_CFLAGS := $(WARN) $(OPT) -D_GNU_SOURCE -Iinclude -Isrc $(CFLAGS)
ALL_LDFLAGS := $(LDFLAGS)

ifneq ($(SANITIZE),)
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all -DBILAT_DEBUG=1
ALL_LDFLAGS += -fsanitize=$(SANITIZE)
endif

ifneq ($(MPI),)
MPICC_FLAGS := $(shell mpicc --showme:compile 2>/dev/null)
MPICC_LIBS := $(shell mpicc --showme:link 2>/dev/null)
ALL_CFLAGS += -DBILAT_MPI=1 $(MPICC_FLAGS)
ALL_LDFLAGS += $(MPICC_LIBS)
endif

# pkg-config flags are written once by scripts/deps.sh (which also installs missing packages).
CONFIG := $(BUILD)/config.mk
-include $(CONFIG)
$(CONFIG): scripts/deps.sh
	$(Q)scripts/deps.sh config $@

LIB_SRCS := $(sort $(wildcard src/core/*.c src/store/*.c src/ingest/*.c src/analytics/*.c \
                              src/report/*.c src/http/*.c src/coder/*.c src/net/*.c))
CLI_SRCS := $(sort $(wildcard src/cli/*.c))
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
CLI_OBJS := $(CLI_SRCS:%.c=$(BUILD)/%.o)
UNIT_SRCS := $(sort $(wildcard tests/unit/t_*.c))
UNIT_OBJS := $(UNIT_SRCS:%.c=$(BUILD)/%.o)
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))

LIB := $(BUILD)/libbilat.a
BIN := $(BUILD)/bilat
UNIT := $(BUILD)/t_unit
REPLAY := $(BUILD)/fuzz_replay

.PHONY: all deps test check unit golden golden-update browser http faults fuzz-replay fuzz asan ubsan demo-store \
        demo bench format clean valgrind mpi icews-real update evidence-real

all: $(BIN)

deps:
	$(Q)scripts/deps.sh test

$(BUILD)/%.o: %.c $(CONFIG)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(LIB_OBJS)
	$(if $(Q),@echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(BIN): $(CLI_OBJS) $(LIB)
	$(if $(Q),@echo "  LINK    $@")
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $(CLI_OBJS) $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS)

# The unit-test table is generated from the T_TEST(name) lines of tests/unit/t_*.c.
$(BUILD)/tests/unit/t_table.c: $(UNIT_SRCS) tests/unit/gen_table.sh
	@mkdir -p $(dir $@)
	$(Q)tests/unit/gen_table.sh $(UNIT_SRCS) >$@

$(UNIT): $(UNIT_OBJS) $(BUILD)/tests/unit/t_table.o $(LIB)
	$(if $(Q),@echo "  LINK    $@")
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $(UNIT_OBJS) $(BUILD)/tests/unit/t_table.o $(LIB) \
	    $(ALL_LDFLAGS) $(PKG_LIBS)

$(BUILD)/tests/unit/t_table.o: $(BUILD)/tests/unit/t_table.c
	$(Q)$(CC) $(ALL_CFLAGS) -Itests/unit -c $< -o $@

# Fuzz targets double as corpus replayers: each links with a main() that feeds every file of
# tests/fuzz/corpus/<target>/ to LLVMFuzzerTestOneInput.
FUZZ_REPLAYS := $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/fuzz/replay_%)
$(BUILD)/fuzz/replay_%: tests/fuzz/%.c tests/fuzz/replay_main.c $(LIB)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LINK    $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) -o $@ $< tests/fuzz/replay_main.c $(LIB) \
	    $(ALL_LDFLAGS) $(PKG_LIBS)

FUZZ_CC ?= clang
fuzz: $(CONFIG)
	@mkdir -p $(BUILD)/libfuzzer
	$(Q)for f in $(FUZZ_SRCS); do n=$$(basename $$f .c); \
	  echo "  FUZZ    $$n"; \
	  $(FUZZ_CC) -std=c11 -g -O1 -D_GNU_SOURCE -Iinclude -Isrc $(PKG_CFLAGS) \
	    -fsanitize=fuzzer,address,undefined -o $(BUILD)/libfuzzer/$$n $$f $(LIB_SRCS) \
	    $(PKG_LIBS) || exit 1; done
	@echo "run e.g.: $(BUILD)/libfuzzer/fuzz_tsv_scan tests/fuzz/corpus/fuzz_tsv_scan"

unit: $(UNIT)
	$(Q)$(UNIT)

golden: $(BIN)
	$(Q)BILAT=$(CURDIR)/$(BIN) tests/golden/run.sh

golden-update: $(BIN)
	$(Q)BILAT=$(CURDIR)/$(BIN) tests/golden/run.sh --update

fuzz-replay: $(FUZZ_REPLAYS)
	$(Q)for r in $(FUZZ_REPLAYS); do n=$$(basename $$r | sed 's/^replay_//'); \
	  $$r tests/fuzz/corpus/$$n || exit 1; done

browser: $(BIN)
	$(Q)BILAT=$(CURDIR)/$(BIN) tests/browser/run.sh

http: $(BIN)
	$(Q)BILAT=$(CURDIR)/$(BIN) tests/http/run.sh

# bilat update against a GDELT mirror served on 127.0.0.1 by the test itself.
update: $(BIN)
	$(Q)BILAT=$(CURDIR)/$(BIN) tests/update/run.sh

# Fault injection: damaged batches, takeovers, extremes, truncation races, slow clients, ...
faults: $(BIN)
	$(Q)BILAT=$(CURDIR)/$(BIN) tests/faults/run.sh

# The MPI stage builds the MPI binary (build-mpi/) and runs scan and ingest on 2 ranks. It runs
# in the plain build only: OpenMPI's own allocations trip LeakSanitizer (docs/CLUSTER.md).
test: $(CONFIG)
	$(Q)scripts/deps.sh test
	$(Q)scripts/lint.sh
	$(Q)$(MAKE) --no-print-directory unit golden fuzz-replay http update faults browser icews-real evidence-real \
	    $(if $(SANITIZE),,mpi)
	@echo "bilat: all tests passed ($(BUILD))"

# Checks against the real ICEWS sample in ../shared (not shipped: its terms forbid it), when there.
icews-real: $(BIN)
	$(Q)BILAT=$(CURDIR)/$(BIN) tests/icews_real/run.sh

# Checks of the evidence importers on the real ChinaVitae, CEIAS and UNGDC files in ../shared
# (ChinaVitae and CEIAS are not shipped), when there: counts against the files.
evidence-real: $(BIN)
	$(Q)BILAT=$(CURDIR)/$(BIN) tests/evidence_real/run.sh

mpi: $(BIN)
	$(Q)$(MAKE) --no-print-directory MPI=1 build-mpi/bilat
	$(Q)BILAT=$(CURDIR)/$(BIN) BILAT_MPI=$(CURDIR)/build-mpi/bilat tests/mpi/run.sh

check: test

asan:
	$(Q)$(MAKE) --no-print-directory SANITIZE=address,undefined test

ubsan:
	$(Q)$(MAKE) --no-print-directory SANITIZE=undefined test

# The main job: packages, build, store, shipped data, report.
DB ?= bilat.db
EXTERNAL ?= $(firstword $(wildcard ../shared/data))
DEMO_LOAD := $(BIN) --db $(DB) load $(if $(EXTERNAL),--external $(EXTERNAL)) \
             data/reference data/series data/khm-chn
UNVOTES := data/raw/un_votes
DEMO_INGEST := $(BIN) --db $(DB) ingest unvotes $(UNVOTES)/unvotes_roll_calls_1946_2019.csv \
               $(UNVOTES)/unvotes_roll_call_issues.csv $(UNVOTES)/unvotes_votes_all_1946_2019.csv.gz
DEMO_IDEAL := $(BIN) --db $(DB) ingest idealpoints $(UNVOTES)/idealpoints_july2025_1946_2024.csv
# UN Digital Library votes 2019-2025 (not shipped: read from ../shared/data) and the State
# Department's important votes 2019-2023 (shipped)
UNDL := $(if $(EXTERNAL),$(EXTERNAL)/un_votes/undl_rudakov_resolutions_2019_2025.csv \
          $(EXTERNAL)/un_votes/undl_rudakov_votes_2019_2025.csv.gz)
DEMO_UNDL := $(BIN) --db $(DB) ingest undl $(UNDL) $(UNVOTES)/usdos_important_votes_2019_2023.csv
# the one real GDELT 2.0 export shipped (2017-12-02 to 2018-01-01): coverage and volume
DEMO_GDELT := $(BIN) --db $(DB) ingest gdelt data/raw/gdelt/20180101000000.export.CSV
# independent evidence: AidData's finance projects and the UN General Debate statements are
# shipped; ChinaVitae's engagements and CEIAS's visits are not, and are read from EXTERNAL
DEMO_EVIDENCE := $(BIN) --db $(DB) ingest aiddata-fd \
                 data/raw/diplomacy/aiddata_china_financial_diplomacy_project_details_v2.csv && \
                 $(BIN) --db $(DB) ingest ungdc data/raw/text/ungdc_khm_chn_speeches_1946_2024.jsonl
DEMO_ENGAGEMENTS := $(if $(EXTERNAL),$(BIN) --db $(DB) ingest chinavitae --external $(EXTERNAL) && \
                    $(BIN) --db $(DB) ingest ceias --external $(EXTERNAL),\
                    echo "bilat: warning: no ../shared/data: ChinaVitae engagements and CEIAS visits skipped (not shipped; see data/SOURCES.md)" >&2)
demo: demo-store
	@mkdir -p report
	$(Q)$(BIN) --db $(DB) report KHM CHN -o report/KHM-CHN.html
	$(Q)$(BIN) -q --db $(DB) claims >report/KHM-CHN-claims.txt
	@echo "bilat: open report/KHM-CHN.html in a browser; the store is $(DB)"
	@echo "bilat: the claims and their verdicts: report/KHM-CHN-claims.txt"
	@echo "bilat: pages and API: $(BIN) --db $(DB) serve (then http://127.0.0.1:8080/)"

# The demo's store alone (DB=...), without the report: what bench/profile.sh measures on.
demo-store: $(BIN)
	$(Q)$(DEMO_LOAD)
	$(Q)$(DEMO_INGEST)
	$(Q)$(DEMO_IDEAL)
	$(Q)$(DEMO_UNDL)
	$(Q)$(DEMO_GDELT)
	$(Q)$(DEMO_EVIDENCE)
	$(Q)$(DEMO_ENGAGEMENTS)

# Every benchmark of bench/RESULTS.md, one after the other (run it on a quiet machine):
# event files against DuckDB and wc -l (and ingest), ten files in one ingest, UN vote measures
# against NumPy/pandas, the event coder, the web server under wrk; then the summary of their
# figures with the load average, next to the previous run's (bench/all.sh).
bench: $(BIN)
	$(Q)scripts/deps.sh bench
	$(Q)BILAT=$(CURDIR)/$(BIN) bench/all.sh $(if $(QUICK),--quick)

# The unit tests under valgrind (leaks and invalid accesses are errors).
valgrind: $(UNIT)
	$(Q)valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
	    --error-exitcode=1 $(UNIT)

format:
	clang-format -i include/*.h src/*/*.c src/*/*.h tests/unit/*.c tests/unit/*.h

clean:
	rm -rf build build-san build-mpi

-include $(LIB_OBJS:.o=.d) $(CLI_OBJS:.o=.d) $(UNIT_OBJS:.o=.d)
