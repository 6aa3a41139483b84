# The dashboard on different terminals: colour where the terminal has it
# and NO_COLOR is unset, none on a vt100 or with NO_COLOR, ASCII borders
# without colour; and the terminal is given back after a fatal signal.
. "$TESTS_SRCDIR/e2e/lib.sh"
. "$TESTS_SRCDIR/e2e/tui-lib.sh"

# colours: does the screen (with attributes) set a foreground colour?
colours() {
	tui_tmux capture-pane -p -e | grep -qE '\[(3[0-7]|38;5;[0-9]+|9[0-7])(;[0-9]+)*m|\[[0-9;]*;3[0-7]m'
}

stop() {
	tui_keys Escape q
	tui_exited 0
	tui_tmux kill-server
}

for term in xterm-256color screen tmux-256color; do
	tui_start 80x24 TERM=$term
	tui_wait "scope: loopback: always in scope"
	colours || fail "TERM=$term: no colour"
	stop
done

tui_start 80x24 TERM=xterm-256color NO_COLOR=1
tui_wait "scope: loopback: always in scope"
colours && fail "NO_COLOR: colour used: $(tui_tmux capture-pane -p -e | head -3)"
stop

tui_start 80x24 TERM=vt100
tui_wait "scope: loopback: always in scope"
colours && fail "vt100: colour used"
tui_screen | grep -q -- '^-- estimate ---' || fail "vt100: no ASCII border: $(tui_screen)"
tui_screen | LC_ALL=C grep -q '[^ -~]' && fail "vt100: not ASCII: $(tui_screen)"
stop

# A fatal signal restores the terminal, then kills as it would have.
for sig in TERM SEGV; do
	tui_start 80x24 TERM=tmux-256color
	tui_wait "estimate"
	pid=$(pgrep -n -f "^$TACT\$") || fail "no dashboard process"
	kill -s "$sig" "$pid"
	case $sig in
	TERM)	want=143 ;;
	SEGV)	want=139 ;;
	esac
	tui_exited "$want"
	tui_tmux kill-server
done
exit 0
