# Watching scans: a finished scan explored from the scans list (hosts,
# filter, detail, export, escaped banners), and a running one paused,
# resumed, slowed, detached from, attached to again from a new tmux
# session, resized, and stopped. The records come from tui-feed through
# the real journal, ring and control socket; no packet is sent.
. "$TESTS_SRCDIR/e2e/lib.sh"
. "$TESTS_SRCDIR/e2e/tui-lib.sh"

FEED=$TESTS_BUILDDIR/e2e/tui-feed
[ -x "$FEED" ] || fail "$FEED not built"
cd "$TMPD" || fail "cd $TMPD"

done_id=$("$FEED" -n 6) || fail "tui-feed failed"

tui_start 80x24 TERM=tmux-256color
tui_wait "estimate"
tui_keys Escape a
tui_wait "$done_id"
tui_screen | grep -q "$done_id finished" || fail "scan not finished: $(tui_screen)"
tui_keys Enter
tui_wait "100.0%"
tui_wait "198.18.0.11 is rate-limiting RSTs: slowed to 20/s"
tui_wait "open ports: 3 found"
tui_screen | grep -q '198\.18\.0\.10  *22/tcp' || fail "open port: $(tui_screen)"
tui_screen | grep -q ' up 6   down 0   open 3' || fail "hosts up: $(tui_screen)"
tui_screen | grep -q 'scan finished' || fail "no end in the log: $(tui_screen)"

# Hosts: all six, then filtered as we type.
tui_keys h
tui_wait "6 of 6, by address"
tui_keys / o p e n : 2 2
tui_wait "3 of 6"
tui_screen | grep -q '198.18.0.11 ' && fail "open:22 kept .11: $(tui_screen)"
tui_keys C-u s t a t e : s i l e n t
tui_wait "1 of 6"
tui_screen | grep -q '198.18.0.11 .*silent' || fail "silent host: $(tui_screen)"
tui_keys C-u o p e n : x
tui_wait '! open:x:'
tui_keys C-u '.12' Enter
tui_wait "1 of 6"
tui_keys Enter
# Detail: every port, the banner escaped before it reached the screen.
tui_wait "22/tcp     open"
tui_screen | grep -q '^ 1 filtered' || fail "443 not folded: $(tui_screen)"
tui_keys f
tui_wait "443/tcp"
tui_screen | grep -q '443/tcp .*filtered .*no-response' || fail "443: $(tui_screen)"
tui_screen | grep -qF 'SSH-2.0-Feed\x1B[2J\x1B]0;owned\x07' ||
    fail "banner not escaped: $(tui_screen)"
tui_keys e
tui_wait "exported to tact-host-198.18.0.12.txt"
grep -q '^22/tcp .*open .*syn-ack' tact-host-198.18.0.12.txt ||
    fail "export: $(cat tact-host-198.18.0.12.txt)"
tui_keys Escape
tui_wait "1 of 6"
tui_keys q
tui_exited 0
tui_tmux kill-server

# A running scan: control it, detach, attach again, resize, stop.
"$FEED" -n 3 -s 60 >"$TMPD/live-id" &
feed=$!
TUI_PIDS=$feed
n=50
while [ ! -s "$TMPD/live-id" ] && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
live_id=$(cat "$TMPD/live-id")
[ -n "$live_id" ] || fail "tui-feed gave no scan ID"

tui_start 80x24 TERM=tmux-256color
tui_wait "estimate"
tui_keys Escape a
tui_wait "$live_id running"
tui_keys Enter
tui_wait "running"
tui_wait "steady"
tui_screen | grep -q 'rate .* state \[[#.]*\] [0-9]*/1024$' ||
    fail "no state meter beside the rate: $(tui_screen)"
tui_keys p
tui_wait "PAUSED"
tui_wait "paused by uid"
tui_keys p
tui_wait "steady"
tui_keys -
tui_wait "limit 5/s"
tui_tmux resize-window -x 200 -y 50
tui_wait "limit 5/s"
[ "$(tui_screen | wc -l)" = 50 ] || fail "not 50 lines"
tui_tmux resize-window -x 80 -y 24
tui_wait "limit 5/s"
tui_keys d
tui_exited 0
tui_wait "detached from scan $live_id"
kill -0 "$feed" 2>/dev/null || fail "the scan did not go on after detach"
tui_tmux kill-server

# tact attach ID, then Ctrl-C: detached, exit 0, the scan goes on.
TUI_ARGS="attach $live_id"
tui_start 80x24 TERM=tmux-256color
TUI_ARGS=
tui_wait "$live_id running"
tui_keys C-c
tui_exited 0
tui_wait "detached from scan $live_id"
kill -0 "$feed" 2>/dev/null || fail "the scan did not go on after Ctrl-C"
tui_tmux kill-server

tui_start 80x24 TERM=tmux-256color
tui_wait "estimate"
tui_keys Escape a
tui_wait "$live_id running"
tui_keys Enter
tui_wait "limit 5/s"
tui_keys s
tui_wait "stop the scan?"
tui_keys n
tui_wait "cancelled"
tui_keys s y
tui_wait "scan stopped"
wait "$feed" || fail "tui-feed failed"
tui_keys q
tui_exited 0
tui_tmux kill-server

# A host abandoned at host_timeout says timeout on every screen, as the
# outputs do, not up or warned.
to_id=$("$FEED" -n 3 -t) || fail "tui-feed -t failed"
TUI_ARGS="attach $to_id"
tui_start 80x24 TERM=tmux-256color
TUI_ARGS=
tui_wait "$to_id finished"
tui_wait "took longer than the host timeout"
tui_screen | grep -q '^ 198\.18\.0\.12  *100%  *0  *- timeout ' ||
    fail "live: the timed-out host: $(tui_screen)"
tui_keys h
tui_wait "3 of 3"
tui_screen | grep -q '^ 198\.18\.0\.12  *timeout  *0  *0  *0 ' ||
    fail "hosts: the timed-out host: $(tui_screen)"
tui_keys / s t a t e : t i m e o u t
tui_wait "1 of 3"
tui_keys Enter Enter
tui_wait "198.18.0.12  timeout"
tui_keys q
tui_exited 0
exit 0
