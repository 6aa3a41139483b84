# Detach: the engine leaves the terminal (a session of its own, no
# controlling terminal, stdio on /dev/null, SIGHUP ignored) once its scan
# directory is ready, and the command returns at once with the ID; the
# scan is then attached to and stopped from elsewhere, and attach, list
# and the journal agree. The stand-in engine detaches with cmd_detach.
. "$TESTS_SRCDIR/e2e/lib.sh"
. "$TESTS_SRCDIR/e2e/journal-feeder.sh"

expect_exit 0 "$FEEDER" -d 60000 500
set -- $(cat "$TMPD/out")
ID=$2
[ "$*" = "scan $ID detached; follow it with: tact attach $ID" ] ||
    fail "detach says: $*"
pid=$(cat "$XDG_STATE_HOME/tact/scans/$ID/lock")
FEEDER_PIDS="$FEEDER_PIDS $pid"
[ "$(state_of "$ID")" = running ] || fail "detached scan listed as $(state_of "$ID")"

set -- $(cat "/proc/$pid/stat")
[ "$6" = "$pid" ] || fail "not a session leader: session $6"
[ "$7" = 0 ] || fail "has a controlling terminal: $7"
for fd in 0 1 2; do
	[ "$(readlink "/proc/$pid/fd/$fd")" = /dev/null ] || fail "fd $fd: $(readlink "/proc/$pid/fd/$fd")"
done
kill -HUP "$pid"
sleep 0.2
kill -0 "$pid" 2>/dev/null || fail "SIGHUP ended the detached scan"

"$TACT" attach "$ID" >"$TMPD/attach" 2>"$TMPD/attach.err" &
apid=$!
sleep 0.5
expect_exit 0 "$TACT" stop "$ID"
wait $apid || fail "attach failed: $(cat "$TMPD/attach.err")"
# Gone, or a zombie when nothing reaps orphans here.
i=0
while [ -e "/proc/$pid" ] && [ "$(awk '{ print $3 }' "/proc/$pid/stat")" != Z ]; do
	i=$((i + 1))
	[ $i -lt 40 ] || fail "the scan outlived stop"
	sleep 0.05
done

set -- $(tail -n 1 "$TMPD/attach")
[ "$1 $2 $3" = "scan $ID stopped:" ] || fail "attach ends: $*"
up=$4 open=$7
set -- $("$TACT" list | grep "^$ID ")
[ "$2" = stopped ] && [ "$6" = "$up" ] && [ "$7" = "$open" ] ||
    fail "list ($*) disagrees with attach ($up up, $open open)"
[ "$(grep -c '^open ' "$TMPD/attach")" = "$open" ] ||
    fail "attach showed $(grep -c '^open ' "$TMPD/attach") open ports, counted $open"
exit 0
