#!/bin/sh
# Load test of the web server with wrk: the profile JSON of KHM-CHN (the document the web pages
# and API clients ask for most), served by `bilat serve` over the store `make demo` builds: the
# shipped data (plus the external files of ../shared/data when present), the UN votes, the
# ideal points and the evidence datasets (speeches, finance projects, engagements, visits).
# Prints a Markdown block for
# bench/RESULTS.md with the machine, the commit, the load average and wrk's figures.
#
#   BILAT=build/bilat bench/http/run.sh [SECONDS] [CONNECTIONS]
#
# Scenarios: 1. one URL, cached after the first request (the common case);
#            2. the same for a client that accepts gzip (the cached compressed body);
#            3. 24 periods in turn (every document built once, then cached);
#            4. the cost of building a profile: 20 uncached requests, one after the other;
#            5. memory: 200 distinct documents (periods of several dyads), more than the
#               cache's 64 MiB hold, so that it evicts.
# After each scenario the server's resident memory (VmRSS) is printed, and its peak (VmHWM) at
# the end: it should stay near the document cache (64 MiB) plus the code and SQLite's caches.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
: "${BILAT:?set BILAT to the bilat binary}"
SECS=${1:-20}
CONNS=${2:-64}
command -v wrk >/dev/null || { echo "bench: wrk not found (scripts/deps.sh bench)" >&2; exit 1; }
work=$(mktemp -d /tmp/bilat-bench-http-XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
ext=
[ -d "$ROOT/../shared/data" ] && ext="--external $ROOT/../shared/data"
# shellcheck disable=SC2086
"$BILAT" -q --db "$work/b.db" load $ext "$ROOT/data/reference" "$ROOT/data/series" \
    "$ROOT/data/khm-chn" 2>/dev/null
# the store of `make demo`: the UN votes and ideal points too
uv="$ROOT/data/raw/un_votes"
"$BILAT" -q --db "$work/b.db" ingest unvotes "$uv/unvotes_roll_calls_1946_2019.csv" \
    "$uv/unvotes_roll_call_issues.csv" "$uv/unvotes_votes_all_1946_2019.csv.gz" 2>/dev/null
"$BILAT" -q --db "$work/b.db" ingest idealpoints "$uv/idealpoints_july2025_1946_2024.csv" 2>/dev/null
# and the evidence datasets (ChinaVitae and CEIAS only when ../shared/data has them)
"$BILAT" -q --db "$work/b.db" ingest aiddata-fd \
    "$ROOT/data/raw/diplomacy/aiddata_china_financial_diplomacy_project_details_v2.csv" 2>/dev/null
"$BILAT" -q --db "$work/b.db" ingest ungdc "$ROOT/data/raw/text/ungdc_khm_chn_speeches_1946_2024.jsonl" \
    2>/dev/null
if [ -n "$ext" ]; then
    # shellcheck disable=SC2086
    "$BILAT" -q --db "$work/b.db" ingest chinavitae $ext 2>/dev/null
    # shellcheck disable=SC2086
    "$BILAT" -q --db "$work/b.db" ingest ceias $ext 2>/dev/null
fi
"$BILAT" -q --db "$work/b.db" serve --port 0 >"$work/url" 2>"$work/log" &
pid=$!
for _ in $(seq 1 100); do [ -s "$work/url" ] && break; sleep 0.05; done
URL=$(head -1 "$work/url" | sed 's#/$##')
size=$(curl -s -o /dev/null -w '%{size_download}' "$URL/api/profile?a=KHM&b=CHN")
gz=$(curl -s -H 'Accept-Encoding: gzip' -o /dev/null -w '%{size_download}' "$URL/api/profile?a=KHM&b=CHN")

echo "## HTTP server (bench/http/run.sh)"
echo
echo "- machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(free -g | awk '/Mem:/{print $2}') GB"
echo "- commit: $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet || echo ' (uncommitted changes)'), $(date -u +%Y-%m-%d)"
echo "- server: \`bilat -q serve\` (4 threads: two per CPU); client: \`wrk -t2 -c$CONNS -d${SECS}s --latency\` on the same machine"
echo "- document: \`GET /api/profile?a=KHM&b=CHN\`, $size bytes of JSON"
echo

run() { # run NAME WRKARGS...
    name=$1
    shift
    before=$(cut -d' ' -f1-3 /proc/loadavg)
    wrk -t2 -c"$CONNS" -d"${SECS}s" --latency "$@" >"$work/wrk" 2>&1
    after=$(cut -d' ' -f1-3 /proc/loadavg)
    rps=$(awk '/^Requests\/sec/{print $2}' "$work/wrk")
    p50=$(awk '$1=="50%"{print $2}' "$work/wrk")
    p90=$(awk '$1=="90%"{print $2}' "$work/wrk")
    p99=$(awk '$1=="99%"{print $2}' "$work/wrk")
    errs=$(grep -E 'Non-2xx|Socket errors' "$work/wrk" | tr '\n' ' ' || true)
    echo "| $name | $rps | $p50 | $p90 | $p99 | ${errs:-none} | $(rss VmRSS) | $before | $after |"
}
rss() { # MiB of the server's VmRSS, VmHWM, RssAnon or RssFile
    awk -v k="$1:" '$1 == k {printf "%d", $2 / 1024}' "/proc/$pid/status"
}
echo "| scenario | requests/s | p50 | p90 | p99 | errors | server RSS after, MiB | load avg before | load avg after |"
echo "|---|---|---|---|---|---|---|---|---|"
run "one dyad, cached" "$URL/api/profile?a=KHM&b=CHN"
run "one dyad, cached, gzip ($gz bytes)" -H 'Accept-Encoding: gzip' "$URL/api/profile?a=KHM&b=CHN"
run "24 periods in turn" -s "$ROOT/bench/http/periods.lua" "$URL"
echo
# building a profile (no cache): every request a new period
t=0
for y in $(seq 1990 2009); do
    s=$(curl -s -o /dev/null -w '%{time_total}' "$URL/api/profile?a=KHM&b=CHN&to=$y")
    t=$(echo "$t + $s" | bc -l 2>/dev/null || awk -v a="$t" -v b="$s" 'BEGIN{print a+b}')
done
echo "- uncached profile builds: 20 requests, mean $(awk -v t="$t" 'BEGIN{printf "%.1f", t/20*1000}') ms each"
# memory: many distinct documents (profiles, networks and comparisons of several dyads and
# periods), more than the cache holds
for a in KHM LAO VNM THA MMR; do
    for y in $(seq 1990 2009); do
        curl -s -o /dev/null "$URL/api/profile?a=$a&b=CHN&from=$y"
        curl -s -o /dev/null "$URL/api/network?a=$a&b=CHN&from=$y"
    done
done
echo "- after 200 distinct documents: server RSS $(rss VmRSS) MiB ($(rss RssAnon) MiB anonymous, $(rss RssFile) MiB file-backed: the code and the store, which the read-only connections map), peak $(rss VmHWM) MiB (document cache: 64 MiB)"
