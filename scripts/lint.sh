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
#    cli/ include only bilat.h, core/ and their own folder.
set -eu
cd "$(dirname "$0")/.."
status=0
banned='\b(strcpy|strcat|sprintf|vsprintf|strtok|gmtime|localtime|ctime|asctime|atoi|atol)[[:space:]]*\('
if grep -nE "$banned" src/*/*.c src/*/*.h | grep -v 'lint: allow'; then
    echo "lint: banned function (docs/STYLE.md, \"Errors and memory\")"
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

[ $status = 0 ] && echo "lint: ok"
exit $status
