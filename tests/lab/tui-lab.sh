# The dashboard against the lab, in tmux inside the scanner's namespace:
# a polite scan of three hosts built in the builder (no scope file, so a
# purpose and a yes), watched to the end, a host found through the
# filter and its detail read (open ports first, the closed ones folded
# until f), then attached to again from a new tmux session and resized
# to 200x50 and back.
. "$TESTS_SRCDIR/lab/lab.sh"
. "$TESTS_SRCDIR/e2e/tui-lib.sh"

# tui-lib.sh's trap replaced the lab's: kill the tmux servers, then the
# lab.
trap 'tl_status=$?; tui_cleanup; lab_down; exit $tl_status' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# tl_start ARGS...: like tui_start, but the tmux server, and so tact,
# runs in the scanner's namespace, with this test's environment.
tl_start() {
	TUI_RUN=$((TUI_RUN + 1))
	TUI_SOCK=$TMPD/tmux.$TUI_RUN
	rm -f "$TMPD/status"
	lab_exec scanner tmux -S "$TUI_SOCK" -f /dev/null new-session -d \
	    -x 80 -y 24 "env TERM=tmux-256color \
	    XDG_CONFIG_HOME='$XDG_CONFIG_HOME' \
	    XDG_STATE_HOME='$XDG_STATE_HOME' \
	    XDG_RUNTIME_DIR='$XDG_RUNTIME_DIR' \
	    TACT_DATADIR='$TACT_DATADIR' \
	    '$TACT' $* 2>'$TMPD/stderr'; echo \$? >'$TMPD/status'; sleep 600" ||
	    fail "tmux did not start in the scanner's namespace"
}

# tl_size COLS ROWS: resize the window; the dashboard follows.
tl_size() {
	tui_tmux resize-window -x "$1" -y "$2" || fail "resize-window $1x$2"
	[ "$(tui_tmux display-message -p '#{window_width}x#{window_height}')" = \
	    "$1x$2" ] || fail "the window is not $1x$2"
	n=50
	# Columns, not bytes: borders may be line drawing in UTF-8.
	until [ "$(( $(tui_screen | LC_ALL=C.UTF-8 wc -L) > 80 ))" = \
	    "$(( $1 > 80 ))" ] &&
	    [ "$(tui_screen | wc -l)" = "$2" ]; do
		[ "$n" -gt 0 ] || fail "not redrawn at $1x$2:
$(tui_screen)"
		n=$((n - 1))
		sleep 0.1
	done
}

lab_up
lab_host a 198.19.0.10
lab_host b 198.19.0.11
lab_host c 198.19.0.12
lab_listen -b SSH-2.0-lab a tcp 22
lab_listen a tcp 80
lab_listen b tcp 80
lab_listen c tcp 25

tl_start ui
tui_wait "estimate"
# Choose the profile: away from the default and back to polite.
tui_keys Escape Down
tui_wait_gone "at most 10 probes/s"
tui_keys Up
tui_wait "at most 10 probes/s"
tui_keys Tab C-u "198.19.0.10-12" Tab "20-25,80" Tab Tab "tui-lab test"
tui_wait "hosts 3 "
tui_wait "ports 7 "
tui_wait "no scope file: you will be"
tui_keys Enter
tui_wait_status "have you written permission to scan?"
tui_keys y
tui_wait "tact | live"
tui_wait "scan finished" 45
tui_wait "100.0%"

tui_keys h
tui_wait "198.19.0.12"
tui_keys / "open:22" Enter
tui_wait "1 of 3"
tui_screen | grep -q "198.19.0.10" || fail "no 198.19.0.10: $(tui_screen)"
tui_screen | grep -q "198.19.0.1[12]" && fail "open:22 kept others: $(tui_screen)"
tui_keys Enter
tui_wait "22/tcp"
tui_screen | grep -q '^ 22/tcp *open *syn-ack *63 ssh' || fail "port 22: $(tui_screen)"
tui_screen | grep -q '^ 80/tcp *open *syn-ack' || fail "port 80: $(tui_screen)"
tui_screen | grep -q '^ [0-9]* closed  (f shows them)' || fail "closed ports not folded: $(tui_screen)"
tui_keys f
tui_wait "23/tcp"
tui_screen | grep -q '^ 23/tcp *closed' || fail "port 23: $(tui_screen)"
# The engine grabs no banners yet: only the banner pane follows the
# selection.
tui_keys Down
tui_wait "banner of 80/tcp"

# The scan has ended: d (detach) is not offered, q quits.
tui_screen | tail -1 | grep -q 'd detach' && fail "detach offered after the end: $(tui_screen)"
id=$(tui_screen | head -1 | grep -o '[0-9]\{8\}-[0-9]\{6\}-[0-9a-f]\{4\}')
[ -n "$id" ] || fail "no scan ID: $(tui_screen)"
tui_keys q
tui_exited 0

tl_start attach "$id"
tui_wait "tact | live"
tui_wait "scan finished"
tui_wait "$id"
tl_size 200 50
tui_wait "scan finished"
tl_size 80 24
tui_wait "scan finished"
tui_keys q
tui_exited 0
exit 0
