# Fewest probes: a `polite` scan and `nmap -T2` discovering the same way
# (ICMP echo and timestamp, SYN to 22, 80, 443 and 3389, ACK to 80),
# each captured at the router in the same run, of a plain host, one that
# drops every port but 22 and ICMP, one that drops a range, one losing
# 10% of what it receives and an empty address. tact may send no more
# probes than nmap, every state must be right (the lossy host's too),
# and no host may get more than its 10 probes in any one-second window.
. "$TESTS_SRCDIR/lab/lab.sh"

command -v jq >/dev/null 2>&1 || skip "needs jq"
command -v nmap >/dev/null 2>&1 || skip "needs nmap"

lab_up
lab_host plain 198.19.0.10
lab_host strict 198.19.0.12 only-tcp=22
lab_host dropper 198.19.0.11 drop-tcp=10-29
lab_host lossy 198.19.0.14 loss=10
lab_listen plain tcp 22 80
lab_listen strict tcp 22
lab_listen dropper tcp 22
lab_listen lossy tcp 22
targets="198.19.0.10 198.19.0.11 198.19.0.12 198.19.0.14 198.19.0.16"
ports=1-40

# probes FILE: the probes in a capture (SYN, ACK, ICMP echo and
# timestamp requests; not the RSTs the kernel sends after a SYN-ACK).
probes() {
	tcpdump -tt -n -r "$1" 2>/dev/null |
	    grep -E 'Flags \[[S.]\],|ICMP (echo|time stamp) request'
}

lab_pcap_start "$TMPD/tact.pcap" src host 198.18.0.2
lab_exec scanner "$TACT" scan --purpose "lab test" --i-have-permission \
    -T polite -p $ports -oJ "$TMPD/scan.json" $targets \
    >"$TMPD/out" 2>"$TMPD/err" || fail "scan failed: $(cat "$TMPD/err")"
sleep 0.5
lab_pcap_stop
lab_pcap_start "$TMPD/nmap.pcap" src host 198.18.0.2
lab_exec scanner nmap -n -sS -T2 -PE -PP -PS22,80,443,3389 -PA80 \
    -p $ports $targets >"$TMPD/nmap.out" 2>&1 ||
    fail "nmap failed: $(tail -3 "$TMPD/nmap.out")"
sleep 0.5
lab_pcap_stop

jq -r 'select(.type == "host") | .address as $a |
    if .state == "up" then "\($a) host up" else empty end,
    (.ports[]? | "\($a) \(.port) \(.state)")' "$TMPD/scan.json" |
    sort >"$TMPD/got"
awk 'BEGIN {
	for (p = 1; p <= 40; p++) {
		print "198.19.0.10", p, (p == 22 || p == 80 ? "open" : "closed")
		d = p == 22 ? "open" : "closed"
		if (p >= 10 && p <= 29)
			d = "filtered"
		print "198.19.0.11", p, d
		print "198.19.0.12", p, (p == 22 ? "open" : "filtered")
		print "198.19.0.14", p, (p == 22 ? "open" : "closed")
	}
	for (h = 10; h <= 14; h++)
		if (h != 13)
			print "198.19.0." h, "host", "up"
}' | sort >"$TMPD/want"
diff "$TMPD/want" "$TMPD/got" >"$TMPD/diff" ||
    fail "states differ (want < > got): $(head -20 "$TMPD/diff")"

probes "$TMPD/tact.pcap" >"$TMPD/tact.pkts"
probes "$TMPD/nmap.pcap" >"$TMPD/nmap.pkts"
tp=$(wc -l <"$TMPD/tact.pkts")
np=$(wc -l <"$TMPD/nmap.pkts")
nup=$(grep -c '^Nmap scan report' "$TMPD/nmap.out")
echo "probes: tact polite $tp, nmap -T2 $np (nmap found $nup hosts up)"
[ "$nup" -eq 4 ] || fail "nmap found $nup hosts up, not 4: $(cat "$TMPD/nmap.out")"
[ "$tp" -le "$np" ] || fail "tact sent $tp probes, nmap -T2 $np"

lab_worst_second "$TMPD/tact.pkts" >"$TMPD/worst"
read -r worst who _ <"$TMPD/worst"
[ "$worst" -le 10 ] || fail "$who got $worst probes in one second"
exit 0
