#!/bin/sh
# lint.sh: project rules a compiler does not check (docs/STYLE.md); `make test` runs it.
#  - banned C library calls (git's banned.h list): use snprintf, bilat_buf_*, checked strtol,
#    gmtime_r instead;
#  - direct malloc/calloc/realloc in the library (everything goes through src/core/alloc.c
#    so that out-of-memory can be injected), except where a third-party library hands us its
#    own allocation to free;
#  - printing or exiting from the library (only src/cli prints or exits);
#  - layers: an #include "DIR/FILE.h" under src/ names a folder of a lower layer, or its own
#    (core <- ingest <- store <- analytics, coder, net <- report <- http <- cli); http/ and
#    cli/ include only bilat.h, core/ and their own folder;
#  - size: no .c file over 1,500 lines, at most 10 functions over 150 lines (Universal Ctags'
#    line ranges), and each of those says why in its opening comment, on a line "Long: ...".
set -eu
cd "$(dirname "$0")/.."
status=0
banned='\b(strcpy|strcat|sprintf|vsprintf|strtok|gmtime|localtime|ctime|asctime|atoi|atol)[[:space:]]*\('
if grep -nE "$banned" src/*/*.c src/*/*.h | grep -v 'lint: allow'; then
    echo "lint: banned function (docs/STYLE.md, \"Errors\")"
    status=1
fi
if grep -nE '\b(malloc|calloc|realloc)[[:space:]]*\(' $(ls src/*/*.c | grep -v '^src/cli/') |
    grep -v '^src/core/alloc.c' |
    grep -v 'lint: allow'; then
    echo "lint: allocate through bilat_malloc/bilat_calloc/bilat_realloc (src/core/alloc.h)"
    status=1
fi
# (writing to a stream the caller passes in, as fprintf(out, ...), is an API, not printing)
if grep -nE '\b(printf|puts|putchar|exit|abort)[[:space:]]*\(|\bf(printf|puts)[[:space:]]*\([^;]*\b(stdout|stderr)\b' \
    $(ls src/*/*.c | grep -v '^src/cli/') |
    grep -v 'lint: allow'; then
    echo "lint: only src/cli prints or exits"
    status=1
fi

# Layers. A folder's rank; folders of one rank do not include one another.
rank() {
    case $1 in
    core) echo 0 ;;
    ingest) echo 1 ;;
    store) echo 2 ;;
    analytics | coder | net) echo 3 ;;
    report) echo 4 ;;
    http) echo 5 ;;
    cli) echo 6 ;;
    *) echo 99 ;;
    esac
}
for f in src/*/*.c src/*/*.h; do
    d=$(basename "$(dirname "$f")")
    rd=$(rank "$d")
    grep -n '^#include "' "$f" | sed 's/:#include "/ /; s/".*$//' | while read -r ln inc; do
        [ "$inc" = bilat.h ] && continue
        case $inc in
        */*) g=${inc%%/*} ;;
        *) echo "$f:$ln: #include \"$inc\" names no folder" && continue ;;
        esac
        [ "$g" = "$d" ] && continue
        if [ "$d" = http ] || [ "$d" = cli ]; then
            [ "$g" = core ] || echo "$f:$ln: $d/ includes $inc: only bilat.h, core/ and $d/"
        elif [ "$(rank "$g")" -ge "$rd" ]; then
            echo "$f:$ln: $d/ includes $inc: a layer includes only the layers below it"
        fi
    done
done >"${TMPDIR:-/tmp}/bilat-lint.$$"
if [ -s "${TMPDIR:-/tmp}/bilat-lint.$$" ]; then
    cat "${TMPDIR:-/tmp}/bilat-lint.$$"
    echo "lint: include across the layers (docs/DEVELOPING.md, \"Layers\")"
    status=1
fi
rm -f "${TMPDIR:-/tmp}/bilat-lint.$$"

# Size. A file over MAX_FILE lines fails; so does a count of long functions (over MAX_FN lines
# from the line of the name to the closing brace, as Universal Ctags measures them) above
# MAX_LONG, or a long function whose opening comment (the comment just above it) has no "Long:"
# line giving the reason.
MAX_FILE=1500
MAX_FN=150
MAX_LONG=10
for f in src/*/*.c; do
    n=$(wc -l <"$f")
    if [ "$n" -gt $MAX_FILE ]; then
        echo "$f: $n lines (at most $MAX_FILE: split it along its sections)"
        status=1
    fi
done
if ! ctags --version 2>/dev/null | grep -q 'Universal Ctags'; then
    echo "lint: Universal Ctags is needed to measure functions (scripts/deps.sh build)"
    status=1
else
    long=$(ctags --fields=+ne --kinds-C=f -o - src/*/*.c |
        awk -F '\t' -v max=$MAX_FN '{
            b = 0; e = 0
            for (i = 4; i <= NF; i++) {
                if ($i ~ /^line:/) b = substr($i, 6)
                if ($i ~ /^end:/) e = substr($i, 5)
            }
            if (e - b + 1 > max) print $2, b, e - b + 1, $1
        }' | sort)
    nlong=0
    if [ -n "$long" ]; then
        nlong=$(printf '%s\n' "$long" | wc -l)
        printf '%s\n' "$long" | while read -r f b n name; do
            # the comment just above the function (blank lines and the return type may
            # stand between), read upwards to its opening "/*"
            if ! sed -n "1,$((b - 1))p" "$f" | tac | awk '
                /\*\// && !seen { seen = 1 }
                !seen && /[;{}]/ { exit 1 }
                seen { print; if (/\/\*/) exit 0 }' | grep -q 'Long:'; then
                echo "$f:$b: $name has $n lines and no \"Long:\" reason in its opening comment"
            fi
        done >"${TMPDIR:-/tmp}/bilat-lint-long.$$"
    fi
    if [ -s "${TMPDIR:-/tmp}/bilat-lint-long.$$" ]; then
        cat "${TMPDIR:-/tmp}/bilat-lint-long.$$"
        status=1
    fi
    rm -f "${TMPDIR:-/tmp}/bilat-lint-long.$$"
    if [ "$nlong" -gt $MAX_LONG ]; then
        printf '%s\n' "$long" | awk '{ print $1 ":" $2 ": " $4 " (" $3 " lines)" }'
        echo "lint: $nlong functions over $MAX_FN lines (at most $MAX_LONG: split the longest)"
        status=1
    fi
fi

[ $status = 0 ] && echo "lint: ok"
exit $status
