# The lab itself: it has no way out, every policy does what it says, the
# capture sees the traffic, and every exit path removes every namespace.
. "$TESTS_SRCDIR/lab/lab.sh"

# probe WANT ARGS...: lab-probe ARGS from the scanner prints WANT (lines
# joined by spaces).
probe() {
	want=$1
	shift
	got=$(echo $(lab_probe scanner "$@"))
	[ "$got" = "$want" ] || fail "lab-probe $*: \"$got\", wanted \"$want\""
}

# count STATE ARGS...: how many ports lab-probe ARGS finds in STATE.
count() {
	state=$1
	shift
	lab_probe scanner "$@" | grep -c " $state\$"
}

# within LO HI N WHAT: fail unless LO <= N <= HI.
within() {
	[ "$3" -ge "$1" ] && [ "$3" -le "$2" ] ||
	    fail "$4: $3, wanted $1 to $2"
}

# exited PID: wait up to 3 s for PID to exit (a zombie has); false if
# it does not.
exited() {
	i=0
	while [ -e /proc/$1 ] &&
	    [ "$(cut -d' ' -f3 /proc/$1/stat 2>/dev/null)" != Z ]; do
		[ $i -lt 30 ] || return 1
		i=$((i + 1))
		sleep 0.1
	done
}

# gone PID...: fail unless each process has exited.
gone() {
	for p in "$@"; do
		exited $p || fail "process $p outlived its lab"
	done
}

# pcap_count FILTER: how many captured packets match FILTER.
pcap_count() {
	tcpdump -r "$TMPD/scanner.pcap" -n "$1" 2>/dev/null | wc -l
}

# no_namespaces PREFIX: none of a run's namespaces is left.
no_namespaces() {
	left=$(ip netns list | grep -c "^$1")
	[ "$left" = 0 ] || fail "$left namespaces of $1 left: $(ip netns list)"
}

lab_up
prefix=$LAB_PREFIX
lab_host web 198.19.0.10
lab_host fw 198.19.0.11 drop-tcp=443 reject-tcp=8443 no-ping
lab_host strict 198.19.0.12 only-tcp=22
lab_host slow 198.19.0.13 rst-rate=5 icmp-rate=5
lab_host lossy 198.19.0.14 loss=50
lab_host near 198.18.0.20
lab_listen -b SSH-2.0-lab web tcp 22
lab_listen web tcp 80
lab_listen web udp 53
lab_listen fw tcp 80 443 8443
lab_listen strict tcp 22 80
lab_listen strict udp 53

# No way out: no default route, nothing outside the lab routable, every
# link between two lab namespaces, forwarding in the router alone.
for ns in $(ip netns list | sed -n "s/^\($prefix[^ ]*\).*/\1/p"); do
	for v in 4 6; do
		[ -z "$(ip -n "$ns" -$v route show default)" ] ||
		    fail "$ns has an IPv$v default route"
	done
	for a in 8.8.8.8 192.0.2.1 2001:4860:4860::8888 2001:db8::1; do
		ip -n "$ns" route get "$a" >/dev/null 2>"$TMPD/err" &&
		    fail "$ns has a route to $a"
		grep -q 'Network is unreachable' "$TMPD/err" ||
		    fail "$ns: route get $a: $(cat "$TMPD/err")"
	done
	ip -n "$ns" -o -d link show type veth >"$TMPD/veth"
	[ "$(grep -vc "link-netns $prefix" "$TMPD/veth")" = 0 ] ||
	    fail "$ns has a link out of the lab: $(cat "$TMPD/veth")"
	fwd=$(ip netns exec "$ns" cat /proc/sys/net/ipv4/ip_forward)
	case $ns in
	*-router)
		[ "$fwd" = 1 ] || fail "the router does not forward" ;;
	*)
		[ "$fwd" = 0 ] || fail "$ns forwards" ;;
	esac
