# Politeness on the wire: a `polite` scan of three lab hosts, captured at
# the router. No host gets more than its 10 probes in any one-second
# window, no probe is sent more than 1 + max_retries (3) times, every
# packet is well formed (tcpdump checks each checksum), and the states
# are still right.
. "$TESTS_SRCDIR/lab/lab.sh"

command -v jq >/dev/null 2>&1 || skip "needs jq"

lab_up
lab_host plain 198.19.0.10
lab_host lossy 198.19.0.14 loss=10
lab_host dropper 198.19.0.11 drop-tcp=1100-1119
lab_listen plain tcp 1000 1100
lab_listen lossy tcp 1050
lab_listen dropper tcp 1001

lab_pcap_start "$TMPD/scan.pcap" src host 198.18.0.2
lab_exec scanner "$TACT" scan --purpose "lab test" --i-have-permission \
    -T polite -p 1000-1149 -oJ "$TMPD/scan.json" \
    198.19.0.10 198.19.0.11 198.19.0.14 >"$TMPD/out" 2>"$TMPD/err" ||
    fail "scan failed: $(cat "$TMPD/err")"
sleep 0.5
lab_pcap_stop

jq -r 'select(.type == "host") | .address as $a |
    (.ports[]? | select(.state != "closed") | "\($a) \(.port) \(.state)")' \
    "$TMPD/scan.json" | sort >"$TMPD/got"
{
	echo "198.19.0.10 1000 open"
	echo "198.19.0.10 1100 open"
	echo "198.19.0.11 1001 open"
	i=1100
	while [ $i -le 1119 ]; do
		echo "198.19.0.11 $i filtered"
		i=$((i + 1))
	done
	echo "198.19.0.14 1050 open"
} | sort >"$TMPD/want"
diff "$TMPD/want" "$TMPD/got" >"$TMPD/diff" ||
    fail "states differ (want < > got): $(cat "$TMPD/diff")"

# The probes: SYN, ACK, ICMP echo and timestamp requests (not the RSTs
# the kernel sends to tear down what a SYN-ACK opened).
tcpdump -tt -n -r "$TMPD/scan.pcap" 2>/dev/null |
    grep -E 'Flags \[[S.]\],|ICMP (echo|time stamp) request' >"$TMPD/pkts"
[ "$(wc -l <"$TMPD/pkts")" -gt 400 ] ||
    fail "the capture holds too few packets: $(wc -l <"$TMPD/pkts")"

lab_worst_second "$TMPD/pkts" >"$TMPD/worst"
read -r worst who _ <"$TMPD/worst"
[ "$worst" -le 10 ] || fail "$who got $worst probes in one second"

# Each port probe at most 1 + 3 times (discovery uses 80 and 443 only).
awk '$6 == "Flags" && $7 == "[S]," {
	sub(":$", "", $5)
	n[$5]++
} END {
	for (k in n)
		if (n[k] > m) {
			m = n[k]
			w = k
		}
	print m, w
}' "$TMPD/pkts" >"$TMPD/tries"
read -r tries what <"$TMPD/tries"
[ "$tries" -le 4 ] || fail "$what was probed $tries times"

# Well formed: tcpdump verifies every checksum it can.
tcpdump -vv -n -r "$TMPD/scan.pcap" 2>/dev/null >"$TMPD/vv"
if grep -Eqi 'bad cksum|incorrect|truncated|\[\|' "$TMPD/vv"; then
	fail "malformed: $(grep -Ei 'bad cksum|incorrect|truncated|\[\|' "$TMPD/vv" | head -3)"
fi
tcp=$(grep -c 'Flags \[' "$TMPD/vv")
ok=$(grep -c 'Flags \[.*cksum 0x[0-9a-f]* (correct)' "$TMPD/vv")
[ "$tcp" = "$ok" ] || fail "$ok of $tcp TCP checksums verified correct"
echo "busiest host second: $worst probes; most tries of a port: $tries"
exit 0
