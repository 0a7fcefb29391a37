#!/bin/sh
# lint.sh: project rules a compiler does not check.
#  - banned C library calls (git's banned.h list): use snprintf, bilat_buf_*, checked strtol,
#    gmtime_r instead;
#  - direct malloc/calloc/realloc in the library (everything goes through src/core/alloc.c
#    so that out-of-memory can be injected), except where a third-party library hands us its
#    own allocation to free;
#  - printing or exiting from the library (only src/cli prints or exits).
set -eu
cd "$(dirname "$0")/.."
status=0
banned='\b(strcpy|strcat|sprintf|vsprintf|strtok|gmtime|localtime|ctime|asctime|atoi|atol)[[:space:]]*\('
if grep -nE "$banned" src/*/*.c src/*/*.h | grep -v 'lint: allow'; then
    echo "lint: banned function (see STYLE.md §4)"
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
[ $status = 0 ] && echo "lint: ok"
exit $status
