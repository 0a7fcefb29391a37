#!/bin/sh
# bench/ingest.sh: the ingest figures of bench/RESULTS.md ("Ingest"), on the files bench/run.sh
# generates (run that first, or pass the files).
#
#   BILAT=build/bilat bench/ingest.sh [FILE...]
#
# For each file (default: bench/data/gdelt_2100000_source.CSV, real dates, and
# bench/data/gdelt_2100000.CSV, dates over 28 years), page cache warm:
#   - `bilat ingest gdelt FILE` into a fresh store, REPEAT times (default 5): median and best
#     wall time, peak resident memory (/usr/bin/time -v), cube rows, spilled runs;
#   - `bilat scan FILE --by year,actor1_country,actor2_country,quad` (the quad query), REPEAT
#     times: the ratio ingest / scan (the target is at most 2); and once a scan with the cube's
#     own keys and dedup (what an ingest aggregates), with its peak memory;
#   - a rerun of the ingest over the same store (the file is known: skipped);
#   - `bilat profile KHM CHN` on that store (after `bilat load tests/data/mini` for the actors),
#     3 times, with its peak memory;
#   - `bilat clusters KHM CHN --month M` (the month with the most KHM-CHN events: the file is
#     hashed and read again), 3 times, with its peak memory and what it found;
# and, once, the SHA-256 floor: `sha256sum`, `openssl dgst -sha256` (both read the file) and
# `openssl speed -evp sha256` (the library on 4 MiB blocks in memory).
# BILAT_BEFORE=path/to/older/bilat adds the same ingest and profile figures for that binary.
# The load average and running tasks are printed with every figure: run on a quiet machine.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BILAT=${BILAT:-$ROOT/build/bilat}
REPEAT=${REPEAT:-5}
if [ $# -eq 0 ]; then
    set -- "$ROOT/bench/data/gdelt_2100000_source.CSV" "$ROOT/bench/data/gdelt_2100000.CSV"
fi
OUT=$(mktemp -d "${TMPDIR:-/tmp}/bilat-ingest-XXXXXX")
trap 'rm -rf "$OUT"' EXIT

load() { echo "load $(cut -d' ' -f1-3 /proc/loadavg), running $(cut -d' ' -f4 /proc/loadavg | cut -d/ -f1)"; }

# wall seconds of one run of a command (output discarded)
wall() {
    s=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    e=$(date +%s.%N)
    echo "$e - $s" | bc -l | awk '{printf "%.3f", $1}'
}

# median and best of a list of numbers on stdin: "median (best)"
stats() {
    sort -n | awk '{a[NR] = $1} END {m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2;
        printf "%.3f (best %.3f)", m, a[1]}'
}

peak() { # MiB of the maximum resident set size of a command
    /usr/bin/time -v "$@" 2>&1 >/dev/null | sed -n 's/.*Maximum resident set size (kbytes): //p' |
        awk '{printf "%d", $1 / 1024}'
}

