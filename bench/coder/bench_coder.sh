#!/bin/sh
# bench_coder.sh: speed of the event coder (bilat code) on one core.
#
#   bench/coder/bench_coder.sh [ROWS] [SEED]      (from the project root; default 200000 1)
#
# Generates ROWS news-like lines of 20-40 words (bench/coder/gen_sentences.py, deterministic for
# a SEED), then measures, with the shipped dictionaries:
#   - dictionary load time: the load_ms that `bilat code --stats` reports, median of 7 runs;
#   - coding speed: wall time of `bilat -q code FILE >/dev/null` (TSV written to /dev/null),
#     best and median of 5 runs, pinned to one core with taskset when it is available;
#     sentences per second = sentences coded / wall time (dictionary load included).
# Prints the figures with the machine, the load average and the commit, for bench/RESULTS.md.
set -eu
ROWS=${1:-200000}
SEED=${2:-1}
BILAT=${BILAT:-build/bilat}
[ -x "$BILAT" ] || { echo "bench_coder: build bilat first (make)" >&2; exit 1; }
work=$(mktemp -d /tmp/bilat-bench-coder-XXXXXX)
trap 'rm -rf "$work"' EXIT
python3 bench/coder/gen_sentences.py "$ROWS" "$SEED" >"$work/in.tsv"
PIN=""
command -v taskset >/dev/null 2>&1 && PIN="taskset -c 0"

words=$(awk -F'\t' '{ n += split($2, a, " ") } END { printf "%.1f", n / NR }' "$work/in.tsv")
sentences=$($BILAT code "$work/in.tsv" 2>&1 >/dev/null | sed -n 's/.*coded \([0-9]*\) sentence.*/\1/p')

# load time: the coder's own clock around bilat_coder_new()
loads=""
for i in 1 2 3 4 5 6 7; do
    ms=$($PIN $BILAT code --stats </dev/null 2>&1 >/dev/null | sed -n 's/.*loaded in \([0-9.]*\) ms.*/\1/p')
    loads="$loads $ms"
done
load_med=$(echo $loads | tr ' ' '\n' | sort -n | sed -n 4p)

# coding speed
times=""
for i in 1 2 3 4 5; do
    s=$(date +%s.%N)
    $PIN $BILAT -q code "$work/in.tsv" >/dev/null
    e=$(date +%s.%N)
    times="$times $(echo "$e - $s" | bc -l)"
done
best=$(echo $times | tr ' ' '\n' | sort -n | head -1)
med=$(echo $times | tr ' ' '\n' | sort -n | sed -n 3p)
rate_best=$(echo "$sentences / $best" | bc -l)
rate_med=$(echo "$sentences / $med" | bc -l)

cpu=$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1)
printf 'machine     %s, %s cores; load average %s\n' "$cpu" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'commit      %s\n' "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
printf 'input       %s lines, %s sentences, %s words per line (seed %s)\n' "$ROWS" "$sentences" "$words" "$SEED"
printf 'load        dictionaries loaded in %s ms (median of 7:%s)\n' "$load_med" "$loads"
printf 'coding      best %.3f s = %.0f sentences/s; median %.3f s = %.0f sentences/s (5 runs:%s)\n' \
    "$best" "$rate_best" "$med" "$rate_med" "$times"
