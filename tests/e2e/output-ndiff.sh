#!/bin/sh
# ndiff reads tact's XML as it reads Nmap's: the same scan of loopback
# ports (some listening, some closed) by nmap and by tact, connect and,
# as root, SYN, shows no difference in host or port states. Service
# names may differ (tact names ports from /etc/services); the header
# lines always differ. Then one listener stops, and ndiff must see it.
. "$TESTS_SRCDIR/e2e/lib.sh"
. "$TESTS_SRCDIR/e2e/output-lib.sh"

command -v nmap >/dev/null || skip "nmap is not installed"
command -v ndiff >/dev/null || skip "ndiff is not installed"

# state_lines FILE SIGN: the "port state" of each port line ndiff marked.
state_lines() {
	grep -E "^[$2][0-9]+/(tcp|udp) " "$1" | cut -c2- |
	    awk '{ print $1, $2 }' | sort
}

# same_states A.xml B.xml: fail on any host or port state difference.
same_states() {
	ndiff "$1" "$2" >"$TMPD/ndiff"
	rc=$?
	[ $rc -le 1 ] || fail "ndiff $1 $2 exited $rc"
	other=$(grep -E '^[-+]' "$TMPD/ndiff" |
	    grep -vE '^(-Nmap|\+tact) [0-9.]+ scan initiated ' |
	    grep -vE '^[-+][0-9]+/(tcp|udp) ')
	[ -z "$other" ] || fail "ndiff: host differences: $other"
	[ "$(state_lines "$TMPD/ndiff" -)" = "$(state_lines "$TMPD/ndiff" +)" ] ||
	    fail "ndiff: port states differ: $(cat "$TMPD/ndiff")"
}

open1=$(free_port)
listen "$open1"
open2=$(free_port)
listen "$open2"
closed1=$(free_port)
closed2=$(free_port)
ports="$open1,$closed1,$open2,$closed2"

techniques=-sT
[ "$(id -u)" = 0 ] && techniques="-sT -sS"
for t in $techniques; do
	nmap -n -Pn "$t" -p "$ports" 127.0.0.1 -oX "$TMPD/nmap$t.xml" \
	    >/dev/null 2>&1 || fail "nmap $t failed"
	grep -q "portid=\"$open1\"><state state=\"open\"" "$TMPD/nmap$t.xml" ||
	    fail "nmap $t did not see $open1 open"
	expect_exit 0 "$TACT" scan "$t" -Pn -p "$ports" 127.0.0.1 \
	    -oX "$TMPD/tact$t.xml"
	same_states "$TMPD/nmap$t.xml" "$TMPD/tact$t.xml"
done

# The comparison can fail: with one listener gone, ndiff must say so.
stop_listeners
listen "$open2"
expect_exit 0 "$TACT" scan -sT -Pn -p "$ports" 127.0.0.1 -oX "$TMPD/after.xml"
ndiff "$TMPD/nmap-sT.xml" "$TMPD/after.xml" >"$TMPD/ndiff"
grep -q "^-$open1/tcp open" "$TMPD/ndiff" &&
    grep -q "^+$open1/tcp closed" "$TMPD/ndiff" ||
    fail "ndiff did not see $open1 close: $(cat "$TMPD/ndiff")"
exit 0
