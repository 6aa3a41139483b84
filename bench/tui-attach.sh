#!/bin/sh
# How long the dashboard takes to open a big finished scan from the scans
# screen (read its whole journal, build hosts and ports) and to filter its
# hosts. The scan is tests/e2e/tui-feed -n HOSTS: per host a host record,
# three port records, a banner for every other host; no packets.
#
#	sh bench/tui-attach.sh [BUILDDIR [HOSTS]]
set -e
build=$(cd "${1:-.}" && pwd)
hosts=${2:-100000}
tact=$build/tact
feed=$build/tests/e2e/tui-feed
[ -x "$tact" ] && [ -x "$feed" ] ||
    { echo "build tact and tests/e2e/tui-feed first (make check)" >&2; exit 1; }

tmp=$(mktemp -d)
export XDG_STATE_HOME=$tmp/state XDG_RUNTIME_DIR=$tmp/run XDG_CONFIG_HOME=$tmp/config
mkdir -p "$XDG_STATE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
trap 'tmux -S $tmp/tmux kill-server 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM

id=$("$feed" -n "$hosts")
bytes=$(wc -c <"$XDG_STATE_HOME/tact/scans/$id/journal")
tmux -S $tmp/tmux -f /dev/null new-session -d -x 80 -y 24 \
    "TERM=tmux-256color TACT_DATADIR=${TACT_DATADIR:-$(dirname "$0")/..} $tact; sleep 600"
until tmux -S $tmp/tmux capture-pane -p | grep -q estimate; do sleep 0.01; done
tmux -S $tmp/tmux send-keys Escape a
until tmux -S $tmp/tmux capture-pane -p | grep -q "$id"; do sleep 0.01; done

now_ms() { date +%s%3N; }
t0=$(now_ms)
tmux -S $tmp/tmux send-keys Enter
until tmux -S $tmp/tmux capture-pane -p | grep -q "scan finished"; do sleep 0.01; done
t1=$(now_ms)
tmux -S $tmp/tmux send-keys h
until tmux -S $tmp/tmux capture-pane -p | grep -q "of $hosts, by"; do sleep 0.01; done
t2=$(now_ms)
tmux -S $tmp/tmux send-keys / o p e n : 2 2 Enter
until tmux -S $tmp/tmux capture-pane -p | grep -q "$((hosts / 2)) of $hosts"; do sleep 0.01; done
t3=$(now_ms)

echo "command: sh bench/tui-attach.sh $* ($hosts hosts, journal $bytes bytes)"
echo "open the scan (journal to the live screen): $((t1 - t0)) ms"
echo "hosts screen: $((t2 - t1)) ms"
echo "type the filter open:22 and see it applied: $((t3 - t2)) ms"
echo "(each includes up to 250 ms of frame wait and tmux polling)"
