#!/bin/sh
# MPI tests: `bilat scan --mpi` and `bilat ingest --mpi` on 2 ranks (mpirun, one machine) give
# the same results as one process. BILAT is the plain binary, BILAT_MPI the `make MPI=1` one.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
: "${BILAT:?}" "${BILAT_MPI:?}"
export LC_ALL=C TZ=UTC
E=$ROOT/tests/data/events
F=$ROOT/data/raw/gdelt/20180101000000.export.CSV
work=$(mktemp -d /tmp/bilat-mpi-XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
# root may run mpirun only when told; 2 ranks on a 2-core machine need --oversubscribe when
# another job holds a core.
MPIRUN="mpirun -np 2 --oversubscribe --allow-run-as-root"
export OMPI_MCA_btl=self,vader OMPI_MCA_btl_vader_single_copy_mechanism=none
pass=0 fail=0
check() {
    if cmp -s "$1" "$2"; then pass=$((pass + 1)); else
        fail=$((fail + 1)); echo "FAIL mpi: $3"; diff "$1" "$2" | head -20; fi
}
files="$F $E/gdelt2_small.CSV.gz $E/gdelt1_mixed.CSV $E/gdelt2_bad.CSV $E/icews_sample.tab $E/gdelt2_small.CSV.zip"
for q in "--by quad" "--by year,actor1_country,actor2_country,quad --dedup daily" \
         "--by year,root_code --where dyad=USA:CHN --dedup url" "--by day,action_country"; do
    # shellcheck disable=SC2086
    $BILAT scan $files $q >one.csv 2>one.err
    # shellcheck disable=SC2086
    $MPIRUN $BILAT_MPI scan --mpi $files $q >mpi.csv 2>mpi.err
    check one.csv mpi.csv "scan $q (stdout)"
    grep '^bilat' mpi.err >mpi.err2
    check one.err mpi.err2 "scan $q (stderr)"
done
# exit codes travel back from rank 0
$MPIRUN $BILAT_MPI scan --mpi --strict $E/gdelt2_bad.CSV $E/gdelt2_small.CSV --by quad >/dev/null 2>&1
code=$?
if [ $code = 3 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL mpi: strict exit $code"; fi
# ingest: files scanned on both ranks, written by rank 0; the store equals a one-process ingest
gfiles="$F $E/gdelt2_small.CSV.gz $E/gdelt1_mixed.CSV $E/gdelt2_bad.CSV"
$BILAT -q --db one.db ingest gdelt $gfiles 2>/dev/null
$MPIRUN $BILAT_MPI -q --db mpi.db ingest gdelt --mpi $gfiles 2>/dev/null
q="SELECT f.name, c.day, c.actor1_country, c.actor2_country, c.actor1_type, c.actor2_type, c.event_code, c.quad, c.events, c.events_dedup, c.goldstein_sum, c.tone_sum, c.lag_days_sum FROM event_cube c JOIN ingest_file f ON f.id = c.file_id ORDER BY 1, 2, 3, 4, 5, 6, 7, 8"
$BILAT --db one.db sql "$q" >one.csv
$BILAT --db mpi.db sql "$q" >mpi.csv
check one.csv mpi.csv "ingest (event_cube)"
q="SELECT name, size, sha256, format, rows_read, rows_rejected, first_date, last_date, status FROM ingest_file ORDER BY name"
$BILAT --db one.db sql "$q" >one.csv
$BILAT --db mpi.db sql "$q" >mpi.csv
check one.csv mpi.csv "ingest (ingest_file)"
# running it again changes nothing
$MPIRUN $BILAT_MPI -q --db mpi.db ingest gdelt --mpi $gfiles 2>/dev/null
$BILAT --db mpi.db sql "SELECT count(*), sum(events) FROM event_cube" >again.csv
$BILAT --db one.db sql "SELECT count(*), sum(events) FROM event_cube" >one.csv
check one.csv again.csv "ingest twice"
echo "mpi: $pass passed, $fail failed"
[ $fail = 0 ]
