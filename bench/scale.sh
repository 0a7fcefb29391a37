#!/bin/sh
# bench/scale.sh: ingest at ten times the data (bench/RESULTS.md, "Ingest at scale").
#
#   BILAT=build/bilat bench/scale.sh [ROWS [FILES]]
#
# Generates FILES files (default 10) of ROWS rows (default 2,000,000; about 795 MB each) with
# bench/gen_gdelt.c, dates spread over 28 years, seeds 1..FILES (each seed its own event ids),
# as bench/data/scale_ROWS_SEED.CSV unless present. Then, page cache warm, REPEAT times each
# (default 3; best and median, peak resident memory from /usr/bin/time):
#   - `bilat ingest gdelt` of the first file into a fresh store;
#   - `bilat ingest gdelt` of all the files, in one command, into a fresh store;
# the ratio of the two bests (the target is at most 1.1 times FILES) and the rates; then on the
# store of all the files: a rerun (every file known: skipped), `bilat profile KHM CHN` (after
# `bilat load tests/data/mini`) and `bilat clusters KHM CHN --month M` (the month with the most
# KHM-CHN events), 3 times each with their peak memory. The load average is printed with every
# figure. Stores go to a temporary directory next to the files (TMPDIR to choose another);
# about 2.2 GB for ten files. KEEP=0 removes the generated files at the end.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BILAT=${BILAT:-$ROOT/build/bilat}
ROWS=${1:-2000000}
NF=${2:-10}
REPEAT=${REPEAT:-3}
D=$ROOT/bench/data
mkdir -p "$D"
OUT=$(mktemp -d "${TMPDIR:-$D}/bilat-scale-XXXXXX")
trap 'rm -rf "$OUT"' EXIT

load() { echo "load $(cut -d' ' -f1-3 /proc/loadavg)"; }

files=""
i=1
while [ $i -le "$NF" ]; do
    f=$D/scale_${ROWS}_$i.CSV
    if [ ! -s "$f" ]; then
        [ -x "$D/gen_gdelt" ] || cc -O2 -o "$D/gen_gdelt" "$ROOT/bench/gen_gdelt.c"
        "$D/gen_gdelt" "$ROOT/data/raw/gdelt/20180101000000.export.CSV" "$ROWS" "$i" >"$f.tmp"
        mv "$f.tmp" "$f"
    fi
    files="$files $f"
    i=$((i + 1))
done
first=$D/scale_${ROWS}_1.CSV
bytes=0
for f in $files; do bytes=$((bytes + $(stat -L -c %s "$f"))); done

# one timed run: "seconds peak_MiB" of a command (output discarded)
run() {
    /usr/bin/time -f "%e %M" -o "$OUT/tm" "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
    awk '{printf "%.2f %d", $1, $2 / 1024}' "$OUT/tm"
}

# REPEAT ingests of FILES... into a fresh store $OUT/s.db: "median (best B) s, peak P MiB"
ingest() {
    : >"$OUT/t"
    : >"$OUT/m"
    k=0
    while [ $k -lt "$REPEAT" ]; do
        rm -f "$OUT"/s.db*
        r=$(run "$BILAT" -q --db "$OUT/s.db" ingest gdelt "$@")
        echo "${r% *}" >>"$OUT/t"
        echo "${r#* }" >>"$OUT/m"
        k=$((k + 1))
    done
    sort -n "$OUT/t" | awk '{a[NR] = $1} END {m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2;
        printf "%.2f s median (best %.2f s)", m, a[1]}'
    sort -n "$OUT/m" | tail -1 | awk '{printf ", peak %d MiB", $1}'
}
best() { sort -n "$OUT/t" | head -1; }

echo "## ingest at scale"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "commit: $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet || echo '+dirty')"
echo "nproc: $(nproc); files: $NF x $ROWS rows (28 years of dates, seeds 1..$NF), $bytes bytes; $REPEAT runs each"
# shellcheck disable=SC2086
cat $files >/dev/null
echo "$(load) before"
one=$(ingest "$first")
t1=$(best)
echo "ingest 1 file: $one; $(load)"
# shellcheck disable=SC2086
all=$(ingest $files)
tn=$(best)
cells=$("$BILAT" --db "$OUT/s.db" sql "SELECT count(*) FROM event_cube" | tail -1)
echo "ingest $NF files in one command: $all; $cells cube rows; $(load)"
echo "ratio $NF files / 1 file (best against best): $(echo "$tn / $t1" | bc -l | awk '{printf "%.2f", $1}') (target at most $(echo "1.1 * $NF" | bc -l | awk '{printf "%.1f", $1}'))"
echo "rates: 1 file $(echo "$ROWS / $t1 / 1000000" | bc -l | awk '{printf "%.3f", $1}') M rows/s;" \
    "$NF files $(echo "$ROWS * $NF / $tn / 1000000" | bc -l | awk '{printf "%.3f", $1}') M rows/s," \
    "$(echo "$bytes / $tn / 1000000" | bc -l | awk '{printf "%.0f", $1}') MB/s"
# shellcheck disable=SC2086
r=$(run "$BILAT" -q --db "$OUT/s.db" ingest gdelt $files)
echo "rerun of the $NF files (all known): ${r% *} s, peak ${r#* } MiB; $(load)"
"$BILAT" -q --db "$OUT/s.db" load "$ROOT/tests/data/mini" >/dev/null 2>&1
: >"$OUT/t"
: >"$OUT/m"
for k in 1 2 3; do
    r=$(run "$BILAT" --db "$OUT/s.db" profile KHM CHN)
    echo "${r% *}" >>"$OUT/t"
    echo "${r#* }" >>"$OUT/m"
done
echo "profile KHM CHN on the $NF-file store: $(sort -n "$OUT/t" | tr '\n' ' ')s, peak $(sort -n "$OUT/m" | tail -1) MiB; $(load)"
DY="(actor1_country, actor2_country) IN (VALUES ('KHM', 'CHN'), ('CHN', 'KHM'))"
mo=$("$BILAT" --db "$OUT/s.db" sql "SELECT substr(day, 1, 7) FROM event_cube WHERE $DY GROUP BY 1 ORDER BY sum(events) DESC, 1 LIMIT 1" | tail -1)
: >"$OUT/t"
: >"$OUT/m"
for k in 1 2 3; do
    r=$(run "$BILAT" --db "$OUT/s.db" clusters KHM CHN --month "$mo")
    echo "${r% *}" >>"$OUT/t"
    echo "${r#* }" >>"$OUT/m"
done
found=$("$BILAT" --db "$OUT/s.db" clusters KHM CHN --month "$mo" 2>&1 >/dev/null | tail -1)
echo "clusters KHM CHN --month $mo on the $NF-file store: $(sort -n "$OUT/t" | tr '\n' ' ')s, peak $(sort -n "$OUT/m" | tail -1) MiB ($found); $(load)"
echo "$(load) after"
if [ "${KEEP:-1}" = 0 ]; then
    # shellcheck disable=SC2086
    rm -f $files
fi
