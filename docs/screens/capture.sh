#!/bin/sh
# Capture the dashboard's screens at 80x24 as text into docs/screens/:
# the builder (also with errors, and on a vt100), help, a running scan
# live, the hosts and one host, the scans, the live screen under
# NO_COLOR and a terminal too small. The scans are tests/e2e/tui-feed's
# records (hosts in 198.18.0.0/15 that are only records: no packet is
# sent), and for live-loopback a polite scan of 127.0.0.1 slowed with -.
# Run it from the top of a built checkout:
#
#	sh docs/screens/capture.sh [BUILDDIR]
set -e
build=$(cd "${1:-.}" && pwd)
out=$(cd "$(dirname "$0")" && pwd)
tact=$build/tact
feed=$build/tests/e2e/tui-feed
[ -x "$tact" ] && [ -x "$feed" ] ||
    { echo "build tact and tests/e2e/tui-feed first (make check)" >&2; exit 1; }
command -v tmux >/dev/null || { echo "tmux is not installed" >&2; exit 1; }

tmp=$(mktemp -d)
export XDG_STATE_HOME=$tmp/state XDG_RUNTIME_DIR=$tmp/run XDG_CONFIG_HOME=$tmp/config
export TACT_DATADIR=${TACT_DATADIR:-$(cd "$out/../.." && pwd)}
mkdir -p "$XDG_STATE_HOME" "$XDG_RUNTIME_DIR" "$XDG_CONFIG_HOME"
chmod 700 "$XDG_RUNTIME_DIR"
feedpid=
run=0
scan=
trap 'set +e; for s in "$tmp"/tmux.*; do tmux -S "$s" kill-server 2>/dev/null; done; [ -z "$feedpid" ] || kill $feedpid 2>/dev/null; [ -z "$scan" ] || "$tact" stop "$scan" >/dev/null 2>&1; rm -rf "$tmp"' EXIT INT TERM

t() { tmux -S "$tmp/tmux.$run" -f /dev/null "$@"; }
# open ENV...: the dashboard in a new 80x24 session, on a server of its own.
open() {
	[ "$run" = 0 ] || t kill-server 2>/dev/null || true
	run=$((run + 1))
	t new-session -d -x 80 -y 24 "env $* LANG=C.UTF-8 $tact; sleep 600"
}
# wait_for TEXT: until the screen shows it (10 s at most).
wait_for() {
	n=100
	until t capture-pane -p | grep -qF -- "$1"; do
		n=$((n - 1))
		[ "$n" -gt 0 ] || { echo "never saw \"$1\"" >&2; t capture-pane -p >&2; exit 1; }
		sleep 0.1
	done
}
# save NAME: the screen, as text, into NAME.txt.
save() {
	sleep 0.6
	t capture-pane -p >"$out/$1.txt"
	echo "$out/$1.txt"
}

open TERM=tmux-256color
wait_for "scope: loopback: always in scope"
save builder
t send-keys C-u 198.18.0.0/24 Tab 22,70000
wait_for '[22,70000'
save builder-errors
t send-keys C-u 22 BTab C-u 198.18.0.1 Tab Tab Tab 'lab audit' Enter
wait_for "written permission"
save builder-confirm
t send-keys n F1
wait_for "On every screen:"
save help
open TERM=vt100
wait_for "scope: loopback: always in scope"
save builder-vt100

"$feed" -n 40 -p 300 -s 3600 >"$tmp/id" &
feedpid=$!
while [ ! -s "$tmp/id" ]; do sleep 0.05; done
id=$(cat "$tmp/id")
open TERM=tmux-256color
wait_for "estimate"
t send-keys Escape a
wait_for "$id"
save scans
t send-keys Enter
wait_for "steady"
sleep 5
save live
t send-keys h
wait_for "of 40, by address"
save hosts
t send-keys Enter
wait_for "banner of 22/tcp"
save host
open TERM=tmux-256color NO_COLOR=1
wait_for "estimate"
t send-keys Escape a
wait_for "$id"
t send-keys Enter
wait_for "steady"
save live-ascii
t resize-window -x 70 -y 20
wait_for "enlarge"
save too-small

"$tact" scan --detach -T polite -p 1-400 127.0.0.1 >"$tmp/out"
scan=$(sed -n 's/^scan \([0-9a-f-]*\) detached.*/\1/p' "$tmp/out")
open TERM=tmux-256color
wait_for "estimate"
t send-keys Escape a
wait_for "$scan"
t send-keys Enter
wait_for "steady"
sleep 2
t send-keys -
wait_for "limit 5/s"
sleep 3
save live-loopback
