# Another user can neither read a scan's journal, nor map its ring, nor
# talk to its control socket: the directories are 0700 and the files 0600
# (each layer is tried on its own). Needs root to become another user.
. "$TESTS_SRCDIR/e2e/lib.sh"
. "$TESTS_SRCDIR/e2e/journal-feeder.sh"
[ "$(id -u)" = 0 ] || skip "not root: cannot try another user"
command -v setpriv >/dev/null || skip "setpriv not installed"
command -v socat >/dev/null || skip "socat not installed"

as_nobody() {
	setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
}

start_feeder 60000 100
state=$XDG_STATE_HOME/tact/scans/$ID
run=$XDG_RUNTIME_DIR/tact/$ID
for f in "$XDG_STATE_HOME/tact/scans" "$state" "$XDG_RUNTIME_DIR/tact" "$run"; do
	[ "$(stat -c %a "$f")" = 700 ] || fail "$f: mode $(stat -c %a "$f")"
done
for f in "$state/journal" "$state/lock" "$run/ring" "$run/control"; do
	[ "$(stat -c %a "$f")" = 600 ] || fail "$f: mode $(stat -c %a "$f")"
done

# Let the other user reach the scan's own directories, one layer at a
# time: first only the parents (the 0700 scan directories stop it),
# then those too (the 0600 files and socket stop it).
chmod 755 "$TMPD" "$XDG_STATE_HOME" "$XDG_RUNTIME_DIR" \
    "$XDG_STATE_HOME/tact" "$XDG_STATE_HOME/tact/scans" "$XDG_RUNTIME_DIR/tact"
for layer in directories files; do
	as_nobody cat "$state/journal" >/dev/null 2>&1 &&
	    fail "another user read the journal ($layer)"
	as_nobody head -c 1 "$run/ring" >/dev/null 2>&1 &&
	    fail "another user read the ring ($layer)"
	echo stop | as_nobody socat -t 2 - "UNIX-CONNECT:$run/control" \
	    >"$TMPD/sock" 2>&1 &&
	    fail "another user reached the control socket ($layer): $(cat "$TMPD/sock")"
	chmod 755 "$state" "$run"
done
kill -0 $PID 2>/dev/null || fail "the scan did not survive"

# The owner still can.
chmod 700 "$XDG_RUNTIME_DIR/tact" "$run"
case $(control "$ID" stop) in ok*) ;; *) fail "the owner could not stop it" ;; esac
wait $PID || fail "event-feeder failed"
exit 0
