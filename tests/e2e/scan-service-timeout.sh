# host_timeout cuts -sV too: a service on loopback that says one byte a
# second and never stops keeps -sV busy for its probes' whole wait (6 s), so
# with --host-timeout 3s the host is abandoned during its service phase
# and reported as Nmap reports a host that timed out (Skipping host, in
# XML timedout="true" with no ports), long before -sV would have ended;
# a host timeout the scan does not reach changes nothing.
. "$TESTS_SRCDIR/e2e/lib.sh"
. "$TESTS_SRCDIR/e2e/scan-live-lib.sh"

P=$(port_block 1)
socat TCP-LISTEN:$P,bind=127.0.0.1,reuseaddr,fork \
    SYSTEM:'while printf x; do sleep 1; done' 2>/dev/null &
LIVE_PIDS="$LIVE_PIDS $!"
i=0
until [ -n "$(ss -Htln "sport = :$P")" ]; do
	[ $i -lt 50 ] || fail "socat did not listen on $P"
	i=$((i + 1))
	sleep 0.1
done
mkdir "$TMPD/none"
SCAN="-sT -sV --version-intensity 0 --datadir $TMPD/none -T brisk -p $P"

start=$(date +%s)
expect_exit 0 "$TACT" scan $SCAN --host-timeout 3s -oX "$TMPD/t.xml" 127.0.0.1
took=$(($(date +%s) - start))
grep -q "^Skipping host 127.0.0.1 due to host timeout$" "$TMPD/out" ||
    fail "not skipped: $(cat "$TMPD/out")"
grep -q '<host [^>]*timedout="true"' "$TMPD/t.xml" ||
    fail "XML: $(cat "$TMPD/t.xml")"
! grep -q '<port ' "$TMPD/t.xml" || fail "XML has ports: $(cat "$TMPD/t.xml")"
[ $took -le 10 ] || fail "the timed-out scan took $took s"

expect_exit 0 "$TACT" scan $SCAN --host-timeout 5m 127.0.0.1
grep -Eq "^$P/tcp +open " "$TMPD/out" && ! grep -q Skipping "$TMPD/out" ||
    fail "without a timeout reached: $(cat "$TMPD/out")"
exit 0
