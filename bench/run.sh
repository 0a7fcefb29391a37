#!/bin/sh
# bench/run.sh: the event-file benchmarks of bench/RESULTS.md (`make bench` runs it).
#
#   BILAT=build/bilat bench/run.sh [ROWS [SEED]]
#
# 1. Generates bench/data/gdelt_ROWS.CSV (default 2,100,000 rows, seed 42; ~0.83 GB) by
#    bootstrapping rows of the real export (bench/gen_gdelt.c) and its .zip, unless present.
# 2. Installs the DuckDB Node client in bench/duckdb (npm), unless present.
# 3. In one run, page cache warm, on the same file: DuckDB and bilat on the two queries (outputs
#    compared: counts exact, sums to 1e-9 relative), `wc -l`, the .zip against `unzip -p` piped
#    in, peak memory (/usr/bin/time -v), `bilat ingest` (bench/ingest.sh: time, peak memory,
#    rerun, the profile after it, the SHA-256 floor), and the equality of results across -j,
#    read sizes, scanners and I/O modes.
# Times are the median of REPEAT runs (default 5; DuckDB 3). The machine, load average and commit
# are printed first: run it on a quiet machine and paste the output into bench/RESULTS.md.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BILAT=${BILAT:-$ROOT/build/bilat}
ROWS=${1:-2100000}
SEED=${2:-42}
REPEAT=${REPEAT:-5}
D=$ROOT/bench/data
mkdir -p "$D"
F=$D/gdelt_$ROWS.CSV
Z=$D/gdelt_$ROWS.CSV.zip
if [ ! -s "$F" ]; then
    cc -O2 -o "$D/gen_gdelt" "$ROOT/bench/gen_gdelt.c"
    "$D/gen_gdelt" "$ROOT/data/raw/gdelt/20180101000000.export.CSV" "$ROWS" "$SEED" >"$F.tmp"
    mv "$F.tmp" "$F"
fi
S=$D/gdelt_${ROWS}_source.CSV
if [ ! -s "$S" ]; then
    cc -O2 -o "$D/gen_gdelt" "$ROOT/bench/gen_gdelt.c"
    "$D/gen_gdelt" "$ROOT/data/raw/gdelt/20180101000000.export.CSV" "$ROWS" "$SEED" source >"$S.tmp"
    mv "$S.tmp" "$S"
fi
if [ ! -s "$Z" ]; then
    (cd "$D" && rm -f "$Z.tmp.zip" && zip -q -X -j "$Z.tmp.zip" "$F" && mv "$Z.tmp.zip" "$Z")
fi
if [ ! -d "$ROOT/bench/duckdb/node_modules/@duckdb/node-api" ]; then
    (cd "$ROOT/bench/duckdb" && npm ci --no-audit --no-fund >/dev/null)
fi
OUT=$(mktemp -d /tmp/bilat-bench-XXXXXX)
trap 'rm -rf "$OUT"' EXIT

echo "## machine"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "commit: $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet || echo '+dirty')"
echo "nproc: $(nproc)"
echo "cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "file: $F, $(stat -L -c %s "$F") bytes, $(wc -l <"$F") rows; zip $(stat -L -c %s "$Z") bytes"
echo "duckdb: $(cd "$ROOT/bench/duckdb" && node -e "console.log(require('@duckdb/node-api/package.json').version)")"
echo

# median wall time of a command, in seconds (3 decimals); the fastest run goes to $OUT/min
median() {
    n=$1
    shift
    i=0
    : >"$OUT/times"
    while [ $i -lt "$n" ]; do
        s=$(date +%s.%N)
        "$@" >/dev/null 2>&1
        e=$(date +%s.%N)
        echo "$e - $s" | bc -l >>"$OUT/times"
        i=$((i + 1))
    done
    sort -n "$OUT/times" | head -1 | awk '{printf "%.3f", $1}' >"$OUT/min"
    sort -n "$OUT/times" | awk '{a[NR] = $1} END {printf "%.3f", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'
}

