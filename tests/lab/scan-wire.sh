# --ttl and -e in the lab, seen from a capture at the router: every SYN
# leaves the scanner with the TTL (IPv6: hop limit) asked for; --ttl 1
# dies at the router, so the open port is not found open, while --ttl 2
# reaches it; -e sends through the interface named, here a link to
# nowhere in the scanner's namespace: nothing reaches the router's link,
# and the port is not found open.
. "$TESTS_SRCDIR/lab/lab.sh"

lab_up
lab_host web 198.19.0.30
lab_listen web tcp 22
addr6=$(lab_addr web 6)

# scan NAME ARGS...: a SYN scan of ports 22-23 from the scanner, its
# normal output in $TMPD/NAME.out; prints "PORT STATE" lines.
scan() {
	scan_name=$1
	shift
	lab_exec scanner "$TACT" scan --purpose "lab test" \
	    --i-have-permission -T4 -sS -Pn --max-retries 1 -p 22-23 "$@" \
	    >"$TMPD/$scan_name.out" 2>"$TMPD/$scan_name.err" ||
	    fail "$scan_name: scan failed: $(cat "$TMPD/$scan_name.err")"
	awk '$1 ~ /^2[23]\/tcp$/ { print $1, $2 }' "$TMPD/$scan_name.out"
}

# The SYNs the scanner sends (the RSTs its kernel answers a SYN-ACK
# with are not the scan's).
SYN='(ip and tcp[13] == 2) or (ip6 and ip6[6] == 6 and ip6[53] == 2)'

lab_pcap_start "$TMPD/ttl.pcap" "$SYN"
got=$(scan ttl5 --ttl 5 -e eth0 198.19.0.30)
[ "$got" = "22/tcp open
23/tcp closed" ] || fail "--ttl 5: $got"
got=$(scan ttl7 -6 --ttl 7 -e eth0 "$addr6")
[ "$got" = "22/tcp open
23/tcp closed" ] || fail "-6 --ttl 7: $got"
lab_pcap_stop
tcpdump -r "$TMPD/ttl.pcap" -n -v 2>/dev/null >"$TMPD/ttl.txt"
n4=$(grep -c '(tos 0x0, ttl 5,.*proto TCP' "$TMPD/ttl.txt")
n6=$(grep -c 'hlim 7, next-header TCP' "$TMPD/ttl.txt")
other=$(grep -c 'Flags \[S\]' "$TMPD/ttl.txt")
[ "$n4" -ge 2 ] && [ "$n6" -ge 2 ] && [ $((n4 + n6)) = "$other" ] ||
    fail "SYNs with TTL 5: $n4, hop limit 7: $n6, of $other: $(head -c 2000 "$TMPD/ttl.txt")"

# One hop: the router drops it. Two: it arrives.
got=$(scan ttl1 --ttl 1 198.19.0.30)
case $got in *"22/tcp open"*) fail "--ttl 1 passed the router: $got" ;; esac
got=$(scan ttl2 --ttl 2 198.19.0.30)
[ "$got" = "22/tcp open
23/tcp closed" ] || fail "--ttl 2: $got"

# -e: a link of the scanner's to nowhere (a veth pair, both ends in its
# namespace), with an address of its own.
lab_exec scanner ip link add tact0 type veth peer name tact1 ||
    fail "cannot make a veth pair"
lab_exec scanner ip addr add 198.18.7.2/24 dev tact0
lab_exec scanner ip link set tact0 up
lab_exec scanner ip link set tact1 up
lab_pcap_start "$TMPD/iface.pcap" "$SYN"
got=$(scan dummy -e tact0 198.19.0.30)
lab_pcap_stop
case $got in *"22/tcp open"*) fail "-e tact0 reached the host: $got" ;; esac
[ -n "$got" ] || fail "-e tact0: no ports: $(cat "$TMPD/dummy.out")"
n=$(tcpdump -r "$TMPD/iface.pcap" -n 2>/dev/null | wc -l)
[ "$n" = 0 ] || fail "-e tact0: $n packets on the scanner's link"
exit 0
