#!/bin/sh
# A raw scan of 127.0.0.1 and ::1 together: each family is sent from its
# own address and its replies are told apart, so a port open on one
# family alone is open there and closed on the other (SYN and UDP), and
# each host's states are those nmap gives for it (-6 for ::1, one family
# a run).
. "$TESTS_SRCDIR/e2e/lib.sh"

command -v socat >/dev/null || skip "socat is not installed"
command -v ss >/dev/null || skip "ss (iproute2) is not installed"
command -v nmap >/dev/null || skip "nmap is not installed"
[ "$(id -u)" = 0 ] || skip "raw scans need root"
[ -e /proc/net/if_inet6 ] || skip "no IPv6"

PIDS=
trap 'for p in $PIDS; do kill $p 2>/dev/null; done; rm -rf "$TMPD"' EXIT INT TERM

# wait_listen PROTO PORT: ss shows a socket bound to it.
wait_listen() {
	i=0
	until [ -n "$(ss -H"$1"ln "sport = :$2")" ]; do
		[ $i -lt 50 ] || fail "socat did not listen on $2"
		i=$((i + 1))
		sleep 0.1
	done
}

v4=$(free_port)
v6=$(free_port)
closed=$(free_port)
while [ "$v6" = "$v4" ] || [ "$closed" = "$v4" ] || [ "$closed" = "$v6" ]; do
	v6=$(free_port)
	closed=$(free_port)
done
socat TCP4-LISTEN:$v4,bind=127.0.0.1,reuseaddr,fork /dev/null &
PIDS="$PIDS $!"
socat TCP6-LISTEN:$v6,bind=[::1],ipv6only=1,reuseaddr,fork /dev/null &
PIDS="$PIDS $!"
# The shell stays a second: socat writes the datagram to its input after
# the fork, and a shell gone by then made that write fail (EPIPE) and the
# answer go unsent, under load.
socat UDP6-RECVFROM:$v6,bind=[::1],ipv6only=1,fork SYSTEM:'echo up; sleep 1' &
PIDS="$PIDS $!"
wait_listen t $v4
wait_listen t $v6
wait_listen u $v6

# states FILE HOST: "PORT/PROTO STATE" of HOST in an XML output.
states() {
	awk -v h="$2" '/<address addr=/ { on = index($0, "\"" h "\"") > 0 }
	    on && /<port protocol=/ { print }' "$1" |
	    sed -e 's/.*protocol="\([a-z]*\)" portid="\([0-9]*\)">/\2\/\1 /' \
	    -e 's/<state state="\([a-z|]*\)".*/\1/' |
	    sort
}

# expect FILE HOST WANT...: HOST's states are exactly WANT.
expect() {
	f=$1
	h=$2
	shift 2
	got=$(states "$f" "$h" | tr '\n' ' ')
	want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
	[ "$got" = "$want" ] || fail "$h: got '$got', want '$want'"
}

ports=$v4,$v6,$closed
expect_exit 0 "$TACT" scan -sS -Pn -p $ports -oX - 127.0.0.1 ::1
cp "$TMPD/out" "$TMPD/syn.xml"
expect "$TMPD/syn.xml" 127.0.0.1 "$v4/tcp open" "$v6/tcp closed" \
    "$closed/tcp closed"
expect "$TMPD/syn.xml" ::1 "$v4/tcp closed" "$v6/tcp open" \
    "$closed/tcp closed"
grep -c '<status state="up"' "$TMPD/syn.xml" | grep -qx 2 ||
    fail "not two hosts up: $(cat "$TMPD/syn.xml")"

# The targets in any order, the normal report on stdout.
expect_exit 0 "$TACT" scan -sS -Pn -p $v6 ::1 127.0.0.1
grep -q '^tact scan report for ::1$' "$TMPD/out" &&
    grep -q '^tact scan report for 127.0.0.1$' "$TMPD/out" ||
    fail "not both hosts: $(cat "$TMPD/out")"

expect_exit 0 "$TACT" scan -sU -Pn -p $v6,$closed -oX - 127.0.0.1 ::1
cp "$TMPD/out" "$TMPD/udp.xml"
expect "$TMPD/udp.xml" 127.0.0.1 "$v6/udp closed" "$closed/udp closed"
expect "$TMPD/udp.xml" ::1 "$v6/udp open" "$closed/udp closed"

# nmap, one family a run, agrees with each host of the one scan.
for f in syn udp; do
	case $f in
	syn) args="-sS -Pn -p $ports" ;;
	udp) args="-sU -Pn -p $v6,$closed" ;;
	esac
	nmap $args -oX "$TMPD/n4.xml" 127.0.0.1 >/dev/null 2>&1 ||
	    fail "nmap $args 127.0.0.1 failed"
	nmap -6 $args -oX "$TMPD/n6.xml" ::1 >/dev/null 2>&1 ||
	    fail "nmap -6 $args ::1 failed"
	for h in 127.0.0.1 ::1; do
		n=$TMPD/n4.xml
		[ "$h" = ::1 ] && n=$TMPD/n6.xml
		want=$(states "$n" "$h")
		got=$(states "$TMPD/$f.xml" "$h")
		[ "$want" = "$got" ] || fail "$f $h: nmap $want, tact $got"
	done
done
exit 0
