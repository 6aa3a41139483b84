# What another user plants where root's tact keeps or writes files:
# a home of theirs (sudo keeping HOME) with a scan whose lock links to a
# file of root's, a link at the ledger's temporary file, a link or FIFO
# at an output's path in a shared directory, a runtime directory made
# first in /tmp, a HOME that does not exist. tact refuses with one line
# (exit 2) or keeps clear of it, and nothing outside is touched. Scans
# only loopback. Needs root to give files to another user.
. "$TESTS_SRCDIR/e2e/lib.sh"
. "$TESTS_SRCDIR/e2e/scan-live-lib.sh"
[ "$(id -u)" = 0 ] || skip "not root: cannot plant files of another user"
command -v setpriv >/dev/null || skip "setpriv not installed"

THEM=4242
# A uid no other test uses, for a tact run by someone other than root.
ME=4243
SQUAT=/tmp/tact-$ME
trap 'for p in $LIVE_PIDS; do kill -9 $p 2>/dev/null; done; rm -rf "$TMPD"; [ -d "$SQUAT" ] && [ "$(stat -c %u "$SQUAT")" = $THEM ] && rm -rf "$SQUAT"' EXIT INT TERM

B=$(port_block 60)
listen $((B + 1))
victim=$TMPD/victim
echo "root's file" >"$victim"
intact() {
	[ "$(cat "$victim")" = "root's file" ] || fail "$1: the file behind the link changed: $(cat "$victim")"
}

# An interrupted scan to copy into the other user's home.
"$TACT" scan -sT -T brisk --max-rate 20 -p $B-$((B + 59)) 127.0.0.1 \
    >/dev/null 2>"$TMPD/int.err" &
pid=$!
LIVE_PIDS="$LIVE_PIDS $pid"
sleep 1
kill -INT $pid
wait $pid
[ $? = 130 ] || fail "scan to interrupt: $(cat "$TMPD/int.err")"
ID=$(awk '{ print $3 }' "$TMPD/int.err")

# 1. Their home, their scan, its lock a link to root's file; root runs
# with HOME=their home.
home=$TMPD/home
mkdir -p "$home/.local/state/tact/scans"
cp -r "$XDG_STATE_HOME/tact/scans/$ID" "$home/.local/state/tact/scans/"
rm "$home/.local/state/tact/scans/$ID/lock"
ln -s "$victim" "$home/.local/state/tact/scans/$ID/lock"
chown -R -h $THEM:$THEM "$home"
for cmd in "resume $ID" list "report $ID"; do
	expect_exit 2 env -u XDG_STATE_HOME -u XDG_RUNTIME_DIR HOME="$home" \
	    "$TACT" $cmd
	expect_one_line_error
	grep -q "$home: owned by uid $THEM" "$TMPD/err" ||
	    fail "$cmd with their HOME: $(cat "$TMPD/err")"
	intact "$cmd with their HOME"
done

# 2. A link at the ledger's temporary file, a scan with a daily quota.
cat >"$TMPD/quota.yaml" <<EOT
name: quota
description: brisk, five scans a day
extends: brisk
daily_quota: 5
EOT
ledger=$XDG_STATE_HOME/tact/ledger
ln -s "$victim" "$ledger.tmp"
expect_exit 0 "$TACT" scan -sT -T "$TMPD/quota.yaml" -p $((B + 1)) 127.0.0.1
intact "ledger.tmp"
grep -q " 127.0.0.1 1\$" "$ledger" || fail "ledger: $(cat "$ledger")"
[ -L "$ledger.tmp" ] || fail "the planted ledger.tmp was replaced"

# 3. Outputs in a shared directory: a link, a FIFO (which must not
# hang the open).
shared=$TMPD/shared
mkdir -m 1777 "$shared"
ln -s "$victim" "$shared/out.xml"
mkfifo "$shared/out.gnmap"
chown -h $THEM:$THEM "$shared/out.xml" "$shared/out.gnmap"
expect_exit 2 "$TACT" scan -sT -T brisk -p $((B + 1)) 127.0.0.1 -oX "$shared/out.xml"
expect_one_line_error
grep -q 'out.xml: a symbolic link, refused' "$TMPD/err" || fail "-oX link: $(cat "$TMPD/err")"
intact "-oX link"
expect_exit 2 timeout 10 "$TACT" scan -sT -T brisk -p $((B + 1)) 127.0.0.1 -oG "$shared/out.gnmap"
expect_one_line_error
grep -q 'out.gnmap: not a regular file, refused' "$TMPD/err" || fail "-oG FIFO: $(cat "$TMPD/err")"

# 4. Someone made /tmp/tact-UID first: a user without XDG_RUNTIME_DIR
# still scans, its runtime directory under its state directory.
mine=$TMPD/mine
mkdir -m 700 "$mine"
# uid $ME may not reach the build tree (a checkout in a 0700 home), so
# it runs its own copy of the program and the profiles.
mkdir -p "$mine/bin" "$mine/data/profiles"
cp "$TACT" "$mine/bin/tact" &&
    cp "$TACT_DATADIR"/profiles/*.yaml "$mine/data/profiles/" ||
    fail "cannot copy tact for uid $ME"
chown -R $ME:$ME "$mine"
rm -rf "$SQUAT"
mkdir -m 700 "$SQUAT" && chown $THEM:$THEM "$SQUAT" || fail "cannot make $SQUAT"
expect_exit 0 env -u XDG_STATE_HOME -u XDG_RUNTIME_DIR HOME="$mine" \
    TACT_DATADIR="$mine/data" setpriv --reuid=$ME --regid=$ME \
    --clear-groups "$mine/bin/tact" scan -sT -T brisk -p $((B + 1)) 127.0.0.1
[ -d "$mine/.local/state/tact/run" ] || fail "no runtime directory under the state directory"
[ -z "$(ls -A "$SQUAT")" ] || fail "$SQUAT was used"
expect_exit 0 env -u XDG_STATE_HOME -u XDG_RUNTIME_DIR HOME="$mine" \
    setpriv --reuid=$ME --regid=$ME --clear-groups "$mine/bin/tact" list
grep -q finished "$TMPD/out" || fail "list: $(cat "$TMPD/out")"

# 5. HOME that does not exist: refused, and never made.
expect_exit 2 env -u XDG_STATE_HOME -u XDG_RUNTIME_DIR HOME="$TMPD/nonexistent" \
    "$TACT" scan -sT -T brisk -p $((B + 1)) 127.0.0.1
expect_one_line_error
[ ! -e "$TMPD/nonexistent" ] || fail "HOME=$TMPD/nonexistent was made"
exit 0
