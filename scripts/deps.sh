#!/bin/sh
# deps.sh: install the Debian packages bilat needs, if any are missing.
#
#   scripts/deps.sh build            libraries and tools to compile bilat
#   scripts/deps.sh test             + what `make test` runs (chromium, sanitizer runtime, MPI)
#   scripts/deps.sh bench            + what `make bench` runs (numpy/pandas, wrk, hyperfine)
#   scripts/deps.sh config FILE      write the pkg-config flags for the Makefile to FILE
#
# Packages are installed with apt-get when running as root (or through sudo -n when that works);
# otherwise the missing list is printed and the script fails, so nothing half-works silently.
set -eu

BUILD_PKGS="gcc make pkg-config libsqlite3-dev sqlite3 libjansson-dev zlib1g-dev
libmicrohttpd-dev libigraph-dev libgsl-dev libutf8proc-dev libisal-dev libssl-dev
libcurl4-openssl-dev universal-ctags"
TEST_PKGS="chromium libclang-rt-14-dev clang libopenmpi-dev openmpi-bin valgrind ca-certificates
python3"
BENCH_PKGS="python3 python3-numpy python3-pandas wrk hyperfine time bc zip unzip"

# The pkg-config modules the Makefile links against (one place, so the list cannot drift).
PC_MODULES="sqlite3 jansson zlib libmicrohttpd igraph gsl libutf8proc libisal libcrypto
libcurl"

missing() {
    for p in "$@"; do
        s=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
        case "$s" in *"ok installed"*) ;; *) printf '%s\n' "$p" ;; esac
    done
}

install() {
    # shellcheck disable=SC2086
    need=$(missing $*)
    [ -z "$need" ] && return 0
    echo "bilat: installing Debian packages:" $need >&2
    if [ "$(id -u)" = 0 ]; then
        SUDO=
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        echo "bilat: error: missing packages:" $need >&2
        echo "bilat: error: run as root: apt-get install" $need >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    # shellcheck disable=SC2086
    if ! $SUDO apt-get install -y -q --no-install-recommends $need >/dev/null 2>&1; then
        $SUDO apt-get update -q >/dev/null
        $SUDO apt-get install -y -q --no-install-recommends $need >/dev/null
    fi
}

# Node.js and npm (browser tests drive chromium with npm's playwright-core): a machine may
# already have them from another repository (nodesource), whose nodejs bundles npm and
# conflicts with Debian's npm package, so the commands are checked, not the packages.
node_pkgs() {
    command -v node >/dev/null 2>&1 || printf 'nodejs '
    command -v npm >/dev/null 2>&1 || printf 'npm '
}

# What the Makefile links. Start-up time is part of every short command (a profile is asked for
# in tens of milliseconds), and the dynamic loader's share grows with each shared library:
# - libcurl is loaded with dlopen() by the one command that downloads (src/net/curl_dl.c), so
#   its headers are used but it is not linked: that spares loading it and some twenty
#   libraries behind it (TLS, Kerberos, LDAP, SSH) in every other command;
# - libmicrohttpd likewise, by `bilat serve` (src/http/mhd_dl.c): ten libraries behind it
#   (GnuTLS, p11-kit, nettle, GMP...) took about 3 ms of every other command's start-up;
# - igraph is linked from Debian's static archive where there is one: the few functions used
#   need none of the libraries its shared object loads (C++, BLAS/LAPACK, GLPK, ICU, libxml2).
# Together they took `bilat --version` from 60 shared objects to 12 (bench/RESULTS.md).
link_libs() {
    # shellcheck disable=SC2086
    libs=$(pkg-config --libs $(echo $PC_MODULES | sed 's/libcurl//; s/libmicrohttpd//'))
    a="$(pkg-config --variable=libdir igraph)/libigraph.a"
    if [ -f "$a" ]; then
        libs=$(printf '%s\n' "$libs" | sed 's#-ligraph#-Wl,-Bstatic -ligraph -Wl,-Bdynamic#')
    fi
    printf '%s\n' "$libs"
}

case "${1:-build}" in
build) install $BUILD_PKGS ;;
test) install $BUILD_PKGS $TEST_PKGS $(node_pkgs) ;;
bench) install $BUILD_PKGS $TEST_PKGS $(node_pkgs) $BENCH_PKGS ;;
config)
    install $BUILD_PKGS
    out=${2:?usage: deps.sh config FILE}
    mkdir -p "$(dirname "$out")"
    # shellcheck disable=SC2086
    {
        echo "# written by scripts/deps.sh; delete to regenerate"
        echo "PKG_CFLAGS := $(pkg-config --cflags $PC_MODULES)"
        echo "PKG_LIBS := $(link_libs) -lm -lpthread"
    } >"$out.tmp"
    mv "$out.tmp" "$out"
    ;;
*) echo "usage: deps.sh build|test|bench|config FILE" >&2; exit 2 ;;
esac
