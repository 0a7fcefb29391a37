#!/bin/sh
# bench/votes/run.sh: speed of the UN vote measures (figures go to bench/RESULTS.md).
#
#   bench/votes/run.sh            (BILAT=path/to/bilat, default build/bilat)
#
# 1. Builds a store from the shipped files (reference, curated records, UN votes, ideal points).
# 2. Checks that `bilat votes --all-pairs --by session --to 2019` gives the same rows as the
#    NumPy/pandas reference (bench/votes/allpairs_numpy.py, Debian's /usr/bin/python3) for
#    agree, s and kappa: same pairs, same n, values within 1e-6.
# 3. Times, with hyperfine (whole processes, CSV written to a file): the NumPy reference on the
#    shipped files, bilat all-pairs agree, kappa and s on the store, and a single-dyad query
#    (`bilat votes KHM CHN`, start-up included). The load average is printed before and after:
#    other work on the machine slows both sides; re-run when it is quiet.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BILAT=${BILAT:-$ROOT/build/bilat}
PY=/usr/bin/python3
RUNS=${RUNS:-10}
U=$ROOT/data/raw/un_votes
W=$(mktemp -d /tmp/bilat-bench-votes-XXXXXX)
trap 'rm -rf "$W"' EXIT

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "commit: $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet || echo ' (modified)')"
echo "python: $($PY -c 'import sys, numpy, pandas; print(sys.version.split()[0], "numpy", numpy.__version__, "pandas", pandas.__version__)')"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

$BILAT -q --db "$W/b.db" load "$ROOT/data/reference" "$ROOT/data/khm-chn"
$BILAT -q --db "$W/b.db" ingest unvotes "$U/unvotes_roll_calls_1946_2019.csv" \
    "$U/unvotes_roll_call_issues.csv" "$U/unvotes_votes_all_1946_2019.csv.gz" 2>/dev/null
$BILAT -q --db "$W/b.db" ingest idealpoints "$U/idealpoints_july2025_1946_2024.csv" 2>/dev/null

allpairs="$BILAT -q --db $W/b.db votes --all-pairs --by session --to 2019"
for m in agree s kappa; do
    $allpairs -m $m -o "$W/c_$m.csv"
    $PY "$ROOT/bench/votes/allpairs_numpy.py" -m $m -o "$W/p_$m.csv" 2>/dev/null
    printf 'check %-6s ' "$m"
    $PY "$ROOT/bench/votes/compare.py" "$W/c_$m.csv" "$W/p_$m.csv"
done

hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$W/allpairs.json" \
    -n numpy-agree "$PY $ROOT/bench/votes/allpairs_numpy.py -m agree -o $W/p.csv" \
    -n bilat-agree "$allpairs -m agree -o $W/c.csv" \
    -n bilat-kappa "$allpairs -m kappa -o $W/c.csv" \
    -n bilat-s "$allpairs -m s -o $W/c.csv" >/dev/null 2>&1
hyperfine -N --warmup 3 --runs 50 --export-json "$W/dyad.json" \
    -n dyad-agree "$BILAT -q --db $W/b.db votes KHM CHN" \
    -n dyad-kappa-session "$BILAT -q --db $W/b.db votes KHM CHN -m kappa --by session" \
    >/dev/null 2>&1
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

$PY - "$W/allpairs.json" "$W/dyad.json" <<'PYEOF'
import json, sys
r = {}
for f in sys.argv[1:]:
    for x in json.load(open(f))["results"]:
        r[x["command"]] = x
print("| run | mean (s) | stddev (s) | min (s) | max (s) |")
print("|---|---|---|---|---|")
for k, x in r.items():
    print(f"| {k} | {x['mean']:.4f} | {x['stddev']:.4f} | {x['min']:.4f} | {x['max']:.4f} |")
for stat in ("mean", "min"):
    a = r["bilat-agree"][stat]
    print(f"by {stat}: numpy / bilat agree {r['numpy-agree'][stat] / a:.1f}x (target >= 5x); "
          f"bilat kappa / agree {r['bilat-kappa'][stat] / a:.2f}, "
          f"s / agree {r['bilat-s'][stat] / a:.2f} (target <= 2)")
print(f"single dyad: {r['dyad-agree']['mean'] * 1000:.1f} ms mean, "
      f"{r['dyad-agree']['max'] * 1000:.1f} ms max (target < 50 ms)")
PYEOF