echo "## ingest"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "commit: $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet || echo '+dirty')"
echo "$(load) before"
for f in "$@"; do
    cat "$f" >/dev/null
    echo
    echo "file: $(basename "$f"), $(stat -L -c %s "$f") bytes"
    for b in ${BILAT_BEFORE:+"$BILAT_BEFORE"} "$BILAT"; do
        tag=$([ "$b" = "$BILAT" ] && echo now || echo before)
        : >"$OUT/t"
        i=0
        while [ $i -lt "$REPEAT" ]; do
            rm -f "$OUT"/i.db*
            wall "$b" -q --db "$OUT/i.db" ingest gdelt "$f" >>"$OUT/t"
            echo >>"$OUT/t"
            i=$((i + 1))
        done
        it=$(stats <"$OUT/t")
        rm -f "$OUT"/i.db*
        mem=$(peak "$b" -q --db "$OUT/i.db" ingest gdelt "$f")
        cells=$("$b" --db "$OUT/i.db" sql "SELECT count(*) FROM event_cube" | tail -1)
        runs=$("$b" --db "$OUT/r.db" ingest gdelt "$f" 2>&1 | sed -n 's/.*merged from \([0-9]*\) sorted.*/\1/p')
        rm -f "$OUT"/r.db*
        rerun=$(wall "$b" -q --db "$OUT/i.db" ingest gdelt "$f")
        "$b" -q --db "$OUT/i.db" load "$ROOT/tests/data/mini" >/dev/null 2>&1
        : >"$OUT/p"
        for k in 1 2 3; do
            wall "$b" --db "$OUT/i.db" profile KHM CHN >>"$OUT/p"
            echo >>"$OUT/p"
        done
        pt=$(stats <"$OUT/p")
        pmem=$(peak "$b" --db "$OUT/i.db" profile KHM CHN)
        echo "$tag: ingest ${it} s, peak ${mem} MiB, ${cells} cube rows, spilled runs: ${runs:-none};" \
            "rerun (known) ${rerun} s; profile KHM CHN ${pt} s, peak ${pmem} MiB; $(load)"
        [ "$tag" = now ] || continue
        # the drill-down: the clusters behind the month with the most KHM-CHN events, found by
        # reading the file again (SHA-256 check included)
        D="(actor1_country, actor2_country) IN (VALUES ('KHM', 'CHN'), ('CHN', 'KHM'))"
        mo=$("$b" --db "$OUT/i.db" sql "SELECT substr(day, 1, 7) FROM event_cube WHERE $D GROUP BY 1 ORDER BY sum(events) DESC, 1 LIMIT 1" | tail -1)
        : >"$OUT/c"
        for k in 1 2 3; do
            wall "$b" --db "$OUT/i.db" clusters KHM CHN --month "$mo" >>"$OUT/c"
            echo >>"$OUT/c"
        done
        found=$("$b" --db "$OUT/i.db" clusters KHM CHN --month "$mo" 2>&1 >/dev/null | tail -1)
        cmem=$(peak "$b" --db "$OUT/i.db" clusters KHM CHN --month "$mo")
        echo "clusters KHM CHN --month $mo: $(stats <"$OUT/c") s, peak ${cmem} MiB ($found); $(load)"
    done
    : >"$OUT/t"
    i=0
    while [ $i -lt "$REPEAT" ]; do
        wall "$BILAT" -q scan "$f" --by year,actor1_country,actor2_country,quad >>"$OUT/t"
        echo >>"$OUT/t"
        i=$((i + 1))
    done
    echo "quad scan: $(stats <"$OUT/t") s; $(load)"
    ct=$(wall "$BILAT" -q scan "$f" --by day,actor1_country,actor2_country,actor1_type,actor2_type,event_code,quad --dedup daily)
    cm=$(peak "$BILAT" -q scan "$f" --by day,actor1_country,actor2_country,actor1_type,actor2_type,event_code,quad --dedup daily)
    echo "scan with the cube's keys and dedup (what an ingest aggregates, CSV out): ${ct} s, peak ${cm} MiB; $(load)"
done
echo
f=$1
echo "## SHA-256 of $(basename "$f")"
for c in "sha256sum" "openssl dgst -sha256"; do
    : >"$OUT/t"
    for k in 1 2 3; do
        # shellcheck disable=SC2086
        wall $c "$f" >>"$OUT/t"
        echo >>"$OUT/t"
    done
    echo "$c FILE: $(stats <"$OUT/t") s"
done
openssl speed -seconds 2 -bytes 4194304 -evp sha256 2>/dev/null | tail -1 |
    awk -v n="$(stat -L -c %s "$f")" '{printf "openssl speed -evp sha256 (4 MiB blocks): %.0f MB/s, %.3f s for the file\n", $2 / 1000, n / ($2 * 1000)}'
echo "$(load) after"