done
[ "$(ip netns list | grep -c "^$prefix")" = 8 ] ||
    fail "not 8 namespaces: $(ip netns list)"
for a in $(ip -o addr show scope global | awk '{ print $4 }'); do
	case $a in
	198.18.*|198.19.*|2001:2:*)
		continue ;;
	esac
	lab_exec scanner ip route get "${a%/*}" >/dev/null 2>&1 &&
	    fail "the scanner can reach the host's address ${a%/*}"
done

lab_pcap_start "$TMPD/scanner.pcap"

# web: no policy.
probe "22 open 80 open 81 closed" tcp 198.19.0.10 22 80 81
probe "22 open 80 open 81 closed" tcp "$(lab_addr web 6)" 22 80 81
probe "53 open 54 closed" udp 198.19.0.10 53 54
probe "53 open 54 closed" udp 2001:2:0:2::10 53 54
probe 3 -c 3 ping 198.19.0.10
probe 3 -c 3 ping 2001:2:0:2::10
banner=$(lab_exec scanner socat -T 2 -u TCP:198.19.0.10:22 - | tr -d '\r')
[ "$banner" = SSH-2.0-lab ] || fail "banner: \"$banner\""
echo=$(echo hello | lab_exec scanner socat -T 2 - UDP:198.19.0.10:53)
[ "$echo" = hello ] || fail "UDP echo: \"$echo\""

# fw: one port dropped, one rejected, no echo replies.
probe "80 open 443 timeout 8443 unreach 444 closed" tcp 198.19.0.11 \
    80 443 8443 444
probe 0 -c 3 ping 198.19.0.11
probe 0 -c 3 ping 2001:2:0:2::11

# strict: port 22 alone, even for a listening port 80, UDP and ICMP.
probe "22 open 80 timeout 23 timeout" tcp 198.19.0.12 22 80 23
probe "22 open 80 timeout" tcp 2001:2:0:2::12 22 80
probe "53 timeout" udp 198.19.0.12 53
probe 0 -c 3 ping 198.19.0.12

# slow: at most 5 RSTs and 5 ICMP errors a second (burst 5); web, the
# control, answers all 40 at once.
within 1 12 "$(count closed -t 900 tcp 198.19.0.13 2000-2039)" \
    "RSTs from a host limited to 5/s"
within 1 12 "$(count closed -t 900 udp 198.19.0.13 2000-2039)" \
    "port unreachables from a host limited to 5/s"
within 40 40 "$(count closed -t 900 tcp 198.19.0.10 2000-2039)" \
    "RSTs from an unlimited host"
within 1 12 "$(count closed -t 900 udp 2001:2:0:2::13 2000-2039)" \
    "IPv6 port unreachables from a host limited to 5/s"
within 40 40 "$(count closed -t 900 udp 198.19.0.10 2000-2039)" \
    "port unreachables from an unlimited host"
within 40 40 "$(count closed -t 900 udp 2001:2:0:2::10 2000-2039)" \
    "IPv6 port unreachables from an unlimited host"

# lossy: half the echo requests lost (binomial: 20..80 of 100 is sure).
within 20 80 "$(lab_probe scanner -c 100 ping 198.19.0.14)" \
    "echo replies of 100 at 50% loss"

# near: on the scanner's own link, so the scanner itself resolves it.
probe 1 ping 198.18.0.20
lab_exec scanner ip neigh show 198.18.0.20 | grep -q lladdr ||
    fail "198.18.0.20 is not a neighbour of the scanner"

# An address with no host: the router's ARP or ND gives up after about
# 3 s and it answers host (address) unreachable.
t0=$(date +%s)
lab_probe scanner -t 8000 tcp 2001:2:0:2::99 80 >"$TMPD/nohost6" &
probe "80 unreach" -t 8000 tcp 198.19.0.99 80
wait $!
[ "$(cat "$TMPD/nohost6")" = "80 unreach" ] ||
    fail "2001:2:0:2::99: $(cat "$TMPD/nohost6")"
