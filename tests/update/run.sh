#!/bin/sh
# Tests of `bilat update gdelt` against a GDELT mirror served on 127.0.0.1 by tests/update/
# mirror.py (no other network): export files made from the shipped export, each with its own
# rows; a master list naming them with mentions and gkg lines and a bad line; a file cut short
# mid-transfer, a server error, a wrong MD5, a missing file (404); reruns that fetch nothing
# twice; a file added to the list; a stalled transfer given up and resumed by the next run; a
# server that ignores ranges; a proxy from the environment; --keep; --dry-run; coverage gaps;
# the lock against a second run; progress on a TTY; runs killed with SIGKILL at many points,
# after which the store equals a clean ingest.
#
#   BILAT=build/bilat tests/update/run.sh
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
: "${BILAT:?set BILAT to the bilat binary}"
command -v python3 >/dev/null || { echo "update: python3 not found (scripts/deps.sh test)"; exit 1; }
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY
export LC_ALL=C TZ=UTC
work=$(mktemp -d /tmp/bilat-update-XXXXXX)
SRV=
cleanup() {
    [ -n "$SRV" ] && kill "$SRV" 2>/dev/null
    [ -n "${KEEP_WORK:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "update: FAIL: $*"; }
check() { # check WHAT COMMAND...: passes when the command succeeds
    what=$1
    shift
    if "$@" >/dev/null 2>&1; then ok; else bad "$what"; fi
}
eq() { # eq WHAT GOT WANT
    if [ "$2" = "$3" ]; then ok; else bad "$1: got '$2', expected '$3'"; fi
}
has() { # has WHAT FILE TEXT
    if grep -qF -- "$3" "$2"; then ok; else bad "$1: no '$3' in $(basename "$2")"; sed 's/^/    /' "$2" | head -20; fi
}
hasnt() { # hasnt WHAT FILE TEXT
    if grep -qF -- "$3" "$2"; then bad "$1: '$3' in $(basename "$2")"; else ok; fi
}
sql() { "$BILAT" --db "$1" sql "$2" | tail -n +2; }

cd "$work" || exit 1
SLOTS="20180101000000 20180101001500 20180101003000 20180101004500 20180102000000 20180103000000"
python3 "$ROOT/tests/update/mirror.py" make "$ROOT/data/raw/gdelt/20180101000000.export.CSV" \
    files $SLOTS >manifest || { echo "update: cannot make the mirror's files"; exit 1; }
mkdir www
cp files/*.zip www/
python3 "$ROOT/tests/update/mirror.py" serve www port requests.log 2>server.err &
SRV=$!
for i in $(seq 1 100); do [ -s port ] && break; sleep 0.05; done
[ -s port ] || { echo "update: the test server did not start"; cat server.err; exit 1; }
U=http://127.0.0.1:$(cat port)
F1=20180101000000.export.CSV.zip F2=20180101001500.export.CSV.zip F3=20180101003000.export.CSV.zip
F4=20180101004500.export.CSV.zip F5=20180102000000.export.CSV.zip F6=20180103000000.export.CSV.zip
md5of() { awk -v n="$1" '$1 == n { print $3 }' manifest; }
sizeof() { awk -v n="$1" '$1 == n { print $2 }' manifest; }
WRONG=0123456789abcdef0123456789abcdef
# line NAME [MD5] [BASE]: the master-list line of a file
line() { echo "$(sizeof "$1") ${2:-$(md5of "$1")} ${3:-$U}/$1"; }
# list FILE...: a master list (each export with its mentions and gkg lines, one bad line)
list() {
    for f in "$@"; do
        case $f in
        *:*) line "${f%%:*}" "${f#*:}" ;;
        *) line "$f" ;;
        esac
        s=${f%%.*}
        echo "1234 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa $U/$s.mentions.CSV.zip"
        echo "5678 bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb $U/$s.gkg.csv.zip"
    done
    echo "this line is not SIZE MD5 URL"
}
get() { grep -c " $1 " requests.log; }       # requests for a path so far
since_mark() { tail -n +"$((MARK + 1))" requests.log; }
mark() { MARK=$(wc -l <requests.log); }
: >requests.log
UP="--retry-wait 0.05 --timeout 5"

# The clean reference: the same files through `bilat ingest gdelt`.
"$BILAT" -q --db clean.db ingest gdelt files/$F1 files/$F2 files/$F3 || bad "clean ingest"
CUBE="SELECT f.name, c.day, c.actor1_country, c.actor2_country, c.actor1_type, c.actor2_type,
  c.event_code, c.quad, c.events, c.events_dedup, c.goldstein_sum, c.tone_sum
  FROM event_cube c JOIN ingest_file f ON f.id = c.file_id ORDER BY 1, 2, 3, 4, 5, 6, 7, 8"
same_cube() { # same_cube WHAT DB
    "$BILAT" --db "$2" sql "$CUBE" >got.csv
    "$BILAT" --db clean.db sql "$CUBE" >want.csv
    if cmp -s got.csv want.csv; then ok; else bad "$1: the cube differs from a clean ingest"; diff want.csv got.csv | head -5; fi
}

# --- run 1: three good files, one cut short, one server error, a wrong MD5, a 404 ---------
list $F1 $F2 $F3 $F4:$WRONG $F5 >www/masterfilelist.txt
rm www/$F5
printf 'cut %s 1\nerror %s 1 503\n' $F2 $F3 >www/rules

"$BILAT" --db t.db update gdelt --source "$U/masterfilelist.txt" --dry-run >dry.out 2>dry.err
eq "dry run without a store: exit" $? 0
check "dry run creates no store" test ! -e t.db
check "dry run creates no directory" test ! -e t.db.cache
eq "dry run lists the five export files" "$(tail -n +2 dry.out | cut -d, -f2 | tr '\n' ' ')" "$F1 $F2 $F3 $F4 $F5 "
eq "dry run header" "$(head -1 dry.out)" "slot,name,size,md5,url,previous"
total=$(( $(sizeof $F1) + $(sizeof $F2) + $(sizeof $F3) + $(sizeof $F4) ))
has "dry run gives the total size" dry.err ", $(( total + $(sizeof $F5) )) bytes)"
eq "dry run fetched only the list" "$(grep -vc masterfilelist requests.log)" 0

"$BILAT" --db t.db update gdelt --source "$U/masterfilelist.txt" $UP >run1.out 2>run1.err
eq "run 1: exit 1 (a file failed)" $? 1
eq "run 1: nothing on stdout" "$(wc -c <run1.out)" 0
has "run 1: wrong MD5 named" run1.err "$F4: rejected: MD5 differs: the list says $WRONG, the file has $(md5of $F4)"
has "run 1: 404 reported" run1.err "$F5: cannot fetch '$U/$F5': HTTP 404"
has "run 1: bad list line named" run1.err "$U/masterfilelist.txt:16: expected SIZE MD5 URL"
has "run 1: summary" run1.err "5 export files listed (2018-01-01 00:00 to 2018-01-02 00:00 UTC), 0 in the store before; 5 to fetch (5 new, 0 tried again): 3 ingested (1206 rows, 0 rejected)"
has "run 1: mentions and gkg skipped" run1.err "skipped: 5 mentions files, 5 gkg files, 1 bad line"
has "run 1: the cache is named" run1.err "downloads in $work/t.db.cache (removed once ingested)"
eq "run 1: statuses" "$(sql t.db "SELECT name, status FROM fetch_file ORDER BY name" | tr '\n' ' ')" \
    "$F1,ingested $F2,ingested $F3,ingested $F4,rejected $F5,failed "
eq "run 1: the cut file was resumed" "$(grep -c " /$F2 bytes=$(( $(sizeof $F2) / 2 ))- 206" requests.log)" 1
eq "run 1: the server error was retried" "$(get /$F3)" 2
eq "run 1: three files in the store" "$(sql t.db "SELECT count(*) FROM ingest_file")" 3
same_cube "run 1" t.db
eq "run 1: nothing left in the cache" "$(ls t.db.cache)" ""
eq "run 1: ingest_file ids recorded" "$(sql t.db "SELECT count(*) FROM fetch_file f JOIN ingest_file i ON i.id = f.file_id")" 3
"$BILAT" --db t.db coverage >cov1.csv
has "coverage: a day with a listed file not fetched is partial" cov1.csv "2018-01-01,3,1206,0,2017-12-02,2018-01-01,partial"
has "coverage: a listed day with nothing fetched is missing, not zero" cov1.csv "2018-01-02,0,,,,,missing"

# --- dry run against the store: lists the two to retry, changes nothing ------------------
"$BILAT" --db t.db sql "SELECT * FROM fetch_file" >before.csv
"$BILAT" --db t.db update gdelt --source "$U/masterfilelist.txt" -n >dry2.out 2>dry2.err
eq "dry run 2: the failed and the rejected file, with their state" \
    "$(tail -n +2 dry2.out | cut -d, -f2,6 | tr '\n' ' ')" "$F4,rejected $F5,failed "
"$BILAT" --db t.db sql "SELECT * FROM fetch_file" >after.csv
check "dry run 2 changes nothing" cmp before.csv after.csv

# --- run 2: nothing new; the two bad ones tried again -------------------------------------
mark
"$BILAT" --db t.db update gdelt --source "$U/masterfilelist.txt" $UP >run2.out 2>run2.err
eq "run 2: exit 1 (still failing)" $? 1
eq "run 2: no good file fetched again" "$(since_mark | grep -c -e "/$F1 " -e "/$F2 " -e "/$F3 ")" 0
eq "run 2: the rejected and the missing file tried again" "$(since_mark | grep -c -e "/$F4 " -e "/$F5 ")" 2
has "run 2: summary" run2.err "3 in the store before; 2 to fetch (0 new, 2 tried again): 0 ingested"
same_cube "run 2" t.db

# --- run 3: a sixth file added to the list: only it is new --------------------------------
list $F1 $F2 $F3 $F4:$WRONG $F5 $F6 >www/masterfilelist.txt
mark
"$BILAT" --db t.db update gdelt --source "$U/masterfilelist.txt" $UP 2>run3.err
eq "run 3: exit 1" $? 1
eq "run 3: the new file fetched once" "$(since_mark | grep -c "/$F6 ")" 1
eq "run 3: no good file fetched again" "$(since_mark | grep -c -e "/$F1 " -e "/$F2 " -e "/$F3 ")" 0
has "run 3: summary" run3.err "6 export files listed (2018-01-01 00:00 to 2018-01-03 00:00 UTC), 3 in the store before; 3 to fetch (1 new, 2 tried again): 1 ingested (402 rows"

# --- run 4: the list corrected, the missing file published: all in, exit 0 ---------------
list $F1 $F2 $F3 $F4 $F5 $F6 >www/masterfilelist.txt
cp files/$F5 www/
"$BILAT" --db t.db update gdelt --source "$U/masterfilelist.txt" $UP 2>run4.err
eq "run 4: exit 0" $? 0
eq "run 4: all ingested" "$(sql t.db "SELECT count(*) FROM fetch_file WHERE status = 'ingested'")" 6
"$BILAT" -q --db clean.db ingest gdelt files/$F4 files/$F5 files/$F6
same_cube "run 4" t.db
"$BILAT" --db t.db coverage >cov4.csv
eq "coverage after run 4: every day ok" "$(cut -d, -f1,7 cov4.csv | tr '\n' ' ')" "day,status 2018-01-01,ok 2018-01-02,ok 2018-01-03,ok "
mark
"$BILAT" --db t.db update gdelt --source "$U/masterfilelist.txt" $UP 2>run5.err
eq "run 5: exit 0" $? 0
eq "run 5: only the list fetched" "$(since_mark | grep -vc masterfilelist)" 0
has "run 5: summary" run5.err "6 in the store before; 0 to fetch"

# --- a period: --since and --until pick the files by the time in their names -------------
"$BILAT" --db empty.db update gdelt --source "$U/masterfilelist.txt" -n --since 2018-01-01T00:15 --until 2018-01-02 >p.out 2>p.err
eq "period: files of the period" "$(tail -n +2 p.out | cut -d, -f1 | tr '\n' ' ')" \
    "2018-01-01 00:15:00 2018-01-01 00:30:00 2018-01-01 00:45:00 2018-01-02 00:00:00 "
has "period: the others counted" p.err "2 outside the period"
"$BILAT" --db empty.db update gdelt --source "$U/masterfilelist.txt" -n --since 2018-13-01 2>p2.err
eq "period: a bad date is a usage error" $? 2
has "period: bad date named" p2.err "bad date '2018-13-01' for --since"
"$BILAT" --db empty.db update gdelt --source "$U/masterfilelist.txt" --kinds mentions 2>k.err
eq "kinds: mentions refused" $? 2
check "a usage error creates no store" test ! -e empty.db

# --- a stalled transfer: given up after --timeout, resumed by the next run ----------------
list $F1 >www/stall.txt
printf 'stall %s\n' $F1 >www/rules
"$BILAT" --db s.db update gdelt --source "$U/stall.txt" --timeout 1 --retries 0 2>stall1.err
eq "stall: exit 1" $? 1
has "stall: reported" stall1.err "$F1: cannot fetch '$U/$F1': no data for 1 seconds"
half=$(( $(sizeof $F1) / 2 ))
eq "stall: half the file kept for the next run" "$(wc -c <s.db.cache/$F1.part)" $half
: >www/rules
"$BILAT" --db s.db update gdelt --source "$U/stall.txt" $UP 2>stall2.err
eq "stall: the next run finishes" $? 0
eq "stall: resumed from the kept bytes" "$(grep -c " /$F1 bytes=$half- 206" requests.log)" 1
eq "stall: ingested" "$(sql s.db "SELECT status FROM fetch_file")" ingested
check "stall: no part file left" test ! -e s.db.cache/$F1.part

# --- a server that ignores ranges: the part file is rewritten from the start --------------
printf 'cut %s 1\nnorange\n' $F2 >www/rules
list $F2 >www/norange.txt
"$BILAT" --db nr.db update gdelt --source "$U/norange.txt" $UP 2>nr.err
eq "no ranges: exit 0" $? 0
eq "no ranges: the resume got the whole file" "$(grep -c " /$F2 bytes=$(( $(sizeof $F2) / 2 ))- 200" requests.log)" 1
eq "no ranges: ingested" "$(sql nr.db "SELECT status FROM fetch_file")" ingested
: >www/rules

# --- a proxy from the environment: the list and files of a host that does not exist -------
P=http://gdelt.invalid/gdeltv2
{ line $F3 "" $P; line $F6 "" $P; } >www/proxied.txt
mark
http_proxy=$U "$BILAT" --db px.db update gdelt --source "$P/proxied.txt" $UP 2>px.err
eq "proxy: exit 0" $? 0
eq "proxy: requests went through the proxy" "$(since_mark | grep -c "GET $P/")" 3
eq "proxy: ingested" "$(sql px.db "SELECT count(*) FROM fetch_file WHERE status = 'ingested'")" 2

# --- --keep: the files stay, where the store says they are; clusters reads them ----------
list $F1 $F2 >www/keep.txt
"$BILAT" --db k.db update gdelt --source "$U/keep.txt" --keep kept $UP 2>keep.err
eq "keep: exit 0" $? 0
has "keep: named" keep.err "files kept in $work/kept"
eq "keep: files kept" "$(ls kept | tr '\n' ' ')" "$F1 $F2 "
eq "keep: the store points at them" "$(sql k.db "SELECT count(*) FROM ingest_file WHERE path IN ('$work/kept/$F1', '$work/kept/$F2')")" 2
eq "keep: md5 of the kept file" "$(md5sum kept/$F1 | cut -d' ' -f1)" "$(md5of $F1)"
dyad=$(sql k.db "SELECT actor1_country || ' ' || actor2_country || ' --month ' || substr(day, 1, 7)
  FROM event_cube WHERE actor1_country <> actor2_country GROUP BY actor1_country, actor2_country,
  substr(day, 1, 7) ORDER BY sum(events) DESC, 1 LIMIT 1")
"$BILAT" --db k.db clusters $dyad >clusters.csv 2>clusters.err
eq "keep: clusters re-reads the kept files ($dyad)" $? 0
has "keep: no file skipped by clusters" clusters.err " 0 skipped;"
found=$(sed -n 's/.* skipped; \([0-9]*\) rows in .*(the cube: \([0-9]*\) events.*/\1 \2/p' clusters.err)
set -- $found
[ -n "$found" ] && [ "$1" = "$2" ] && [ "$1" -gt 0 ] && ok || bad "keep: clusters found the cube's rows: '$found'"
# a file put in the directory by hand, whole: checked, not downloaded
cp files/$F3 kept/
list $F1 $F2 $F3 >www/keep.txt
mark
"$BILAT" --db k.db update gdelt --source "$U/keep.txt" --keep kept $UP 2>keep2.err
eq "keep: a whole file in the directory is used" "$(since_mark | grep -c "/$F3 ")" 0
eq "keep: and ingested" "$(sql k.db "SELECT status FROM fetch_file WHERE name = '$F3'")" ingested
# stopped after a file's ingest, before it was marked (as a kill there leaves it): marked now
sqlite3 k.db "UPDATE fetch_file SET status = 'fetched', file_id = NULL WHERE name = '$F2'"
mark
"$BILAT" --db k.db update gdelt --source "$U/keep.txt" --keep kept $UP 2>stop.err
eq "stopped before marked: exit 0" $? 0
eq "stopped before marked: not downloaded again" "$(since_mark | grep -c "/$F2 ")" 0
eq "stopped before marked: marked with its ingest_file row" \
    "$(sql k.db "SELECT f.status FROM fetch_file f JOIN ingest_file i ON i.id = f.file_id WHERE f.name = '$F2'")" ingested
eq "stopped before marked: not ingested twice" "$(sql k.db "SELECT count(*) FROM ingest_file")" 3
has "stopped before marked: counted as ingested" stop.err "1 ingested (402 rows"
# stopped after a whole download, before its check: the part file is checked, not fetched
cp files/$F4 kept/$F4.part
list $F1 $F2 $F3 $F4 >www/keep.txt
mark
"$BILAT" --db k.db update gdelt --source "$U/keep.txt" --keep kept $UP 2>part.err
eq "whole part file: exit 0" $? 0
eq "whole part file: not downloaded" "$(since_mark | grep -c "/$F4 ")" 0
eq "whole part file: ingested" "$(sql k.db "SELECT status FROM fetch_file WHERE name = '$F4'")" ingested
check "whole part file: renamed" test -f kept/$F4 -a ! -e kept/$F4.part

# --- the same content under another name: never counted twice ----------------------------
cp files/$F1 www/20180104000000.export.CSV.zip
echo "$(sizeof $F1) $(md5of $F1) $U/20180104000000.export.CSV.zip" >www/dup.txt
"$BILAT" --db k.db update gdelt --source "$U/dup.txt" --keep kept $UP 2>dup.err
eq "same content: exit 0" $? 0
has "same content: told" dup.err "1 already in the store by content"
eq "same content: rows not added" "$(sql k.db "SELECT sum(rows_read) FROM ingest_file")" 1608

# --- GDELT changes a file after it was ingested: fetched again, the earlier version replaced -
cp files/$F6 www/$F1
{ echo "$(sizeof $F6) $(md5of $F6) $U/$F1"; line $F2; line $F3; } >www/keep.txt
"$BILAT" --db k.db update gdelt --source "$U/keep.txt" --keep kept $UP 2>chg.err
eq "changed: exit 0" $? 0
eq "changed: fetched again and ingested" "$(sql k.db "SELECT status, md5 FROM fetch_file WHERE name = '$F1'")" "ingested,$(md5of $F6)"
# the earlier version is replaced; its copy under another name (20180104..., skipped above as a
# duplicate) is ingested in its place, so that the earlier data stays counted once
eq "changed: replaced, not added" "$(sql k.db "SELECT count(*) FROM ingest_file")" 5
eq "changed: the copy of the earlier version now counted" \
    "$(sql k.db "SELECT count(*) FROM ingest_file WHERE name = '20180104000000.export.CSV.zip'")" 1
CELLS="SELECT c.day, c.actor1_country, c.actor2_country, c.event_code, c.quad, c.events
  FROM event_cube c JOIN ingest_file f ON f.id = c.file_id WHERE f.name = 'NAME' ORDER BY 1, 2, 3, 4, 5, 6"
sql k.db "$(echo "$CELLS" | sed "s/NAME/$F1/")" >chg.got
sql clean.db "$(echo "$CELLS" | sed "s/NAME/$F6/")" >chg.want
check "changed: the cube holds the new version" cmp chg.got chg.want
# changed again, but downloaded elsewhere: refused, since both versions would count
cp files/$F5 www/$F1
{ echo "$(sizeof $F5) $(md5of $F5) $U/$F1"; line $F2; line $F3; } >www/keep.txt
"$BILAT" --db k.db update gdelt --source "$U/keep.txt" $UP 2>chg2.err
eq "changed elsewhere: exit 1" $? 1
has "changed elsewhere: refused" chg2.err "$F1: cannot fetch '$U/$F1': an earlier version was ingested from '$work/kept/$F1': download it to that directory (--keep) to replace it"
eq "changed elsewhere: nothing added" "$(sql k.db "SELECT count(*) FROM ingest_file")" 5
cp files/$F1 www/$F1

# --- GDELT unreachable: an error, nothing recorded ----------------------------------------
"$BILAT" --db u.db update gdelt --source http://127.0.0.1:1/masterfilelist.txt --retries 1 --retry-wait 0.05 2>unreach.err
eq "unreachable: exit 1" $? 1
has "unreachable: said" unreach.err "cannot fetch the file list 'http://127.0.0.1:1/masterfilelist.txt'"
eq "unreachable: nothing recorded" "$(sql u.db "SELECT count(*) FROM fetch_file")" 0
"$BILAT" --db u.db update gdelt --source missing.txt 2>missing.err
eq "a missing local list: exit 1" $? 1
has "a missing local list: named" missing.err "cannot open the file list 'missing.txt'"

# --- a local list with relative URLs: fetched through file:// ----------------------------
mkdir -p loc
cp files/$F1 files/$F2 loc/
{ echo "$(sizeof $F1) $(md5of $F1) $F1"; echo "$(sizeof $F2) $(md5of $F2) $F2"; } >loc/list.txt
"$BILAT" --db loc.db update gdelt --source loc/list.txt 2>loc.err
eq "local list: exit 0" $? 0
eq "local list: URLs made absolute" "$(sql loc.db "SELECT url FROM fetch_file WHERE name = '$F1'")" "file://$work/loc/$F1"

# --- two runs on one directory: the second refuses -----------------------------------------
list $F1 $F2 $F3 $F4 $F5 $F6 >www/masterfilelist.txt
echo "slow 40000" >www/rules
mark
"$BILAT" -q --db l.db update gdelt --source "$U/masterfilelist.txt" $UP 2>/dev/null &
A=$!
for i in $(seq 1 100); do [ -e l.db.cache/.bilat-update.lock ] && break; sleep 0.05; done
sleep 0.2
"$BILAT" --db l.db update gdelt --source "$U/masterfilelist.txt" $UP 2>lock.err
eq "lock: the second run fails" $? 1
has "lock: said" lock.err "is in use by another 'bilat update'"
"$BILAT" --db l.db update gdelt --source "$U/masterfilelist.txt" -n >/dev/null 2>lockdry.err
eq "lock: a dry run goes beside a running one" $? 0
kill -9 $A 2>/dev/null
wait $A 2>/dev/null

# --- killed with SIGKILL at many points; every rerun leaves the store consistent ----------
for d in 0.15 0.4 0.7 1.0 1.3; do
    "$BILAT" -q --db l.db update gdelt --source "$U/masterfilelist.txt" $UP 2>/dev/null &
    A=$!
    sleep $d
    kill -9 $A 2>/dev/null
    wait $A 2>/dev/null
    eq "kill after ${d}s: integrity" "$(sql l.db "PRAGMA integrity_check")" ok
    eq "kill after ${d}s: no file twice" "$(sql l.db "SELECT count(*) FROM (SELECT name FROM ingest_file GROUP BY name HAVING count(*) > 1)")" 0
    eq "kill after ${d}s: each ingested file recorded" \
        "$(sql l.db "SELECT count(*) FROM fetch_file WHERE status = 'ingested' AND file_id NOT IN (SELECT id FROM ingest_file)")" 0
done
resumed=$(since_mark | grep -c "bytes=[1-9][0-9]*- 206")
: >www/rules
"$BILAT" --db l.db update gdelt --source "$U/masterfilelist.txt" $UP 2>kill.err
eq "after the kills: the last run finishes" $? 0
same_cube "after the kills" l.db
eq "after the kills: six files, each once" "$(sql l.db "SELECT count(*), count(DISTINCT name) FROM ingest_file")" "6,6"
eq "after the kills: no cached file left" "$(ls l.db.cache)" ""
[ "$resumed" -gt 0 ] && ok || bad "after the kills: no partial download was resumed"

# --- progress on a TTY (script gives the command a terminal) -------------------------------
if command -v script >/dev/null; then
    echo "slow 60000" >www/rules
    list $F1 $F2 >www/tty.txt
    script -qec "'$BILAT' --db tty.db update gdelt --source '$U/tty.txt' $UP" /dev/null >tty.out 2>&1
    has "tty: files" tty.out "/2 files"
    has "tty: rate and time left" tty.out "/s"
    has "tty: time left" tty.out "left"
    : >www/rules
else
    echo "update: 'script' not found: progress on a TTY not checked"
fi

echo "update: $pass checks passed, $fail failed"
[ "$fail" = 0 ]
