# Shards keep the per-host limits: three shards of one `polite` scan run
# at once against the same six lab hosts, captured at the router. Each
# host is in one shard, so no host gets more than the profile's 10
# probes in any one-second window, however many shards run; then the
# shards, merged, hold every host and the open ports. Three shards split
# by pairs (--shard-pairs) all probe one host, each at a third of its
# rate: again no more than 10 a second.
. "$TESTS_SRCDIR/lab/lab.sh"

command -v jq >/dev/null 2>&1 || skip "needs jq"

lab_up
for i in 10 11 12 13 14 15; do
	lab_host h$i 198.19.0.$i
	lab_listen h$i tcp 10$i
done

# shards PCAP OPTION TARGETS: three shards at once, captured; then the
# probes in PCAP.pkts and the busiest second of a host in $worst.
shards() {
	lab_pcap_start "$1" src host 198.18.0.2
	for i in 1 2 3; do
		lab_exec scanner "$TACT" scan --purpose "lab test" \
		    --i-have-permission -T polite -p 1000-1039 --seed 19 \
		    $2 $i/3 --state-dir "$TMPD/state$2" $3 \
		    >"$TMPD/out$i" 2>"$TMPD/err$i" &
		eval job$i=$!
	done
	for i in 1 2 3; do
		eval wait \$job$i ||
		    fail "shard $i/3 failed: $(cat "$TMPD/err$i")"
	done
	sleep 0.5
	lab_pcap_stop
	tcpdump -tt -n -r "$1" 2>/dev/null |
	    grep -E 'Flags \[[S.]\],|ICMP (echo|time stamp) request' \
	    >"$1.pkts"
	lab_worst_second "$1.pkts" >"$TMPD/worst"
	read -r worst who hosts <"$TMPD/worst"
	[ "$worst" -le 10 ] || fail "$2: $who got $worst probes in one second"
}

shards "$TMPD/hosts.pcap" --shard 198.19.0.10-15
[ "$(wc -l <"$TMPD/hosts.pcap.pkts")" -ge 240 ] ||
    fail "the capture holds too few probes: $(wc -l <"$TMPD/hosts.pcap.pkts")"
[ "$hosts" = 6 ] || fail "probes went to $hosts hosts, not 6"
hosts_worst=$worst
shards "$TMPD/pairs.pcap" --shard-pairs 198.19.0.12
[ "$(wc -l <"$TMPD/pairs.pcap.pkts")" -ge 40 ] ||
    fail "the capture holds too few probes: $(wc -l <"$TMPD/pairs.pcap.pkts")"

"$TACT" merge -oJ "$TMPD/m.json" "$TMPD/state--shard" 2>"$TMPD/err" ||
    fail "merge: $(cat "$TMPD/err")"
jq -r 'select(.type == "host") | .address as $a |
    (.ports[]? | select(.state == "open") | "\($a) \(.port)")' \
    "$TMPD/m.json" | sort >"$TMPD/got"
for i in 10 11 12 13 14 15; do
	echo "198.19.0.$i 10$i"
done >"$TMPD/want"
diff "$TMPD/want" "$TMPD/got" >"$TMPD/diff" ||
    fail "merged open ports (want < > got): $(cat "$TMPD/diff")"
echo "busiest host second over 3 shards: $hosts_worst probes (hosts)," \
    "$worst (pairs)"
exit 0
