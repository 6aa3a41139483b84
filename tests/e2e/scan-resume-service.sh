# Resume of a -sV scan: killed (SIGKILL) after its ports were decided
# but while their services were still being probed (two listeners that
# greet as SSH two seconds after the connection), `tact resume` probes
# the open ports that have no service yet, and ends with the services
# and versions of an uninterrupted run, each port's service once.
. "$TESTS_SRCDIR/e2e/lib.sh"
. "$TESTS_SRCDIR/e2e/scan-live-lib.sh"

B=$(port_block 10)
cat >"$TMPD/greet" <<-'EOF2'
	sleep 2
	printf 'SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n'
	sleep 5
	EOF2
for p in $((B + 2)) $((B + 7)); do
	socat TCP-LISTEN:$p,bind=127.0.0.1,reuseaddr,fork \
	    SYSTEM:"sh $TMPD/greet" 2>/dev/null &
	LIVE_PIDS="$LIVE_PIDS $!"
	i=0
	until [ -n "$(ss -Htln "sport = :$p")" ]; do
		[ $i -lt 50 ] || fail "socat did not listen on $p"
		i=$((i + 1))
		sleep 0.1
	done
done
# tact's own table: the greeting is a hard match, at once.
mkdir "$TMPD/none"
SCAN="-sT -sV --datadir $TMPD/none -T brisk --seed 77 -p $B-$((B + 9))"

# services FILE: the open ports' lines of a normal output.
services() {
	grep -E '^[0-9]+/tcp +open' "$1"
}

expect_exit 0 "$TACT" scan $SCAN 127.0.0.1
cp "$TMPD/out" "$TMPD/ref.out"
[ "$(services "$TMPD/ref.out" | grep -c 'ssh .*OpenSSH 9.2p1')" = 2 ] ||
    fail "uninterrupted: $(cat "$TMPD/ref.out")"

"$TACT" scan $SCAN 127.0.0.1 >"$TMPD/kill.out" 2>"$TMPD/kill.err" &
pid=$!
LIVE_PIDS="$LIVE_PIDS $pid"
i=0
until ID=$("$TACT" list | awk 'NR == 3 { print $1 }') && [ -n "$ID" ]; do
	[ $i -lt 100 ] || fail "the second scan is not listed"
	i=$((i + 1))
	sleep 0.1
done
J=$(journal_of "$ID")
# Both ports decided open, no service recorded yet: kill it there.
i=0
until [ "$(journal_ports "$J" | awk '$3 == 1' | wc -l)" = 2 ]; do
	[ $i -lt 100 ] || fail "the ports were not decided"
	i=$((i + 1))
	sleep 0.05
done
kill -9 $pid
wait $pid 2>/dev/null
[ "$(journal_count "$J" 10)" = 0 ] ||
    fail "a service was recorded before the kill"
[ "$(state_of "$ID")" = interrupted ] || fail "listed as $(state_of "$ID")"

expect_exit 0 "$TACT" resume "$ID"
[ "$(services "$TMPD/out")" = "$(services "$TMPD/ref.out")" ] ||
    fail "resumed: $(cat "$TMPD/out"), not $(cat "$TMPD/ref.out")"
[ "$(journal_count "$J" 10)" = 2 ] ||
    fail "$(journal_count "$J" 10) service records, not 2"
exit 0
