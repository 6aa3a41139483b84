#!/bin/sh
# Fuzz tact's parsers of untrusted input with libFuzzer, for developers:
#
#	tests/fuzz/run.sh [-t seconds] [parser ...]
#
# builds libtact and each harness tests/fuzz/fuzz-<parser>.c with clang
# -fsanitize=fuzzer,address,undefined in $FUZZ_BUILD (default
# ./fuzz-build), then fuzzes each for the given time (default 120 s),
# one process at a time, starting from tests/fuzz/corpus/<parser>. New
# inputs go to $FUZZ_BUILD/corpus/<parser>, never into the source tree;
# a crash is saved as $FUZZ_BUILD/crash-<parser>-*. Copy a crash into
# tests/fuzz/corpus/<parser>/ to make it a regression test of make check.
set -eu

seconds=120
while getopts t: opt; do
	case $opt in
	t)	seconds=$OPTARG ;;
	*)	echo "usage: $0 [-t seconds] [parser ...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))

top=$(cd "$(dirname "$0")/../.." && pwd)
build=${FUZZ_BUILD:-$PWD/fuzz-build}
CC=${CC:-clang}
command -v "$CC" >/dev/null || { echo "$0: $CC not found" >&2; exit 1; }

if [ $# -eq 0 ]; then
	set -- $(cd "$top/tests/fuzz" && ls fuzz-*.c | grep -v '^fuzz-util' |
	    sed 's/^fuzz-//; s/\.c$//')
fi

san="-fsanitize=address,undefined -fno-sanitize-recover=all"
cflags="-g -O1 -fno-omit-frame-pointer $san"

# libtact, built by the project's own configure and make with clang.
mkdir -p "$build"
if [ ! -e "$build/Makefile" ]; then
	(cd "$build" && "$top/configure" -q CC="$CC" \
	    CFLAGS="$cflags -fsanitize=fuzzer-no-link")
fi
make -s -C "$build" libtact.a
libs="$build/libtact.a $(pkg-config --libs libcyaml yaml-0.1 libpcap libxml-2.0 \
    libpcre2-8 libssl libcrypto)"

status=0
for p in "$@"; do
	src=$top/tests/fuzz/fuzz-$p.c
	[ -e "$src" ] || { echo "$0: no harness $src" >&2; exit 2; }
	$CC $cflags -fsanitize=fuzzer -D_GNU_SOURCE -I"$top/src" "$src" \
	    "$top/tests/fuzz/fuzz-util.c" $libs -o "$build/fuzz-$p"
	mkdir -p "$build/corpus/$p"
	echo "== $p: $seconds s"
	if ! "$build/fuzz-$p" -max_total_time="$seconds" -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix="$build/crash-$p-" \
	    "$build/corpus/$p" "$top/tests/fuzz/corpus/$p"; then
		echo "== $p: FAILED, see $build/crash-$p-*"
		status=1
	fi
done
exit $status
