# tact resume takes from a journal only what its owner, the caller,
# wrote, and checks that too. Anyone can write a valid journal (its CRC
# is no secret): one whose arguments add a target outside loopback is
# refused by the gate of a new scan (exit 3) before the engine starts; a
# journal of another user is refused before anything in it is read; a
# working directory in the journal is not taken, and a relative path in
# its arguments is refused; a scan started with relative paths records
# them absolute and resumes from any directory. Every crafted journal is
# resumed in a network namespace of its own with loopback alone, so that
# nothing could leave it even if the gate let something through; the
# real scan is of loopback. Needs root.
. "$TESTS_SRCDIR/e2e/lib.sh"
. "$TESTS_SRCDIR/e2e/scan-live-lib.sh"
[ "$(id -u)" = 0 ] || skip "not root: no network namespace, no file of another user"
command -v unshare >/dev/null || skip "unshare not installed"
command -v ip >/dev/null || skip "ip not installed"
JOURNAL="$TESTS_BUILDDIR/e2e/output-journal"
THEM=4245
OUTSIDE=198.18.77.7

B=$(port_block 60)
listen $((B + 1))
scans=$XDG_STATE_HOME/tact/scans
mkdir -p -m 700 "$XDG_STATE_HOME/tact" "$scans"
cat >"$TMPD/scope.yaml" <<EOF
reference: LOOP-1
authorized_by: "the tests"
valid_from: 2020-01-01
valid_until: 2099-12-31T23:59:59Z
networks:
  - 127.0.0.0/8
EOF

# isolated CMD...: CMD in a new network namespace with loopback alone.
isolated() {
	unshare -n sh -c 'ip link set lo up && exec "$@"' sh "$@"
}

# craft ID HOSTS PAIRS STRING...: an interrupted scan whose journal's
# scan-start record holds these.
craft() {
	id=$1
	shift
	mkdir -m 700 "$scans/$id"
	"$JOURNAL" "$scans/$id/journal" resume "$@" ||
	    fail "could not write the journal of $id"
	cp "$scans/$id/journal" "$TMPD/$id.before"
}

# untouched ID: the refused resume wrote nothing in the journal.
untouched() {
	cmp -s "$scans/$1/journal" "$TMPD/$1.before" ||
	    fail "$1: the journal changed: the engine ran"
	[ "$(state_of "$1")" = interrupted ] ||
	    fail "$1: listed as $(state_of "$1")"
}

# 1. The gate: a target the scope does not cover, or no scope and no
# permission, as a new scan would be refused.
ID=20261129-001500-0a01
craft $ID 2 2 "targets=127.0.0.1 $OUTSIDE" arg=-sT arg=-T arg=brisk \
    arg=-p arg=$((B + 1)) arg=--scope arg="$TMPD/scope.yaml" arg=127.0.0.1 \
    arg=$OUTSIDE
expect_exit 3 isolated "$TACT" resume $ID
expect_one_line_error
grep -q "$OUTSIDE: not in scope file" "$TMPD/err" ||
    fail "outside the scope: $(cat "$TMPD/err")"
untouched $ID
ID=20261129-001500-0a02
craft $ID 1 1 "targets=$OUTSIDE" arg=-sT arg=-T arg=brisk \
    arg=-p arg=$((B + 1)) arg=--purpose arg=audit arg=$OUTSIDE
expect_exit 3 isolated "$TACT" resume $ID
expect_one_line_error
grep -q -- "--i-have-permission" "$TMPD/err" ||
    fail "no permission: $(cat "$TMPD/err")"
untouched $ID

# 2. Another user's journal: refused before its arguments count.
ID=20261129-001500-0a03
craft $ID 2 2 "targets=127.0.0.1 $OUTSIDE" arg=-sT arg=-T arg=brisk \
    arg=-p arg=$((B + 1)) arg=127.0.0.1 arg=$OUTSIDE
chown $THEM:$THEM "$scans/$ID/journal"
expect_exit 2 isolated "$TACT" resume $ID
expect_one_line_error
grep -q "$ID/journal: owned by uid $THEM, not 0, refused" "$TMPD/err" ||
    fail "their journal: $(cat "$TMPD/err")"
untouched $ID

# 3. A working directory in the journal is not taken; a relative path
# in its arguments is refused.
mkdir "$TMPD/elsewhere" "$TMPD/here"
ID=20261129-001500-0a04
craft $ID 1 1 "targets=127.0.0.1" arg=-sT arg=-T arg=brisk \
    arg=-p arg=$((B + 1)) arg=-oN arg=out.nmap arg=127.0.0.1 \
    "cwd=$TMPD/elsewhere"
cd "$TMPD/here"
expect_exit 2 isolated "$TACT" resume $ID
expect_one_line_error
grep -q -- "$ID: -oN: \"out.nmap\": a relative path, and a resumed scan takes no directory from its journal" \
    "$TMPD/err" || fail "relative path: $(cat "$TMPD/err")"
[ ! -e "$TMPD/elsewhere/out.nmap" ] && [ ! -e "$TMPD/here/out.nmap" ] ||
    fail "the relative output was written"
untouched $ID
cd /

# 4. A real scan given relative paths records them absolute and resumes
# from another directory, writing where it was asked to.
mkdir "$TMPD/a"
echo 127.0.0.1 >"$TMPD/a/targets"
cd "$TMPD/a"
"$TACT" scan -sT -T brisk --max-rate 20 -p $B-$((B + 59)) -iL targets \
    -oN out.nmap >/dev/null 2>"$TMPD/int.err" &
pid=$!
LIVE_PIDS="$LIVE_PIDS $pid"
sleep 1
kill -INT $pid
wait $pid
rc=$?
[ $rc = 130 ] || fail "scan to interrupt: exit $rc: $(cat "$TMPD/int.err")"
ID=$(awk '{ print $3 }' "$TMPD/int.err")
args=$(tr '\0' '\n' <"$scans/$ID/journal" | grep '^arg=' | tr '\n' ' ')
case $args in
*"arg=-iL arg=$TMPD/a/targets arg=-oN arg=$TMPD/a/out.nmap "*) ;;
*) fail "recorded arguments: $args" ;;
esac
cd /
expect_exit 0 "$TACT" resume "$ID"
grep -q "^$((B + 1))/tcp *open" "$TMPD/a/out.nmap" ||
    fail "resumed output: $(cat "$TMPD/a/out.nmap" 2>&1)"
exit 0
