# Helpers for the dashboard's tmux-driven tests. Source after lib.sh.
# Each test runs its own tmux server (a socket of its own) and kills it
# on every exit path.

command -v tmux >/dev/null 2>&1 || skip "tmux is not installed"

# A new server (socket, in $TMPD) for each tui_start: a server being
# killed may still hold its socket when the next one starts.
TUI_RUN=0
TUI_SOCK=$TMPD/tmux.0
export XDG_CONFIG_HOME="$TMPD/config" XDG_STATE_HOME="$TMPD/state"
export XDG_RUNTIME_DIR="$TMPD/run"
mkdir -p "$XDG_CONFIG_HOME" "$XDG_STATE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
# Processes a test started in the background, killed on exit.
TUI_PIDS=
tui_cleanup() {
	[ -z "$TUI_PIDS" ] || kill $TUI_PIDS 2>/dev/null
	while [ "$TUI_RUN" -gt 0 ]; do
		tmux -S "$TMPD/tmux.$TUI_RUN" kill-server 2>/dev/null
		TUI_RUN=$((TUI_RUN - 1))
	done
	rm -rf "$TMPD"
}
trap tui_cleanup EXIT INT TERM HUP

# tui_tmux ARGS...: tmux on this test's server, with no user config.
tui_tmux() {
	tmux -S "$TUI_SOCK" -f /dev/null "$@"
}

# tui_start COLSxROWS ENV...: run $TACT in a new session. The shell
# records the exit status in $TMPD/status and stays, so the screen
# after exit can be inspected.
tui_start() {
	size=$1
	shift
	TUI_RUN=$((TUI_RUN + 1))
	TUI_SOCK=$TMPD/tmux.$TUI_RUN
	rm -f "$TMPD/status"
	tui_tmux new-session -d -x "${size%x*}" -y "${size#*x}" \
	    "env $* '$TACT' $TUI_ARGS 2>'$TMPD/stderr'; echo \$? >'$TMPD/status'; sleep 600"
}

tui_screen() {
	tui_tmux capture-pane -p
}

tui_keys() {
	tui_tmux send-keys "$@"
}

# tui_wait TEXT [SECONDS]: wait until the screen shows TEXT (a fixed
# string), or fail showing the screen.
tui_wait() {
	n=$(( ${2:-10} * 10 ))
	while [ "$n" -gt 0 ]; do
		tui_screen | grep -qF -- "$1" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	fail "screen never showed \"$1\":
$(tui_screen)"
}

# tui_wait_status TEXT [SECONDS]: wait until the status line (the last
# line) shows TEXT.
tui_wait_status() {
	n=$(( ${2:-10} * 10 ))
	while [ "$n" -gt 0 ]; do
		tui_screen | tail -1 | grep -qF -- "$1" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	fail "status line never showed \"$1\":
$(tui_screen)"
}

# tui_wait_gone TEXT [SECONDS]: wait until TEXT has left the screen.
tui_wait_gone() {
	n=$(( ${2:-10} * 10 ))
	while [ "$n" -gt 0 ]; do
		tui_screen | grep -qF -- "$1" || return 0
		sleep 0.1
		n=$((n - 1))
	done
	fail "screen still shows \"$1\":
$(tui_screen)"
}

# tui_exited STATUS: the program exited with STATUS and gave the
# terminal back (the alternate screen is off).
tui_exited() {
	n=50
	while [ ! -s "$TMPD/status" ] && [ "$n" -gt 0 ]; do
		sleep 0.1
		n=$((n - 1))
	done
	[ -s "$TMPD/status" ] || fail "the dashboard did not exit"
	[ "$(cat "$TMPD/status")" = "$1" ] ||
	    fail "exit status $(cat "$TMPD/status"), wanted $1: $(cat "$TMPD/stderr")"
	[ "$(tui_tmux display-message -p '#{alternate_on}')" = 0 ] ||
	    fail "the terminal was left on the alternate screen"
}
