# What a scan run as root leaves behind once it has dropped root: no
# ring or control socket in its runtime directory, whether it finished
# or was interrupted; the output files it made belong to the user it ran
# as (the sudo user here), and one it never wrote (Ctrl-C) is removed,
# even in a shared sticky directory; with the shared nobody for want of
# the user tact, they stay root's. Scans only loopback. Needs root.
. "$TESTS_SRCDIR/e2e/lib.sh"
. "$TESTS_SRCDIR/e2e/scan-live-lib.sh"
[ "$(id -u)" = 0 ] || skip "not root: no privileges to drop"

# A uid no other test uses, as the user sudo ran tact for.
ME=4244
B=$(port_block 100)
listen $((B + 1))
shared=$TMPD/shared
mkdir -m 1777 "$shared"

# runtime_clean ID: nothing of the engine's left in its runtime directory.
runtime_clean() {
	rt=$XDG_RUNTIME_DIR/tact/$1
	[ ! -e "$rt/ring" ] && [ ! -e "$rt/control" ] ||
	    fail "$2: left in $rt: $(ls -la "$rt")"
}

# interrupt OUT CMD...: start CMD, Ctrl-C it after a second; the ID.
interrupt() {
	out=$1
	shift
	"$@" >/dev/null 2>"$TMPD/int.err" &
	pid=$!
	LIVE_PIDS="$LIVE_PIDS $pid"
	sleep 1
	kill -INT $pid
	wait $pid
	rc=$?
	[ $rc = 130 ] || fail "$out: exit $rc: $(cat "$TMPD/int.err")"
	awk '{ print $3 }' "$TMPD/int.err"
}

# 1. As root, dropping to nobody: finished, then interrupted.
expect_exit 0 "$TACT" scan -sT -T brisk -p $((B + 1)) 127.0.0.1
ID=$("$TACT" list | awk 'NR == 2 { print $1 }')
runtime_clean "$ID" "finished scan"
ID=$(interrupt runtime "$TACT" scan -sT -T brisk --max-rate 20 \
    -p $B-$((B + 99)) 127.0.0.1)
runtime_clean "$ID" "interrupted scan"

# 2. As the sudo user: the outputs are theirs; an interrupted scan's
# output, never written, is removed from the sticky directory.
SUDO="env -u TACT_USER SUDO_UID=$ME SUDO_GID=$ME"
expect_exit 0 $SUDO "$TACT" scan -sT -T brisk -p $((B + 1)) \
    -oN "$shared/done.nmap" -oX "$shared/done.xml" 127.0.0.1
for f in done.nmap done.xml; do
	[ "$(stat -c %u:%g "$shared/$f")" = "$ME:$ME" ] ||
	    fail "$f belongs to $(stat -c %u:%g "$shared/$f"), not $ME:$ME"
done
grep -q "^$((B + 1))/tcp *open" "$shared/done.nmap" ||
    fail "done.nmap: $(cat "$shared/done.nmap")"
ID=$(interrupt sudo $SUDO "$TACT" scan -sT -T brisk --max-rate 20 \
    -p $B-$((B + 99)) -oN "$shared/int.nmap" 127.0.0.1)
[ ! -e "$shared/int.nmap" ] ||
    fail "interrupted: int.nmap left, $(stat -c '%U %s bytes' "$shared/int.nmap")"
runtime_clean "$ID" "interrupted sudo scan"
# An output that was there is not given away.
touch "$shared/mine.nmap"
expect_exit 0 $SUDO "$TACT" scan -sT -T brisk -p $((B + 1)) \
    -oN "$shared/mine.nmap" 127.0.0.1
[ "$(stat -c %u "$shared/mine.nmap")" = 0 ] ||
    fail "an existing output was given to $(stat -c %u "$shared/mine.nmap")"

# 3. The nobody others share is given no file of root's.
if ! getent passwd tact >/dev/null; then
	expect_exit 0 env -u TACT_USER "$TACT" scan -sT -T brisk \
	    -p $((B + 1)) -oN "$shared/nobody.nmap" 127.0.0.1
	[ "$(stat -c %u "$shared/nobody.nmap")" = 0 ] ||
	    fail "nobody.nmap given to $(stat -c %U "$shared/nobody.nmap")"
fi
exit 0
