#!/bin/sh
# Fault injection: the bad inputs, races and clients that once took bilat down or made it count
# wrong, run against the real binary. Each case states what must hold and is checked; the run
# ends with "faults: N passed, N failed" and fails when any check does.
#
#   BILAT=build/bilat tests/faults/run.sh
#
# Cases: a batch with two damaged compressed files; missing files and directories; a dataset
# copied under another name (takeover) and emptied; extreme values at load and through the API,
# and the largest values accepted; files truncated while scanned and ingested (mmap and read());
# bytes after a gzip stream; blank lines first; one export in three containers; a runaway claim;
# 1,100 slow clients; bytes that are not UTF-8 or NUL in URLs, repeated parameters, a token file
# with a space; a bad byte inside a word for the coder; a byte-order mark before a comment.
# Expected figures are computed from the input files, never written in here.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
: "${BILAT:?set BILAT to the bilat binary}"
command -v curl >/dev/null || { echo "faults: curl not found"; exit 1; }
CC=${CC:-cc}
work=$(mktemp -d /tmp/bilat-faults-XXXXXX)
pids=""
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null; done
    rm -rf "$work"
}
trap cleanup EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "faults: FAIL: $*"; }
check() { # check WHAT COMMAND...: the command must succeed
    check_what=$1
    shift
    if "$@"; then ok; else bad "$check_what"; fi
}
sql() { "$BILAT" -q --db "$1" sql "$2" | tail -n +2; }
# an exit status that is not a signal's (a crash: 128 + the signal's number)
no_signal() { [ "$1" -lt 128 ]; }

G=$ROOT/data/raw/gdelt/20180101000000.export.CSV
ROWS=$(grep -c . "$G")
cd "$work" || exit 1
$CC -O2 -o gen "$ROOT/bench/gen_gdelt.c" || { echo "faults: bench/gen_gdelt.c did not build"; exit 1; }
$CC -O2 -o slow "$ROOT/tests/faults/slowclients.c" || { echo "faults: slowclients.c did not build"; exit 1; }

# --- a batch with two damaged files, then a good one ------------------------------------------
gzip -n -c "$G" >g.gz
zip -qjX g.zip "$G"
head -c 68421 g.gz >t.gz
head -c 68489 g.zip >t.zip
"$BILAT" -q --db batch.db ingest gdelt t.gz t.zip g.gz 2>batch.err
rc=$?
check "damaged batch: exit 1 (got $rc)" [ "$rc" = 1 ]
check "damaged batch: the good file is ingested" [ "$(sql batch.db "SELECT status FROM ingest_file WHERE name = 'g.gz'")" = done ]
check "damaged batch: the damaged files are recorded as partial with a reason" \
    [ "$(sql batch.db "SELECT count(*) FROM ingest_file WHERE status = 'partial' AND note LIKE '%truncated%' AND sha256 IS NOT NULL")" = 2 ]
check "damaged batch: each event counted once ($ROWS)" [ "$(sql batch.db "SELECT sum(events) FROM event_cube")" = "$ROWS" ]
check "damaged batch: reported" grep -q "truncated gzip data" batch.err
"$BILAT" -q --db batch.db ingest gdelt t.gz t.zip g.gz 2>/dev/null
rc=$?
check "damaged batch again: exit 1 (got $rc)" [ "$rc" = 1 ]
check "damaged batch again: nothing added" [ "$(sql batch.db "SELECT count(*) || '/' || (SELECT sum(events) FROM event_cube) FROM ingest_file")" = "3/$ROWS" ]

# --- missing files and directories fail the run -----------------------------------------------
mkdir adir
for kind in gdelt icews; do
    "$BILAT" -q --db miss.db ingest $kind nowhere.CSV adir 2>/dev/null
    rc=$?
    check "ingest $kind of a missing file and a directory: exit 1 (got $rc)" [ "$rc" = 1 ]
done
"$BILAT" -q scan nowhere.CSV --by year >/dev/null 2>&1
rc=$?
check "scan of a missing file: exit 1 (got $rc)" [ "$rc" = 1 ]

