#!/bin/sh
# Ring benchmark: run bench/ring-bench (built by make) and print its
# figures with the ratios against the targets: at least 20 million
# records/s from one writer to one reader, and the writer's rate with 4
# viewers attached within 10% of its rate with none. Figures only: this
# never fails on a timing. Build without --enable-debug (-O0) to measure.
#
# usage: bench/ring.sh [path/to/ring-bench]
bin=${1:-./bench/ring-bench}
[ -x "$bin" ] || { echo "ring.sh: $bin: not built (run make)" >&2; exit 1; }

out=$("$bin") || exit 1
get() { echo "$out" | sed -n "s/^$1=//p"; }

echo "ring: $(get payload_bytes)-byte payloads, $(get ring_bytes)-byte ring, median of $(get runs) runs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v w0="$(get 0readers_writer)" \
    -v w1="$(get 1reader_writer)" -v r1="$(get 1reader_readers)" \
    -v l1="$(get 1reader_lost)" \
    -v w4="$(get 4viewers_writer)" -v r4="$(get 4viewers_readers)" \
    -v l4="$(get 4viewers_lost)" 'BEGIN {
	printf "%-28s %14s %14s %8s\n", "", "writer rec/s", "read rec/s", "lost"
	printf "%-28s %14.0f %14s %8s\n", "writer alone", w0, "-", "-"
	printf "%-28s %14.0f %14.0f %7.1f%%\n", "1 reader, flat out", w1, r1, l1 * 100
	printf "%-28s %14.0f %14.0f %7.1f%%\n", "4 viewers (drain, 1 ms nap)", w4, r4, l4 * 100
	printf "writer to reader: %.1f million records/s (target 20, ratio %.2f)\n", r1 / 1e6, r1 / 20e6
	printf "writer with 4 viewers / alone: %.3f (target above 0.90)\n", w4 / w0
}'
