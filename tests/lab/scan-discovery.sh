# Host discovery in the lab: ARP finds a host on the scanner's own link
# that drops ICMP and every port, a SYN to 22 finds one that answers on
# 22 alone, ICMP timestamp one that drops echo; an empty address is
# down; -sn stops after discovery and -Pn scans a host that answers
# nothing.
. "$TESTS_SRCDIR/lab/lab.sh"

command -v jq >/dev/null 2>&1 || skip "needs jq"

lab_up
lab_host near 198.18.0.20 only-tcp=9
lab_host strict 198.19.0.12 only-tcp=22
lab_host noping 198.19.0.13 no-ping
lab_listen strict tcp 22

# scan NAME ARGS...: a scan from the scanner, its JSON in $TMPD/NAME.json.
scan() {
	name=$1
	shift
	lab_exec scanner "$TACT" scan \
	    --purpose "lab test" --i-have-permission -oJ "$TMPD/$name.json" \
	    "$@" >"$TMPD/$name.out" 2>"$TMPD/$name.err" ||
	    fail "scan $*: $(cat "$TMPD/$name.err")"
}

# up NAME: the hosts up in a scan, "address reason", one a line.
up() {
	jq -r 'select(.type == "host" and .state == "up") |
	    "\(.address) \(.reason)"' "$TMPD/$1.json" | sort | tr '\n' ' '
}

scan sweep -T ping-sweep -sn 198.18.0.20-21 198.19.0.12-14
got=$(up sweep)
want="198.18.0.20 arp-response 198.19.0.12 syn-ack 198.19.0.13 timestamp-reply "
[ "$got" = "$want" ] || fail "-sn found \"$got\", wanted \"$want\""
n=$(jq -r 'select(.type == "host") | .ports | length' "$TMPD/sweep.json" |
    sort -u | tr '\n' ' ')
[ "$n" = "0 " ] || fail "-sn probed ports: $n"

scan pn -T standard -Pn -p 20-25 198.19.0.14
got=$(jq -r 'select(.type == "host") | "\(.state) \(.reason) " +
    ([.ports[] | .state] | unique | join(","))' "$TMPD/pn.json")
[ "$got" = "up user-set filtered" ] || fail "-Pn on an empty address: $got"
exit 0