# --- a copied dataset cannot take over, nor delete, another's records -------------------------
cp -r "$ROOT/data/reference" "$ROOT/data/khm-chn" .
"$BILAT" -q --db own.db load reference khm-chn || bad "the shipped datasets do not load"
EV=$(grep -v '^#' khm-chn/events.tsv | tail -n +2 | grep -c .)
check "takeover: $EV curated events loaded" [ "$(sql own.db "SELECT count(*) FROM event WHERE dataset = 'khm-chn'")" = "$EV" ]
cp -r khm-chn other
"$BILAT" -q --db own.db load other 2>own.err
rc=$?
check "takeover: refused (exit 1, got $rc)" [ "$rc" = 1 ]
check "takeover: both datasets named" grep -q "belongs to dataset 'khm-chn', not to 'other'" own.err
check "takeover: the $EV events stay with khm-chn" [ "$(sql own.db "SELECT count(*) FROM event WHERE dataset = 'khm-chn'")" = "$EV" ]
grep '^#' other/events.tsv >e && grep -v '^#' other/events.tsv | head -1 >>e && mv e other/events.tsv
"$BILAT" -q --db own.db load other 2>/dev/null
check "takeover: emptying the copy deletes nothing of khm-chn" [ "$(sql own.db "SELECT count(*) FROM event WHERE dataset = 'khm-chn'")" = "$EV" ]
check "takeover: khm-chn is still listed" [ "$(sql own.db "SELECT count(*) FROM dataset WHERE name = 'khm-chn'")" = 1 ]

# --- extreme values: refused at load; the largest accepted keep every view working -------------
next=$(( $(date -u +%Y) + 1 ))
extreme() { # extreme NAME FIELD VALUE: khm-chn with one event's FIELD set to VALUE, in x/NAME
    rm -rf "x/$1"
    mkdir -p x && cp -r khm-chn "x/$1"
    awk -F'\t' -v OFS='\t' -v f="$2" -v v="$3" '
        /^#/ {print; next}
        !h {for (i = 1; i <= NF; i++) c[$i] = i; h = 1; print; next}
        !done && $c["quantity"] != "" {$c[f] = v; if (f == "date_from") {$c["date_to"] = ""; $c["precision"] = "day"} done = 1}
        {print}' khm-chn/events.tsv >"x/$1/events.tsv"
}
extreme huge quantity 1.7e308
cp own.db x.db
"$BILAT" -q --db x.db load reference x/huge 2>/dev/null
rc=$?
check "quantity 1.7e308: refused at load (exit 1, got $rc)" [ "$rc" = 1 ]
extreme far date_from 9999-12-31
"$BILAT" -q --db x.db load reference x/far 2>x.err
rc=$?
check "date 9999-12-31: refused at load (exit 1, got $rc)" [ "$rc" = 1 ]
check "date 9999-12-31: the column is named" grep -q "column 'date_from' is out of range" x.err
rm -f big.db*
extreme khm-chn quantity 1e12
cp -r x/khm-chn big-khm-chn && rm -rf x/khm-chn
"$BILAT" -q --db big.db load reference big-khm-chn
rc=$?
check "quantity 10^12: accepted (exit 0, got $rc)" [ "$rc" = 0 ]
for cmd in "profile KHM CHN" "profile --json KHM CHN" "report KHM CHN -o r.html" "network KHM CHN"; do
    # shellcheck disable=SC2086
    "$BILAT" -q --db big.db $cmd >/dev/null 2>&1
    rc=$?
    check "largest quantity: bilat $cmd works (got $rc)" [ "$rc" = 0 ]
done
extreme next date_from "$next-12-31"
"$BILAT" -q --db next.db load reference x/next
rc=$?
check "a date of next year: accepted (got $rc)" [ "$rc" = 0 ]
"$BILAT" -q --db next.db profile KHM CHN >/dev/null 2>&1
rc=$?
check "a date of next year: bilat profile works (got $rc)" [ "$rc" = 0 ]

# --- files truncated while they are read: no signal, never recorded as read -------------------
./gen "$G" 250000 11 >big.CSV
BIGROWS=$(wc -l <big.CSV)
CUTROWS=$(head -c 1000000 big.CSV | grep -c '')
race() { # race WHAT COMMAND...: run it on t.CSV, truncate t.CSV once it is open, 20 ms in
    what=$1
    shift
    cp big.CSV t.CSV
    "$@" >/dev/null 2>race.err &
    p=$!
    for _ in $(seq 1 500); do
        ls -l /proc/$p/fd 2>/dev/null | grep -q 't\.CSV$' && break
        kill -0 $p 2>/dev/null || break
        sleep 0.01
    done
    sleep 0.02
    truncate -s 1000000 t.CSV
    wait $p
    rc=$?
    check "$what: ends without a signal (exit $rc)" no_signal "$rc"
    if [ "$rc" = 1 ]; then
        check "$what: the file is reported as changed" grep -q "changed while it was being read" race.err
    else
        echo "faults: note: $what: the truncation came after the read (exit $rc)"
    fi
}
# (one scanning thread and many groups: a scan long enough for the truncation to land in it)
race "scan of a file truncated while mapped" "$BILAT" -q scan -j 1 --scanner scalar t.CSV \
    --by day,actor1_country,actor2_country,event_code