cat "$F" >/dev/null # warm the page cache
echo "## queries (median of $REPEAT bilat runs, 3 DuckDB runs; page cache warm)"
for q in quad dyad; do
    if [ $q = quad ]; then args="--by year,actor1_country,actor2_country,quad"; else
        args="--by year,root_code --where dyad=KHM:CHN"; fi
    (cd "$ROOT/bench/duckdb" && node scan.mjs "$F" $q "$OUT/duck_$q.csv" 3) >"$OUT/duck_$q.log"
    dt=$(sed -n 's/.*run [0-9]*: \([0-9.]*\) s.*/\1/p' "$OUT/duck_$q.log" | sort -n | sed -n 2p)
    dmin=$(sed -n 's/.*run [0-9]*: \([0-9.]*\) s.*/\1/p' "$OUT/duck_$q.log" | sort -n | head -1)
    # shellcheck disable=SC2086
    "$BILAT" -q scan "$F" $args >"$OUT/bilat_$q.csv"
    # shellcheck disable=SC2086
    bt=$(median "$REPEAT" "$BILAT" -q scan "$F" $args)
    bmin=$(cat "$OUT/min")
    cmp=$(python3 "$ROOT/bench/compare.py" "$OUT/bilat_$q.csv" "$OUT/duck_$q.csv" || true)
    echo "$q: bilat scan $args: median ${bt} s (best ${bmin}); DuckDB: median ${dt} s (best ${dmin});" \
        "bilat is $(echo "$dt / $bt" | bc -l | cut -c1-4)x faster (best against best: $(echo "$dmin / $bmin" | bc -l | cut -c1-4)x); $cmp"
done
wt=$(median "$REPEAT" wc -l "$F")
wmin=$(cat "$OUT/min")
bt=$(median "$REPEAT" "$BILAT" -q scan "$F" --by year,actor1_country,actor2_country,quad)
bmin=$(cat "$OUT/min")
echo "wc -l: median ${wt} s (best ${wmin}); bilat quad scan: median ${bt} s (best ${bmin}); bilat / wc -l = $(echo "$bt / $wt" | bc -l | cut -c1-4) (best against best: $(echo "$bmin / $wmin" | bc -l | cut -c1-4))"
size=$(stat -L -c %s "$F")
echo "bilat quad scan: $(echo "$size / $bt / 1000000" | bc) MB/s, $(echo "$ROWS / $bt / 1000000" | bc -l | cut -c1-4) M rows/s"
echo

echo "## zip (median of 3)"
zt=$(median 3 "$BILAT" -q scan "$Z" --by year,actor1_country,actor2_country,quad)
ut=$(median 3 sh -c "unzip -p '$Z' | '$BILAT' -q scan - --by year,actor1_country,actor2_country,quad")
uo=$(median 3 sh -c "unzip -p '$Z' >/dev/null")
"$BILAT" -q scan "$Z" --by year,actor1_country,actor2_country,quad >"$OUT/zip.csv"
cmp -s "$OUT/zip.csv" "$OUT/bilat_quad.csv" && same=identical || same=DIFFERENT
echo "bilat scan X.zip: ${zt} s; unzip -p X.zip | bilat scan -: ${ut} s ($(echo "$ut / $zt" | bc -l | cut -c1-4)x); unzip -p X.zip >/dev/null alone: ${uo} s; output $same to the plain file's"
echo

echo "## peak memory (/usr/bin/time -v, maximum resident set size)"
for c in "scan $F --by year,actor1_country,actor2_country,quad" \
         "scan $F --by year,root_code --where dyad=KHM:CHN" \
         "scan $Z --by year,actor1_country,actor2_country,quad" \
         "scan $F --by year,actor1_country,actor2_country,quad --dedup daily"; do
    # shellcheck disable=SC2086
    kb=$(/usr/bin/time -v "$BILAT" -q $c 2>&1 >/dev/null | sed -n 's/.*Maximum resident set size (kbytes): //p')
    echo "bilat $c: $((kb / 1024)) MiB"
done
echo

"$ROOT/bench/ingest.sh" "$S" "$F"
echo

echo "## identical results"
ref="$OUT/bilat_quad.csv"
n=0 bad=0
for v in "-j 1" "-j 2" "-j 3" "--io read" "--io mmap" "--scanner scalar" "--buffer-size 65537" "--buffer-size 4093 -j 2 --io read"; do
    # shellcheck disable=SC2086
    "$BILAT" -q scan "$F" --by year,actor1_country,actor2_country,quad $v >"$OUT/v.csv"
    n=$((n + 1))
    cmp -s "$OUT/v.csv" "$ref" || { bad=$((bad + 1)); echo "differs: $v"; }
done
echo "quad query under $n settings (-j 1/2/3, read/mmap, scalar, read sizes): $bad different"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
