# A real scan of loopback built in the dashboard: polite profile, a few
# ports with one listening, started from the builder (the engine runs as
# its own process), watched to the end, its host found through the
# filter and opened; then a second scan detached from and attached to
# again from a new tmux session. Only 127.0.0.1 is scanned.
. "$TESTS_SRCDIR/e2e/lib.sh"
. "$TESTS_SRCDIR/e2e/tui-lib.sh"

command -v socat >/dev/null 2>&1 || skip "socat is not installed"
cd "$TMPD" || fail "cd $TMPD"

port=$(free_port)
socat TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork EXEC:/bin/true &
TUI_PIDS=$!

tui_start 80x24 TERM=tmux-256color
tui_wait "scope: loopback: always in scope"
tui_keys Tab "20-25,$port"
tui_wait "ports 7 "
tui_keys Enter
tui_wait "tact | live"
tui_wait "scan finished" 60
tui_wait "100.0%"
tui_keys h
tui_wait "127.0.0.1"
tui_keys / "open:$port" Enter
tui_wait "1 of 1"
tui_keys Enter
tui_wait "$port/tcp"
tui_screen | grep -q "^ $port/tcp *open *syn-ack" || fail "port $port: $(tui_screen)"
# Closed ports are folded until f shows them.
tui_screen | grep -q '^ 22/tcp *open' || tui_screen | grep -q '^ [1-6] closed' ||
    fail "closed ports not folded: $(tui_screen)"
tui_keys f
tui_screen | grep -q '^ 22/tcp *closed' || tui_screen | grep -q '^ 22/tcp *open' ||
    { sleep 0.5; tui_screen | grep -q '^ 22/tcp *\(closed\|open\)'; } ||
    fail "port 22 missing: $(tui_screen)"
tui_keys q
tui_exited 0

# A longer scan: detach, then attach from a new session.
tui_start 80x24 TERM=tmux-256color
tui_wait "estimate"
tui_keys Tab "1-200"
tui_wait "ports 200 "
tui_keys Enter
tui_wait "tact | live"
tui_wait "running"
tui_keys d
tui_exited 0
tui_wait "detached from scan"
id=$(tui_screen | sed -n 's/.*detached from scan \([0-9a-f-]*\),.*/\1/p' | head -1)
[ -n "$id" ] || fail "no scan ID: $(tui_screen)"

tui_start 80x24 TERM=tmux-256color
tui_wait "estimate"
tui_keys Escape a
tui_wait "$id"
tui_keys Enter
tui_wait "tact | live"
tui_wait "scan finished" 60
tui_keys q
tui_exited 0
exit 0