rm -f tr.db*
race "ingest of a file truncated while mapped" "$BILAT" -q --db tr.db ingest gdelt t.CSV
n=$(sql tr.db "SELECT coalesce(sum(rows_read), 0) FROM ingest_file WHERE name = 't.CSV'")
check "ingest of a truncated file: nothing recorded, or a whole version of it ($n rows)" \
    [ "$n" = 0 -o "$n" = "$BIGROWS" -o "$n" = "$CUTROWS" ]
rm -f tr.db*
# two files: each is hashed on a thread of its own while the reader cuts them into blocks
cp big.CSV u.CSV
race "ingest of two files, one truncated while hashed" "$BILAT" -q --db tr.db ingest gdelt \
    u.CSV t.CSV
n=$(sql tr.db "SELECT coalesce(sum(rows_read), 0) FROM ingest_file WHERE name = 't.CSV'")
check "ingest of two files, one truncated: nothing recorded for it, or a whole version ($n rows)" \
    [ "$n" = 0 -o "$n" = "$BIGROWS" -o "$n" = "$CUTROWS" ]
h=$(sql tr.db "SELECT sha256 FROM ingest_file WHERE name = 't.CSV'")
check "ingest of two files, one truncated: its digest, if any, is of a whole version of it" \
    [ -z "$h" -o "$h" = "$(sha256sum t.CSV | cut -d' ' -f1)" -o \
    "$h" = "$(sha256sum big.CSV | cut -d' ' -f1)" ]
rm -f tr.db* u.CSV
race "ingest --io read of a truncated file" "$BILAT" -q --db tr.db ingest gdelt --io read t.CSV
n=$(sql tr.db "SELECT coalesce(sum(rows_read), 0) FROM ingest_file WHERE name = 't.CSV'")
check "ingest --io read of a truncated file: nothing recorded, or a whole version of it ($n rows)" \
    [ "$n" = 0 -o "$n" = "$BIGROWS" -o "$n" = "$CUTROWS" ]

# --- bytes after a gzip stream; blank lines first ----------------------------------------------
cp g.gz tz.gz
head -c 100 /dev/zero >>tz.gz
rows=$("$BILAT" -q scan tz.gz --by year 2>tz.err | awk -F, 'NR > 1 {n += $2} END {print n + 0}')
check "gzip with trailing bytes: $ROWS rows (got $rows)" [ "$rows" = "$ROWS" ]
check "gzip with trailing bytes: a warning" grep -q "after the end of the gzip data ignored" tz.err
{ echo; cat "$G"; } >blank.CSV
for io in mmap read; do
    rows=$("$BILAT" -q scan --io $io blank.CSV --by year | awk -F, 'NR > 1 {n += $2} END {print n + 0}')
    check "a blank first line ($io): $ROWS rows (got $rows)" [ "$rows" = "$ROWS" ]
done

# --- one export as .CSV, .gz and .zip: each event once -----------------------------------------
cp "$G" g.CSV
"$BILAT" -q --db dup.db ingest gdelt g.CSV g.gz g.zip 2>/dev/null
check "one export in three containers: $ROWS events in the cube" [ "$(sql dup.db "SELECT sum(events) FROM event_cube")" = "$ROWS" ]
"$BILAT" --db dup.db coverage >/dev/null 2>cov.err
check "coverage warns about the copies" grep -q "2 files were skipped as copies" cov.err
check "coverage lists the copies" [ "$("$BILAT" -q --db dup.db coverage --duplicates | tail -n +2 | grep -c .)" = 2 ]

# --- a runaway claim ---------------------------------------------------------------------------
mkdir runaway
printf 'id\tclaim\tmethod\tcheck\texpect\tsource_id\tlocator\n' >runaway/claims.tsv
printf 'endless\tNever ends.\tsql\tWITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r\t> 0\tiseas-2023-22\tp. 1\n' >>runaway/claims.tsv
cp own.db claims.db
"$BILAT" -q --db claims.db load runaway || bad "the runaway claim does not load"
s0=$(date +%s)
BILAT_CHECK_SECONDS=2 timeout 60 "$BILAT" -q --db claims.db claims >/dev/null 2>claims.err
rc=$?
s1=$(date +%s)
check "a runaway claim: ends with exit 1 (got $rc) within 60 s ($((s1 - s0)) s)" [ "$rc" = 1 ]
check "a runaway claim: the error names it" grep -q "claim 'endless': the SQL check was stopped" claims.err

