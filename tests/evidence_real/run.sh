#!/bin/sh
# Checks of the evidence importers on the real files in ../shared/data, run when they exist.
# ChinaVitae and CEIAS may not be shipped (no licence stated): they are only read from there,
# and nothing derived from them is stored in the project. Counts are compared with awk over the
# files. Needs the shipped data/ (reference, series, dictionaries, raw files).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
: "${BILAT:?}"
X=${EVIDENCE_DATA:-$ROOT/../shared/data}
CV=$X/diplomacy/chinavitae_leader_engagements_2003_2018.csv
CE=$X/diplomacy/ceias_who_where_when_chinese_leader_travel_1949_2020.csv
if [ ! -f "$CV" ] || [ ! -f "$CE" ]; then
    echo "evidence-real: $X/diplomacy has not the ChinaVitae and CEIAS files, nothing to check"
    exit 0
fi
export LC_ALL=C TZ=UTC
work=$(mktemp -d /tmp/bilat-evidence-XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$ROOT" || exit 1
pass=0 fail=0
same() {
    if [ "$1" = "$2" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL evidence-real: $3: bilat '$1', expected '$2'"; fi
}
ok() {
    if [ "$1" = yes ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL evidence-real: $2"; fi
}
DB=$work/e.db
sql() { $BILAT --db "$DB" sql "$1" | tail -n +2; }
$BILAT -q --db "$DB" load --external "$X" data/reference data/series data/khm-chn 2>/dev/null
$BILAT -q --db "$DB" ingest chinavitae --external "$X" 2>"$work/cv.err"
same "$?" 0 "ingest chinavitae"
$BILAT -q --db "$DB" ingest ceias --external "$X" 2>"$work/ce.err"
$BILAT -q --db "$DB" ingest ungdc data/raw/text/ungdc_khm_chn_speeches_1946_2024.jsonl 2>"$work/un.err"
$BILAT -q --db "$DB" ingest aiddata-fd data/raw/diplomacy/aiddata_china_financial_diplomacy_project_details_v2.csv 2>"$work/fd.err"
same "$(cat "$work/cv.err" "$work/ce.err" "$work/un.err" "$work/fd.err" | wc -l | tr -d ' ')" 0 "no row rejected"

# ChinaVitae: rows of the file (fields 2 and 3, year and country, never hold '","')
rows=$(awk 'END {print NR - 1}' "$CV")
awk -F'","' 'NR > 1 && $3 == "Cambodia" {n[$2]++} END {for (y in n) print y "," n[y]}' "$CV" | sort >"$work/file-khm.csv"
sql "SELECT substr(e.date_from, 1, 4), count(DISTINCT e.locator) FROM event e JOIN actor s ON s.id = e.src_actor_id JOIN actor t ON t.id = e.tgt_actor_id WHERE e.source_id LIKE 'chinavitae%' AND (s.country = 'KHM' OR t.country = 'KHM') GROUP BY 1 ORDER BY 1" >"$work/store-khm.csv"
# per year, within 1
worst=$(join -t, -a1 -a2 -e0 -o 0,1.2,2.2 "$work/file-khm.csv" "$work/store-khm.csv" | awk -F, '{d = $2 - $3; if (d < 0) d = -d; if (d > m) m = d} END {print m + 0}')
ok "$([ "$worst" -le 1 ] && echo yes)" "Cambodia's engagements per year differ from the file by up to $worst (file: $(tr '\n' ' ' <"$work/file-khm.csv"); store: $(tr '\n' ' ' <"$work/store-khm.csv"))"
same "$(sql "SELECT count(DISTINCT e.locator) FROM event e JOIN actor s ON s.id = e.src_actor_id JOIN actor t ON t.id = e.tgt_actor_id WHERE e.source_id LIKE 'chinavitae%' AND (s.country = 'KHM' OR t.country = 'KHM')")" "$(awk -F, '{n += $2} END {print n}' "$work/file-khm.csv")" "Cambodia's engagements"
with=$(sql "SELECT count(DISTINCT locator) FROM event WHERE source_id LIKE 'chinavitae%'")
ok "$(awk -v a="$with" -v b="$rows" 'BEGIN {print (a >= 0.95 * b) ? "yes" : "no"}')" "only $with of $rows ChinaVitae rows give an event"
for c in Laos:LAO Vietnam:VNM Thailand:THA; do
    same "$(sql "SELECT count(DISTINCT e.locator) FROM event e JOIN actor s ON s.id = e.src_actor_id JOIN actor t ON t.id = e.tgt_actor_id WHERE e.source_id LIKE 'chinavitae%' AND (s.country = '${c#*:}' OR t.country = '${c#*:}')")" \
         "$(awk -F'","' -v c="${c%%:*}" 'NR > 1 && $3 == c' "$CV" | wc -l | tr -d ' ')" "${c%%:*}'s engagements"
done
# no event names a country the row is not about: each row's events have one non-Chinese country
same "$(sql "SELECT count(*) FROM (SELECT e.locator FROM event e JOIN actor s ON s.id = e.src_actor_id JOIN actor t ON t.id = e.tgt_actor_id WHERE e.source_id LIKE 'chinavitae%' GROUP BY e.locator HAVING count(DISTINCT CASE WHEN s.country = 'CHN' THEN t.country ELSE s.country END) <> 1)")" 0 "one counterpart country per row"
same "$(sql "SELECT count(*) FROM event e JOIN actor s ON s.id = e.src_actor_id WHERE e.source_id LIKE 'chinavitae%' AND s.country <> 'CHN' AND NOT EXISTS (SELECT 1 FROM actor t WHERE t.id = e.tgt_actor_id AND t.country = 'CHN')")" 0 "China on one side of every event"
ok "$([ "$(sql "SELECT count(*) FROM event WHERE source_id LIKE 'chinavitae%' AND channel = 'party'")" -gt 50 ] && echo yes)" "party-channel engagements found in the text"
# reloading replaces
before=$(sql "SELECT count(*) FROM event")
$BILAT -q --db "$DB" ingest chinavitae --external "$X" 2>/dev/null
same "$(sql "SELECT count(*) FROM event")" "$before" "reload keeps the count"

# CEIAS: every visit
same "$(sql "SELECT count(*) FROM event WHERE source_id LIKE 'ceias%'")" "$(awk 'END {print NR - 1}' "$CE")" "CEIAS visits"
ok "$([ "$(sql "SELECT count(*) FROM event WHERE source_id LIKE 'ceias%'")" -ge 550 ] && echo yes)" "at least 550 CEIAS events"
same "$(sql "SELECT group_concat(date_from, ' ') FROM (SELECT e.date_from FROM event e JOIN actor t ON t.id = e.tgt_actor_id WHERE e.source_id LIKE 'ceias%' AND t.country = 'KHM' ORDER BY 1)")" \
     "$(awk -F, '$4 == "Cambodia" {print $1}' "$CE" | sort | tr '\n' ' ' | sed 's/ $//')" "CEIAS visits to Cambodia"

# speeches, projects, series of every country
ok "$([ "$(sql "SELECT count(*) FROM speech")" -ge 140 ] && echo yes)" "at least 140 speeches"
same "$(sql "SELECT count(*) FROM speech WHERE actor = 'CHN' AND delegation = 'Republic of China'")" 25 "China's statements of 1946-1971 by the Republic of China"
same "$(sql "SELECT count(*) FROM finance_project")" 1308 "finance projects"
ok "$([ "$(sql "SELECT count(DISTINCT country) FROM indicator WHERE source_id = 'hrt-2019'")" -ge 100 ] && echo yes)" "HRT debt for every country it covers"
ok "$([ "$(sql "SELECT count(DISTINCT country) FROM indicator WHERE source_id = 'aiddata-gcdf3'")" -ge 130 ] && echo yes)" "GCDF 3.0 for every country it covers"

# every ASEAN state with China: the profile cites the engagement datasets
for c in LAO VNM THA MYS IDN PHL; do
    $BILAT --db "$DB" profile "$c" CHN --json >"$work/p.json"
    ok "$(grep -q '"id": "\(chinavitae-engagements\|ceias-who-where-when\)"' "$work/p.json" && echo yes)" "profile $c CHN cites ChinaVitae or CEIAS"
done
echo "evidence-real: $pass passed, $fail failed"
[ $fail = 0 ]
