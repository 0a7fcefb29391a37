#!/bin/sh
# eval_sets.sh: the coder's figures on every gold set, as the table rows of docs/CODER.md.
#
#   bench/coder/eval_sets.sh [SHARED]          (from the project root; SHARED default ../shared)
#
# Runs `bilat code --eval` on each set, without and with --monadic, and prints one line per run:
# set, mode, sentences, expected events, root P/R/F1, triple P/R/F1, extra events per sentence,
# party actors right. The sets shipped in tests/data/coder are always scored; the PETRARCH
# validation sets flattened in SHARED/coder/derived (not shipped: the GSR texts are news agency
# copy) when that directory exists: the GSR news records by halves (--part dev, --part heldout),
# the PETRARCH-1 validation records with the fictional PETRARCH-2 validation dictionaries
# (petr-validate: its own are TABARI-style and not converted), the UD-PETRARCH ones with theirs
# (udpetr-validate).
# With DEV=1 in the environment, the held-out parts are left out (for working on the coder
# without looking at them).
set -eu
DEV=${DEV:-0}
SHARED=${1:-../shared}
BILAT=${BILAT:-build/bilat}
[ -x "$BILAT" ] || { echo "eval_sets: build bilat first (make)" >&2; exit 1; }
T=tests/data/coder
D=$SHARED/coder/derived

run() { # NAME MODE ARGS...
    name=$1
    mode=$2
    shift 2
    $BILAT -q code "$@" 2>/dev/null | awk -v name="$name" -v mode="$mode" '
        /^sentences +[0-9]/ { s = $2 }
        /^expected events/ { x = $3 }
        /^root code/ { rp = $4; rr = $6; rf = $8 }
        /^source, target, root/ { tp = $5; tr = $7; tf = $9 }
        /^extra events/ { e = $5 }
        /^party actors right/ { p = $4 "/" $6 " " $7 }
        END { printf "%-34s %-9s %4d %4d  %s/%s/%s  %s/%s/%s  %s  %s\n", name, mode, s, x,
                     rp, rr, rf, tp, tr, tf, e, p }'
}

both() { # NAME ARGS...
    name=$1
    shift
    case "$name" in *held-out*) [ "$DEV" = 1 ] && return ;; esac
    run "$name" "" "$@"
    run "$name" "--monadic" --monadic "$@"
}

printf '%-34s %-9s %4s %4s  %-17s  %-17s  %s  %s\n' set mode sent exp "root P/R/F1" \
    "triple P/R/F1" extra party
both "CAMEO manual examples" --eval $T/cameo-examples.gold.tsv
both "own, development" --eval $T/own.gold.tsv
both "own, held-out" --eval $T/own-heldout.gold.tsv
both "world news, development" --eval $T/news.gold.tsv
both "world news, held-out" --eval $T/news-heldout.gold.tsv
both "SE Asian parties, development" --eval $T/parties.gold.tsv
both "SE Asian parties, held-out" --eval $T/parties-heldout.gold.tsv
both "Cambodia-China, development" --eval $T/khm-chn.gold.tsv
both "Cambodia-China, held-out" --eval $T/khm-chn-heldout.gold.tsv
run "PETRARCH-2 unit tests" "" --dict $T/petr-validate --eval $T/petr-unittest.gold.tsv
if [ -d "$D" ]; then
    both "PETRARCH-2 GSR news, development" --eval $D/petr2_gsr_validation_expected.tsv --part dev
    both "PETRARCH-2 GSR news, held-out" --eval $D/petr2_gsr_validation_expected.tsv --part heldout
    [ "$DEV" = 1 ] || both "PETRARCH-2 GSR news, all" --eval $D/petr2_gsr_validation_expected.tsv
    run "PETRARCH-1 validation" "" --dict $T/petr-validate --eval $D/petr1_validate_140226_expected.tsv
    run "UD-PETRARCH validation 2.02" "" --dict $T/udpetr-validate --eval $D/udpetr_validate_2_02_expected.tsv
else
    echo "eval_sets: $D not present: the PETRARCH validation sets were not scored" >&2
fi
