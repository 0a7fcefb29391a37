#!/bin/sh
# bench/interleave.sh: `wc -l FILE` and the quad query of one or more bilat binaries on FILE,
# run in turn N times (wc -l, binary 1, binary 2, ..., then again), so that every command sees
# the same moments of a shared machine; prints the best and median wall time of each and the
# ratio of each binary to `wc -l`.
#
#   bench/interleave.sh FILE N BILAT [BILAT...]
#
# On the benchmark machine the speed of the same command moved by 10-30 % within minutes: runs
# of one command after the other compare moments, not commands. This is how the scan's
# changes of bench/RESULTS.md ("Speed with margin, fifth round") were compared with the commit
# before them.
set -eu
[ $# -ge 3 ] || { echo "usage: bench/interleave.sh FILE N BILAT [BILAT...]" >&2; exit 2; }
F=$1
N=$2
shift 2
[ -r "$F" ] || { echo "bench: cannot read '$F'" >&2; exit 1; }
out=$(mktemp /tmp/bilat-interleave-XXXXXX)
trap 'rm -f "$out"' EXIT
cat "$F" >/dev/null # the page cache warm
ms() { # wall time of a command in tenths of a millisecond
    s=$(date +%s%N)
    "$@" >/dev/null
    e=$(date +%s%N)
    echo $(((e - s) / 100000))
}
i=0
while [ $i -lt "$N" ]; do
    echo "0 $(ms wc -l "$F")" >>"$out"
    k=0
    for b in "$@"; do
        k=$((k + 1))
        echo "$k $(ms "$b" -q scan "$F" --by year,actor1_country,actor2_country,quad)" >>"$out"
    done
    i=$((i + 1))
done
echo "## interleaved runs: $N rounds, $(date -u +%Y-%m-%dT%H:%M:%SZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "file: $F"
k=0
for name in "wc -l" "$@"; do
    grep "^$k " "$out" | awk '{print $2 / 10}' | sort -n |
        awk -v b="$name" '{a[NR] = $1} END {printf "%s\t%.1f\t%.1f\n", b, a[1], a[int((NR + 1) / 2)]}'
    k=$((k + 1))
done | awk -F'\t' 'NR == 1 {wb = $2; wm = $3; printf "%s: best %.1f ms, median %.1f ms\n", $1, $2, $3; next}
    {printf "%s quad scan: best %.1f ms, median %.1f ms; / wc -l: %.2f best against best, %.2f by medians\n",
     $1, $2, $3, $2 / wb, $3 / wm}'
