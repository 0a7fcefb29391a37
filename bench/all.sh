#!/bin/sh
# bench/all.sh: every benchmark of bench/RESULTS.md in one run (`make bench`), then a summary of
# its figures, each with the load average, next to the previous run's.
#
#   BILAT=build/bilat bench/all.sh [--quick]
#
# Steps, one after the other: bench/run.sh (scan against DuckDB, zip, peak memory, ingest.sh),
# bench/scale.sh (ten files in one ingest, profile and clusters on that store),
# bench/profile.sh (a cold profile of the demo store, three periods), bench/votes/run.sh,
# bench/coder/bench_coder.sh 200000 1, bench/http/run.sh 20 64. The full
# output of each goes to the terminal as it runs. The summary keeps the lines that carry the
# figures of RESULTS.md's targets, each followed by the load average when its step ended, and
# under each the same line of the previous run, read from bench/last-run.txt, which is then
# replaced by this run's (commit it with the figures it backs).
#
# --quick (`make bench QUICK=1`): the same steps on smaller inputs (210,000-row event file, ten
# files of 200,000 rows, 20,000 sentences, 5-second server runs), one run where the full run
# takes the best or median of several. A check that every benchmark runs, in a few minutes; its
# figures are not the targets' and are compared only with the previous quick run
# (bench/last-run-quick.txt).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BILAT=${BILAT:-$ROOT/build/bilat}
export BILAT
quick=0
[ "${1:-}" = "--quick" ] && quick=1
if [ $quick = 1 ]; then
    LAST=$ROOT/bench/last-run-quick.txt
else
    LAST=$ROOT/bench/last-run.txt
fi
LOG=$(mktemp -d "${TMPDIR:-/tmp}/bilat-bench-all-XXXXXX")
trap 'rm -rf "$LOG"' EXIT
load() { cut -d' ' -f1-3 /proc/loadavg; }

# step NAME PATTERN COMMAND...: run it, its output shown and kept; the lines matching PATTERN
# (extended regex) go to the summary with the load average at the end of the step.
step() {
    name=$1
    pat=$2
    shift 2
    echo
    echo "######## $name: $* (load average $(load))"
    { "$@" 2>&1 || echo "$name: failed"; } | tee "$LOG/$name.out"
    l=$(load)
    grep -E "$pat" "$LOG/$name.out" | grep -Ev '^\| scenario ' | awk -v s="$name" -v l="$l" '{printf "%s#%d\t%s\t%s\n", s, NR, l, $0}' \
        >>"$LOG/summary" || true
    grep -q ': failed$' "$LOG/$name.out" && printf '%s#0\t%s\t%s\n' "$name" "$l" "$name: failed" >>"$LOG/summary"
    return 0
}

: >"$LOG/summary"
start=$(date -u +%Y-%m-%dT%H:%M:%SZ)
commit=$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet || echo '+dirty')
if [ $quick = 1 ]; then
    step events '^(quad|dyad): |^wc -l: |^bilat scan .*(zip|MiB)|^now: |^clusters KHM CHN --month [0-9-]*: |^quad query under|^openssl speed' \
        env REPEAT=1 "$ROOT/bench/run.sh" 210000
    step scale '^(ingest|ratio|rates|rerun|profile|clusters) ' env REPEAT=1 "$ROOT/bench/scale.sh" 200000 10
    step profile '^profile ' "$ROOT/bench/profile.sh" 10
    step votes '^\| (numpy|bilat|dyad)' "$ROOT/bench/votes/run.sh"
    step coder '^(load|coding) ' "$ROOT/bench/coder/bench_coder.sh" 20000 1
    step http '^\| [a-z0-9]|^- (uncached|after)' "$ROOT/bench/http/run.sh" 5 64
else
    step events '^(quad|dyad): |^wc -l: |^bilat scan .*(zip|MiB)|^now: |^clusters KHM CHN --month [0-9-]*: |^quad query under|^openssl speed' \
        "$ROOT/bench/run.sh"
    step scale '^(ingest|ratio|rates|rerun|profile|clusters) ' "$ROOT/bench/scale.sh"
    step profile '^profile ' "$ROOT/bench/profile.sh" 40
    step votes '^\| (numpy|bilat|dyad)' "$ROOT/bench/votes/run.sh"
    step coder '^(load|coding) ' "$ROOT/bench/coder/bench_coder.sh" 200000 1
    step http '^\| [a-z0-9]|^- (uncached|after)' "$ROOT/bench/http/run.sh" 20 64
fi

echo
echo "######## summary: make bench$([ $quick = 1 ] && echo ' QUICK=1'), $start, commit $commit, $(nproc) cores"
prev=""
[ -s "$LAST" ] && prev=$(sed -n 's/^# //p' "$LAST" | head -1)
echo "(each figure with the load average at the end of its step; 'previous' is $(
    [ -n "$prev" ] && echo "$prev" || echo 'none: no earlier run recorded'))"
while IFS="$(printf '\t')" read -r key l line; do
    echo "$line  [load $l]"
    if [ -s "$LAST" ]; then
        old=$(awk -F'\t' -v k="$key" '$1 == k {print $3 "  [load " $2 "]"}' "$LAST")
        echo "    previous: ${old:-(not in the previous run)}"
    fi
done <"$LOG/summary"
{
    echo "# make bench$([ $quick = 1 ] && echo ' QUICK=1'), $start, commit $commit, $(nproc) cores"
    cat "$LOG/summary"
} >"$LAST"
echo "(written to ${LAST#"$ROOT"/})"