# --- the server: slow clients, URLs, repeated parameters, bounds, the token file ---------------
ulimit -n 4096 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
printf 'a-fault-test-token-0123456789\n' >token
chmod 600 token
T=a-fault-test-token-0123456789
"$BILAT" -q --db own.db serve --port 0 --token-file token >url 2>server.log &
spid=$!
pids="$pids $spid"
for _ in $(seq 1 100); do [ -s url ] && break; sleep 0.05; done
URL=$(head -1 url | sed 's#/$##')
[ -n "$URL" ] || { echo "faults: the server did not start"; cat server.log; exit 1; }
code() { curl -s -o body -w '%{http_code}' "$@"; }
check "a parameter that is not UTF-8: 400" [ "$(code "$URL/api/profile?a=KH%FF&b=CHN")" = 400 ]
check "... with a JSON body" grep -q '"error":{"status":400' body
check "a NUL byte in an actor code: 400" [ "$(code "$URL/api/profile?a=KHM%00XX&b=CHN")" = 400 ]
check "a NUL byte in a static path: 400" [ "$(code "$URL/static/app.js%00.txt")" = 400 ]
check "a repeated parameter: 400" [ "$(code "$URL/api/profile?a=KHM&a=LAO&b=CHN")" = 400 ]
A="Authorization: Bearer $T"
J='Content-Type: application/json'
ev='{"ref":"f-1","date_from":"2024-05-20","precision":"day","source":"KHM","target":"CHN","cameo":"040","source_id":"iseas-2023-22","locator":"x"'
check "POST quantity 1.7e308: 422" [ "$(code -X POST -H "$A" -H "$J" --data "$ev,\"quantity\":1.7e308}" "$URL/api/events")" = 422 ]
check "... naming the field" grep -q "'quantity'" body
check "POST date 9999-12-31: 422" [ "$(code -X POST -H "$A" -H "$J" --data "$(echo "$ev" | sed 's/2024-05-20/9999-12-31/')}" "$URL/api/events")" = 422 ]
check "POST the largest quantity: 201" [ "$(code -X POST -H "$A" -H "$J" --data "$ev,\"quantity\":1e12}" "$URL/api/events")" = 201 ]
for p in /api/profile /profile /report /api/network; do
    check "largest quantity through the API: $p answers 200" [ "$(code "$URL$p?a=KHM&b=CHN")" = 200 ]
done
check "DELETE the event added through the API: 200" [ "$(code -X DELETE -H "$A" "$URL/api/events/f-1")" = 200 ]
check "DELETE a curated event: refused" [ "$(code -X DELETE -H "$A" "$URL/api/events/kc-0001")" = 409 ]
# 1,100 slow clients (fewer when the open-file limit is lower), each trickling a header line
# every 2 s and coming back at once when closed; meanwhile /api/health must answer
n=1100
lim=$(ulimit -n)
[ "$lim" != unlimited ] && [ "$lim" -lt 1200 ] && n=$((lim - 100)) && echo "faults: open files limited to $lim: $n slow clients"
./slow 127.0.0.1 "${URL##*:}" $n 14 2000 >slow.out &
cpid=$!
pids="$pids $cpid"
sleep 4
for i in 1 2 3; do
    r=$(curl -s -o /dev/null --max-time 5 -w '%{http_code} %{time_total}' "$URL/api/health")
    check "with $n slow clients, /api/health answers 200 within 5 s (try $i: $r)" [ "${r%% *}" = 200 ]
    sleep 2
done
wait $cpid
check "the slow clients were cut off ($(cat slow.out))" grep -q "closed by the server [1-9]" slow.out
check "the server is still up after them" [ "$(code "$URL/api/health")" = 200 ]
kill $spid
wait $spid 2>/dev/null
printf ' %s\n' "$T" >token-space
chmod 600 token-space
"$BILAT" -q --db own.db serve --port 0 --token-file token-space >/dev/null 2>space.err
rc=$?
check "a token file with a space: refused at start (exit 1, got $rc)" [ "$rc" = 1 ]
check "... saying so" grep -q "white space" space.err

# --- smaller ones: the coder and a byte-order mark ---------------------------------------------
printf '2020-01-06\tCambodia thanked Chi\377na.\n' >bad.txt
check "the coder ignores a bad byte inside a word" sh -c "'$BILAT' -q code bad.txt | grep -q '^2020-01-06	KHM	CHN	'"
cp -r "$ROOT/tests/data/mini" bom
{ printf '\357\273\277# sources\n'; cat "$ROOT/tests/data/mini/sources.tsv"; } >bom/sources.tsv
"$BILAT" -q --db bom.db load bom 2>/dev/null
rc=$?
check "a byte-order mark before a comment line: the dataset loads (got $rc)" [ "$rc" = 0 ]

echo "faults: $pass passed, $fail failed"
[ $fail = 0 ]
