#!/bin/sh
# bench/profile.sh: a cold `bilat profile KHM CHN --json` (a new process each time: start-up,
# opening the store, building and printing the document) on the store `make demo` builds, for
# three periods: the whole record, 2000-2010 and from 2015. Target: at most 40 ms each.
#
#   BILAT=build/bilat bench/profile.sh [RUNS]
#
# The store is built afresh with `make demo-store` (with ../shared/data when present, as the
# demo), page cache warm; hyperfine runs each command RUNS times (default 40) after 5 warm-up
# runs, and the best, median and mean are printed with the load average.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
: "${BILAT:?set BILAT to the bilat binary}"
RUNS=${1:-40}
command -v hyperfine >/dev/null || { echo "bench: hyperfine not found (scripts/deps.sh bench)" >&2; exit 1; }
work=$(mktemp -d /tmp/bilat-bench-profile-XXXXXX)
trap 'rm -rf "$work"' EXIT
make -s -C "$ROOT" demo-store BIN="$BILAT" DB="$work/d.db" >/dev/null 2>&1 ||
    { echo "bench: make demo-store failed" >&2; exit 1; }
echo "## Cold profile (bench/profile.sh)"
echo
echo "- machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
echo "- commit: $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet || echo ' (uncommitted changes)'), $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "- store: make demo-store ($(du -k "$work/d.db" | cut -f1) KiB); $RUNS runs each after 5 warm-up runs"
echo
for p in "whole record|" "2000-2010|--from 2000 --to 2010" "from 2015|--from 2015"; do
    name=${p%%|*}
    args=${p#*|}
    before=$(cut -d' ' -f1-3 /proc/loadavg)
    # shellcheck disable=SC2086
    hyperfine -N --style none --warmup 5 --runs "$RUNS" --export-json "$work/h.json" \
        "$BILAT --db $work/d.db profile KHM CHN --json $args" >/dev/null 2>&1
    python3 - "$work/h.json" "$name" "$before" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import json, statistics, sys
r = json.load(open(sys.argv[1]))["results"][0]["times"]
ms = sorted(t * 1000 for t in r)
print("profile %s: best %.1f ms, median %.1f ms, mean %.1f ms (target at most 40 ms); load %s -> %s"
      % (sys.argv[2], ms[0], statistics.median(ms), statistics.mean(ms), sys.argv[3], sys.argv[4]))
PY
done
