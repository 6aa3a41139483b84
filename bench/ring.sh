#!/bin/sh
# Ring benchmark: run bench/ring-bench (built by make bench) and print its
# figures with the ratios against the targets: at least 20 million
# records/s from one writer to one reader, and the writer's rate with 4
# viewers attached within 10% of its rate with none. Figures only: this
# never fails on a timing. Build without --enable-debug (-O0) to measure,
# and mind the load average: other work on the machine shows in them.
#
# usage: bench/ring.sh [path/to/ring-bench]
bin=${1:-./bench/ring-bench}
[ -x "$bin" ] || { echo "ring.sh: $bin: not built (run make bench)" >&2; exit 1; }

out=$("$bin") || exit 1
get() { echo "$out" | sed -n "s/^$1=//p"; }

echo "ring: $(get payload_bytes)-byte payloads, $(get ring_bytes)-byte ring, $(get runs) interleaved runs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$out" | awk -F= '{ v[$1] = $2 } END {
	printf "%-28s %23s %23s %7s\n", "(median / best)", "writer rec/s", "read rec/s", "lost"
	printf "%-28s %11.0f %11.0f %23s %7s\n", "writer alone",
	    v["0readers_writer"], v["0readers_writer_best"], "-", "-"
	printf "%-28s %11.0f %11.0f %11.0f %11.0f %6.1f%%\n", "1 reader, flat out",
	    v["1reader_writer"], v["1reader_writer_best"],
	    v["1reader_readers"], v["1reader_readers_best"], v["1reader_lost"] * 100
	printf "%-28s %11.0f %11.0f %11.0f %11.0f %6.1f%%\n", "1 reader, writer at 20M/s",
	    v["1reader20M_writer"], v["1reader20M_writer_best"],
	    v["1reader20M_readers"], v["1reader20M_readers_best"], v["1reader20M_lost"] * 100
	printf "%-28s %11.0f %11.0f %11.0f %11.0f %6.1f%%\n", "4 viewers (drain, 1 ms nap)",
	    v["4viewers_writer"], v["4viewers_writer_best"],
	    v["4viewers_readers"], v["4viewers_readers_best"], v["4viewers_lost"] * 100
	printf "writer to reader: %.1f million records/s median, %.1f best (target 20); at 20M/s the reader lost %.2f%%\n",
	    v["1reader_readers"] / 1e6, v["1reader_readers_best"] / 1e6, v["1reader20M_lost"] * 100
	printf "writer with 4 viewers / alone: %.3f median, %.3f best (target above 0.90)\n",
	    v["4viewers_writer"] / v["0readers_writer"],
	    v["4viewers_writer_best"] / v["0readers_writer_best"]
	printf "per second of the writer'"'"'s own CPU time: alone %.0f, with 4 viewers %.0f, ratio %.3f (median)\n",
	    v["0readers_writer_cpu"], v["4viewers_writer_cpu"],
	    v["4viewers_writer_cpu"] / v["0readers_writer_cpu"]
}'