within 2 6 $(($(date +%s) - t0)) "seconds to host unreachable"

# A link down loses everything; up again, the host is back.
lab_link_down web
probe "80 timeout" tcp 198.19.0.10 80
lab_link_up web
probe "80 open" tcp 198.19.0.10 80

# A bad policy fails in a subshell and leaves the lab standing.
(lab_policy web no-such-policy) 2>"$TMPD/err" && fail "bad policy accepted"
grep -q 'unknown policy' "$TMPD/err" || fail "bad policy: $(cat "$TMPD/err")"
probe "80 open" tcp 198.19.0.10 80

lab_pcap_stop
within 1 99 "$(pcap_count 'dst 198.19.0.10 and tcp dst port 80 and
    tcp[tcpflags] == tcp-syn')" "SYNs to web:80 captured"
within 1 99 "$(pcap_count 'src 198.19.0.10 and tcp src port 81 and
    tcp[tcpflags] & tcp-rst != 0')" "RSTs from web:81 captured"
within 3 3 "$(pcap_count 'dst 198.19.0.10 and icmp[icmptype] == icmp-echo')" \
    "echo requests to web captured"
within 1 99 "$(pcap_count 'src 198.18.0.1 and
    icmp[icmptype] == icmp-unreach')" "host unreachables from the router"

pids=$(for ns in $(ip netns list | sed -n "s/^\($prefix[^ ]*\).*/\1/p"); do
	ip netns pids "$ns"
done)
[ -n "$pids" ] || fail "no listener runs in the lab"
lab_down
no_namespaces "$prefix"
gone $pids

# A test that fails half-way leaves nothing behind.
sh -c '. "$TESTS_SRCDIR/lab/lab.sh"
	lab_up
	lab_host a 198.19.0.10
	lab_listen a tcp 80
	echo "$LAB_PREFIX" >"$1"
	ip netns pids "${LAB_PREFIX}h-a" >"$2"
	false || fail "half-way"' sh "$TMPD/prefix1" "$TMPD/pids1" \
    2>"$TMPD/err"
rc=$?
[ $rc = 1 ] || fail "a failing lab test exited $rc: $(cat "$TMPD/err")"
grep -q 'FAIL: half-way' "$TMPD/err" || fail "failing: $(cat "$TMPD/err")"
[ -s "$TMPD/prefix1" ] && [ -s "$TMPD/pids1" ] ||
    fail "the failing lab test did not get half-way: $(cat "$TMPD/err")"
no_namespaces "$(cat "$TMPD/prefix1")"
gone $(cat "$TMPD/pids1")

# A test killed while it waits leaves nothing behind either.
sh -c '. "$TESTS_SRCDIR/lab/lab.sh"
	lab_up
	lab_host a 198.19.0.10
	lab_listen a tcp 80
	echo "$LAB_PREFIX" >"$1.tmp"
	mv "$1.tmp" "$1"
	wait' sh "$TMPD/prefix2" 2>"$TMPD/err" &
child=$!
i=0
until [ -s "$TMPD/prefix2" ]; do
	[ $i -lt 100 ] || fail "the lab test to kill never got going"
	i=$((i + 1))
	sleep 0.1
done
pids=$(ip netns pids "$(cat "$TMPD/prefix2")h-a")
[ -n "$pids" ] || fail "nothing runs in the lab test to kill"
kill -TERM $child
if ! exited $child; then
	kill -KILL $child
	LAB_PREFIX=$(cat "$TMPD/prefix2")	# for the EXIT trap's lab_down
	fail "a lab test ignored SIGTERM"
fi
wait $child
rc=$?
[ $rc = 143 ] || fail "a killed lab test exited $rc: $(cat "$TMPD/err")"
no_namespaces "$(cat "$TMPD/prefix2")"
gone $pids
exit 0
