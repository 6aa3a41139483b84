# The dashboard's layout and keys by state: no terminal, no dashboard
# (at once); the live screen fills 80x24, 120x40 and 200x60 with no
# blank row, and shows more at larger sizes; the host screen lists open
# ports first, folds the rest and never draws over its banner pane; the
# status line offers only the keys that work; ASCII under NO_COLOR and
# on a vt100, block elements in colour and UTF-8. The records come from
# tui-feed; no packet is sent.
. "$TESTS_SRCDIR/e2e/lib.sh"
. "$TESTS_SRCDIR/e2e/tui-lib.sh"

FEED=$TESTS_BUILDDIR/e2e/tui-feed
[ -x "$FEED" ] || fail "$FEED not built"
cd "$TMPD" || fail "cd $TMPD"

# No terminal: one line, exit 2, within a second (it used to spin).
for args in "" "ui"; do
	start=$(date +%s%N)
	timeout 5 "$TACT" $args </dev/null >"$TMPD/out" 2>"$TMPD/err"
	rc=$?
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	[ "$rc" = 2 ] || fail "tact $args </dev/null: exit $rc, wanted 2"
	[ "$(cat "$TMPD/err")" = "tact: ui: needs a terminal" ] ||
	    fail "tact $args </dev/null: $(cat "$TMPD/err")"
	[ "$ms" -lt 1000 ] || fail "tact $args </dev/null took $ms ms"
done

# blank_rows ROWS: the body rows (2 to ROWS-1) with nothing on them.
blank_rows() {
	tui_screen | awk -v last="$1" 'NR > 1 && NR < last && !/[^ ]/ { print NR }'
}

# A running scan of 40 hosts; the first has 300 closed ports too.
"$FEED" -n 40 -p 300 -s 60 >"$TMPD/live-id" &
feed=$!
TUI_PIDS=$feed
n=50
while [ ! -s "$TMPD/live-id" ] && [ "$n" -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
id=$(cat "$TMPD/live-id")
[ -n "$id" ] || fail "tui-feed gave no scan ID"
TUI_ARGS="attach $id"

prev=0
for size in 80x24 120x40 200x60; do
	rows=${size#*x}
	tui_start "$size" TERM=tmux-256color LANG=C.UTF-8
	tui_wait "steady"
	tui_wait "open ports: 20 found"
	[ "$(tui_screen | wc -l)" = "$rows" ] || fail "$size: not $rows lines"
	[ -z "$(blank_rows "$rows")" ] ||
	    fail "$size: blank rows $(blank_rows "$rows" | tr '\n' ' '):
$(tui_screen)"
	# More hosts, not more blank, on a larger screen.
	hosts=$(tui_screen | grep -c ' scanning')
	[ "$hosts" -gt "$prev" ] || fail "$size: $hosts hosts shown, $prev before"
	prev=$hosts
	tui_screen | grep -q '198\.18\.0\.10 .* 22/tcp *ssh' ||
	    fail "$size: open port not listed: $(tui_screen)"
	# Block elements for the history, on a fixed scale.
	tui_screen | grep -q 'history ▁' || fail "$size: no sparkline: $(tui_screen)"
	tui_screen | grep -q '0-100/s' || fail "$size: scale: $(tui_screen)"
	tui_keys q
	tui_exited 0
	tui_tmux kill-server
done

# Keys by state, and - showing the limit it left.
tui_start 80x24 TERM=tmux-256color
tui_wait "steady"
tui_wait "of scan so far: 40 hosts up, 20 open ports"
tui_wait_status "p pause"
tui_screen | tail -1 | grep -q 's stop' || fail "no s stop: $(tui_screen | tail -1)"
tui_screen | tail -1 | grep -q 'q quit' || fail "no q quit: $(tui_screen | tail -1)"
tui_wait "limit 100/s"
tui_keys p
tui_wait "PAUSED"
tui_wait_status "p resume"
tui_keys p
tui_wait "steady"
tui_keys -
tui_wait_status "limit 5/s"
tui_wait "limit 5/s"

# Host detail: open first, 300 closed folded, the banner pane intact.
tui_keys h
tui_wait "of 40, by address"
tui_keys Enter
tui_wait "banner of 22/tcp"
tui_screen | sed -n 7p | grep -q '^ 22/tcp *open' || fail "open port not first: $(tui_screen)"
tui_screen | grep -q '301 closed' || fail "closed ports not folded: $(tui_screen)"
tui_screen | grep -q 'probes 304' || fail "probe count: $(tui_screen)"
tui_screen | grep -q 'ttl 64' || fail "ttl: $(tui_screen)"
tui_keys f
tui_wait "1000/tcp"
tui_keys End
tui_wait "1299/tcp"
tui_screen | sed -n 20p | grep -q 'banner of 1299/tcp' || fail "banner pane overwritten: $(tui_screen)"
tui_screen | sed -n 21p | grep -qF 'SSH-2.0-Feed' && fail "closed port's banner shown: $(tui_screen)"
tui_screen | sed -n 21p | grep -qF '(none)' || fail "banner pane: $(tui_screen)"
tui_keys Home
tui_wait "SSH-2.0-Feed"
tui_keys l
tui_wait "steady"

# Stopped: nothing offered that works only while it runs.
tui_keys s y
tui_wait "scan stopped"
wait "$feed"
tui_wait_status "h hosts"
status=$(tui_screen | tail -1)
for k in "p pause" "p resume" "- slower" "+ faster" "s stop" "d detach"; do
	echo "$status" | grep -qF -- "$k" && fail "\"$k\" offered after the end: $status"
done
tui_keys q
tui_exited 0
tui_tmux kill-server

# No colour, or no UTF-8: ASCII borders and an ASCII sparkline.
for env in "TERM=tmux-256color NO_COLOR=1 LANG=C.UTF-8" "TERM=vt100 LANG=C.UTF-8" \
    "TERM=tmux-256color LANG=C LC_ALL=C"; do
	tui_start 80x24 $env
	tui_wait "scan stopped"
	tui_screen | LC_ALL=C grep -q '[^ -~]' && fail "$env: not ASCII: $(tui_screen)"
	tui_screen | grep -q -- '^-- hosts: ' || fail "$env: no ASCII border: $(tui_screen)"
	tui_keys q
	tui_exited 0
	tui_tmux kill-server
done
exit 0
