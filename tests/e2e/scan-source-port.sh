#!/bin/sh
# -g: a capture on loopback shows every SYN and UDP probe of a scan of
# 127.0.0.1 and ::1 leaving from the port given, and the states are
# still right; without -g the probes come from keyed ports.
. "$TESTS_SRCDIR/e2e/lib.sh"

command -v socat >/dev/null || skip "socat is not installed"
command -v ss >/dev/null || skip "ss (iproute2) is not installed"
command -v tcpdump >/dev/null || skip "tcpdump is not installed"
[ "$(id -u)" = 0 ] || skip "raw scans need root"
[ -e /proc/net/if_inet6 ] || skip "no IPv6"

PIDS=
trap 'for p in $PIDS; do kill $p 2>/dev/null; done; rm -rf "$TMPD"' EXIT INT TERM

open=$(free_port)
closed=$(free_port)
while [ "$closed" = "$open" ]; do
	closed=$(free_port)
done
socat TCP6-LISTEN:$open,bind=[::],reuseaddr,fork /dev/null &
PIDS="$PIDS $!"
i=0
until [ -n "$(ss -Htln "sport = :$open")" ]; do
	[ $i -lt 50 ] || fail "socat did not listen on $open"
	i=$((i + 1))
	sleep 0.1
done

# capture NAME ARGS...: tact scan ARGS under tcpdump on lo; what went to
# the two ports (probes, and the kernel's RSTs after a SYN-ACK) into
# $TMPD/NAME.txt.
capture() {
	name=$1
	shift
	tcpdump -i lo -nn -U --immediate-mode -Z root -w "$TMPD/$name.pcap" \
	    "(tcp or udp) and (dst port $open or dst port $closed)" \
	    2>"$TMPD/$name.tcpdump" &
	tpid=$!
	PIDS="$PIDS $tpid"
	i=0
	until grep -qs listening "$TMPD/$name.tcpdump"; do
		[ $i -lt 50 ] ||
		    fail "tcpdump did not start: $(cat "$TMPD/$name.tcpdump")"
		i=$((i + 1))
		sleep 0.1
	done
	expect_exit 0 "$TACT" scan "$@"
	sleep 0.5
	kill $tpid
	wait $tpid
	tcpdump -nn -r "$TMPD/$name.pcap" 2>/dev/null >"$TMPD/$name.txt"
}

# The source ports of the probes in a capture, one a line, sorted.
sports() {
	sed -n 's/.* IP6\{0,1\} [0-9a-f:.]*\.\([0-9]*\) > .*/\1/p' "$1" | sort -u
}

capture syn -sS -Pn --max-retries 2 -g 53 -p $open,$closed 127.0.0.1 ::1
[ "$(grep -c "^$open/tcp  *open" "$TMPD/out")" = 2 ] &&
    [ "$(grep -c "^$closed/tcp  *closed" "$TMPD/out")" = 2 ] ||
    fail "-g 53: states: $(cat "$TMPD/out")"
[ "$(grep -c 'Flags \[S\]' "$TMPD/syn.txt")" -ge 4 ] ||
    fail "-g 53: fewer than 4 SYNs captured: $(cat "$TMPD/syn.txt")"
grep -q "^[0-9:.]* IP 127.0.0.1.53 > 127.0.0.1.$open: Flags \[S\]" \
    "$TMPD/syn.txt" &&
    grep -q "^[0-9:.]* IP6 ::1.53 > ::1.$closed: Flags \[S\]" \
    "$TMPD/syn.txt" ||
    fail "-g 53: no SYN from port 53: $(cat "$TMPD/syn.txt")"
[ "$(sports "$TMPD/syn.txt")" = 53 ] ||
    fail "-g 53: SYNs from other ports: $(cat "$TMPD/syn.txt")"

# UDP: the kernel answers the closed port of each host.
capture udp -sU -Pn -g 5353 -p $closed 127.0.0.1 ::1
[ "$(grep -c "^$closed/udp  *closed" "$TMPD/out")" = 2 ] ||
    fail "-g 5353: states: $(cat "$TMPD/out")"
[ "$(grep -c . "$TMPD/udp.txt")" -ge 2 ] ||
    fail "-g 5353: fewer than 2 datagrams: $(cat "$TMPD/udp.txt")"
[ "$(sports "$TMPD/udp.txt")" = 5353 ] ||
    fail "-g 5353: datagrams from other ports: $(cat "$TMPD/udp.txt")"

# Without -g, keyed ports: never 53, and a port per (host, port).
capture keyed -sS -Pn -p $open,$closed 127.0.0.1 ::1
[ "$(sports "$TMPD/keyed.txt" | grep -c .)" -ge 4 ] ||
    fail "keyed: fewer than 4 source ports: $(cat "$TMPD/keyed.txt")"
exit 0
