#!/bin/sh
# Golden CLI tests: each tests/golden/<case>/ holds `cmd` (a shell script using $BILAT), an
# optional `stdin`, and the expected `expected.stdout`, `expected.stderr` and `expected.exit`.
# Each case runs in a fresh empty directory with:
#   BILAT  the binary        ROOT  the project root      DATA  $ROOT/data
#   MINI   $ROOT/tests/data/mini (a tiny dataset)        TESTDATA  $ROOT/tests/data
#   LC_ALL=C TZ=UTC
# Outputs are normalised before comparison: $ROOT becomes '$ROOT', the case directory becomes
# '$CASE', and ISO timestamps (2026-11-27T22:58:55Z) become '<time>'.
#
#   tests/golden/run.sh [--update] [CASE...]
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
: "${BILAT:?set BILAT to the bilat binary}"
update=0
if [ "${1:-}" = "--update" ]; then update=1; shift; fi
cases=${*:-$(ls "$ROOT/tests/golden")}
export BILAT ROOT DATA="$ROOT/data" MINI="$ROOT/tests/data/mini" TESTDATA="$ROOT/tests/data"
export LC_ALL=C TZ=UTC
pass=0 fail=0
work=$(mktemp -d /tmp/bilat-golden-XXXXXX)
trap 'rm -rf "$work"' EXIT
normalise() {
    sed -e "s#$1#\$CASE#g" -e "s#$ROOT#\$ROOT#g" \
        -e 's/[0-9]\{4\}-[0-9]\{2\}-[0-9]\{2\}T[0-9]\{2\}:[0-9]\{2\}:[0-9]\{2\}Z/<time>/g'
}
for c in $cases; do
    dir="$ROOT/tests/golden/$c"
    [ -f "$dir/cmd" ] || continue
    cw="$work/$c"
    mkdir -p "$cw"
    in=/dev/null
    [ -f "$dir/stdin" ] && in="$dir/stdin"
    (cd "$cw" && sh "$dir/cmd" <"$in" >"$cw.out" 2>"$cw.err")
    echo $? >"$cw.exit"
    normalise "$cw" <"$cw.out" >"$cw.out.n"
    normalise "$cw" <"$cw.err" >"$cw.err.n"
    if [ $update = 1 ]; then
        cp "$cw.out.n" "$dir/expected.stdout"
        cp "$cw.err.n" "$dir/expected.stderr"
        cp "$cw.exit" "$dir/expected.exit"
        pass=$((pass + 1))
        continue
    fi
    ok=1
    for k in stdout:out.n stderr:err.n exit:exit; do
        want="$dir/expected.${k%%:*}" got="$cw.${k#*:}"
        if [ ! -f "$want" ] || ! cmp -s "$want" "$got"; then
            ok=0
            echo "FAIL $c (${k%%:*})"
            if [ -f "$want" ]; then diff -u "$want" "$got" | head -40; else echo "  missing $want"; fi
        fi
    done
    if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "golden: $pass passed, $fail failed"
[ $fail = 0 ]
