#!/bin/sh
# Checks on the real ICEWS sample (../shared/data/icews/events.2018.sample.tab), run when that
# file exists. Its terms do not allow shipping it, so it is only read from there and nothing
# derived from it is stored in the project: the checks compare bilat with awk over the file.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
: "${BILAT:?}"
I=${ICEWS_SAMPLE:-$ROOT/../shared/data/icews/events.2018.sample.tab}
if [ ! -f "$I" ]; then
    echo "icews-real: $I not present, nothing to check"
    exit 0
fi
export LC_ALL=C TZ=UTC
work=$(mktemp -d /tmp/bilat-icews-XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
pass=0 fail=0
same() {
    if [ "$1" = "$2" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL icews-real: $3: bilat '$1', awk '$2'"; fi
}
rows=$(awk 'END {print NR - 1}' "$I")
$BILAT -q scan "$I" --by year >all.csv 2>err.txt
same "$(awk -F, 'NR > 1 {n += $2} END {print n}' all.csv)" "$rows" "every row counted"
same "$(wc -c <err.txt | tr -d ' ')" 0 "no row rejected"
same "$(awk -F, 'NR > 1 {printf "%.4f", $4}' all.csv)" "$(awk -F'\t' 'NR > 1 {s += $8} END {printf "%.4f", s}' "$I")" "sum of Intensity"
# Cambodia and China by name, either direction
same "$($BILAT -q scan "$I" --by year --where dyad=KHM:CHN | awk -F, 'NR > 1 {n += $2} END {print n + 0}')" \
     "$(awk -F'\t' '($5 == "Cambodia" && $11 == "China") || ($5 == "China" && $11 == "Cambodia")' "$I" | wc -l | tr -d ' ')" "dyad KHM:CHN"
same "$($BILAT -q scan "$I" --by year --where actor1_country=CHN | awk -F, 'NR > 1 {n += $2} END {print n + 0}')" \
     "$(awk -F'\t' '$5 == "China"' "$I" | wc -l | tr -d ' ')" "source China"
same "$($BILAT -q scan "$I" --by year --where root_code=04 | awk -F, 'NR > 1 {n += $2} END {print n + 0}')" \
     "$(awk -F'\t' 'substr($7, 1, 2) == "04"' "$I" | wc -l | tr -d ' ')" "root 04"
# every country name of the sample maps to ISO3 (NA is missing)
unmapped=$($BILAT -q scan "$I" --by actor1_country | awk -F, 'NR > 1 && $1 == "" {print $2}')
same "${unmapped:-0}" "$(awk -F'\t' 'NR > 1 && $5 == "NA"' "$I" | wc -l | tr -d ' ')" "source names mapped"
# identical for any read size and thread count
$BILAT -q scan "$I" --by day,actor1_country,actor2_country,actor1_type,actor2_type,event_code --dedup daily >ref.csv
for v in "-j 1 --buffer-size 1" "-j 3 --buffer-size 777 --scanner scalar" "--io read -j 2"; do
    # shellcheck disable=SC2086
    $BILAT -q scan "$I" --by day,actor1_country,actor2_country,actor1_type,actor2_type,event_code --dedup daily $v >v.csv
    same "$(cmp -s ref.csv v.csv && echo same)" same "identical with $v"
done
# ingest: the cube holds every row
$BILAT -q --db i.db ingest icews "$I"
same "$($BILAT --db i.db sql 'SELECT sum(events) FROM event_cube' | tail -1)" "$rows" "ingest"
echo "icews-real: $pass passed, $fail failed"
[ $fail = 0 ]
