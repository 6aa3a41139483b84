#!/bin/sh
# The dashboard's cost while it watches a steady scan: CPU (from
# /proc/PID/stat) and bytes written to the terminal per second (tmux
# pipe-pane), at 80x24, on the live screen, plus the time to the first
# full screen. The scan is either tests/e2e/tui-feed (records through
# the real journal, ring and control socket, a progress record every
# 100 ms, no packets) or, with "engine", a real polite scan of
# 127.0.0.1 started with tact scan --detach. Targets: under 2% of one
# core, under 2 KB/s, under 100 ms.
#
#	sh bench/tui-watch.sh [BUILDDIR [SECONDS [feed|engine]]]
set -e
build=$(cd "${1:-.}" && pwd)
secs=${2:-20}
source=${3:-feed}
tact=$build/tact
feed=$build/tests/e2e/tui-feed
[ -x "$tact" ] && [ -x "$feed" ] ||
    { echo "build tact and tests/e2e/tui-feed first (make check)" >&2; exit 1; }
command -v tmux >/dev/null || { echo "tmux is not installed" >&2; exit 1; }

tmp=$(mktemp -d)
export XDG_STATE_HOME=$tmp/state XDG_RUNTIME_DIR=$tmp/run XDG_CONFIG_HOME=$tmp/config
mkdir -p "$XDG_STATE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
feedpid=
id=
trap 'tmux -S $tmp/tmux kill-server 2>/dev/null; [ -z "$feedpid" ] || kill $feedpid 2>/dev/null; [ -z "$id" ] || "$tact" stop "$id" >/dev/null 2>&1; rm -rf "$tmp"' EXIT INT TERM

if [ "$source" = engine ]; then
	# 10 probes/s per host under polite: enough ports to outlast the run.
	TACT_DATADIR=${TACT_DATADIR:-$(dirname "$0")/..} "$tact" scan --detach \
	    -T polite -p 1-$(( (secs + 20) * 10 )) 127.0.0.1 >"$tmp/out"
	id=$(sed -n 's/^scan \([0-9a-f-]*\) detached.*/\1/p' "$tmp/out")
	[ -n "$id" ] || { echo "no scan ID: $(cat "$tmp/out")" >&2; exit 1; }
else
	"$feed" -n 50 -s $((secs + 15)) >"$tmp/id" &
	feedpid=$!
	while [ ! -s "$tmp/id" ]; do sleep 0.05; done
	id=$(cat "$tmp/id")
fi

now_ms() { date +%s%3N; }
t0=$(now_ms)
tmux -S $tmp/tmux -f /dev/null new-session -d -x 80 -y 24 \
    "TERM=tmux-256color TACT_DATADIR=${TACT_DATADIR:-$(dirname "$0")/..} $tact; sleep 600"
until tmux -S $tmp/tmux capture-pane -p | grep -q estimate; do sleep 0.005; done
t1=$(now_ms)

tmux -S $tmp/tmux send-keys Escape a
until tmux -S $tmp/tmux capture-pane -p | grep -q "$id"; do sleep 0.05; done
tmux -S $tmp/tmux send-keys Enter
until tmux -S $tmp/tmux capture-pane -p | grep -q "steady"; do sleep 0.05; done
sleep 3
pid=$(pgrep -n -f "^$tact\$")
hz=$(getconf CLK_TCK)
cpu() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
tmux -S $tmp/tmux pipe-pane -o "cat >$tmp/bytes"
c0=$(cpu)
sleep "$secs"
c1=$(cpu)
tmux -S $tmp/tmux pipe-pane
bytes=$(wc -c <"$tmp/bytes")

echo "command: sh bench/tui-watch.sh $* (tact $("$tact" --version | cut -d' ' -f2), 80x24, live screen, $secs s, $source)"
awk -v c=$((c1 - c0)) -v hz="$hz" -v s="$secs" -v b="$bytes" -v st=$((t1 - t0)) 'BEGIN {
	cpu = 100 * c / hz / s
	bps = b / s
	printf "startup to first full screen: %d ms (target 100 ms, ratio %.2f; includes tmux polling)\n", st, st / 100
	printf "CPU while watching: %.2f%% of one core (target 2%%, ratio %.2f)\n", cpu, cpu / 2
	printf "terminal output: %.0f bytes/s (target 2048 bytes/s, ratio %.2f)\n", bps, bps / 2048
}'
