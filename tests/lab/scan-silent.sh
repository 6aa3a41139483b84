# A host that goes silent mid-scan: its cable is pulled while a `polite`
# scan runs. tact notices within 10 s, sends it at most 20 more probes,
# warns, and finishes the other host.
. "$TESTS_SRCDIR/lab/lab.sh"

command -v jq >/dev/null 2>&1 || skip "needs jq"

lab_up
lab_host victim 198.19.0.10
lab_host other 198.19.0.11
lab_listen victim tcp 1000
lab_listen other tcp 1001

lab_pcap_start "$TMPD/scan.pcap" src host 198.18.0.2 and dst host 198.19.0.10
lab_exec scanner "$TACT" scan --purpose "lab test" --i-have-permission \
    -T polite -p 1000-1199 -oJ "$TMPD/scan.json" 198.19.0.10-11 \
    >"$TMPD/out" 2>"$TMPD/err" &
pid=$!
sleep 4
down=$(date +%s.%N)
lab_link_down victim
wait $pid || fail "scan failed: $(cat "$TMPD/err")"
lab_pcap_stop

silent=$(jq -r 'select(.type == "host" and .address == "198.19.0.10") |
    .silent' "$TMPD/scan.json")
[ "$silent" = true ] || fail "the victim is not marked silent"
grep -q 'went silent' "$TMPD/out" || fail "no warning: $(cat "$TMPD/out")"
n=$(jq -r 'select(.type == "host" and .address == "198.19.0.11") |
    .ports | length' "$TMPD/scan.json")
[ "$n" = 200 ] || fail "the other host has $n of 200 ports"

# Probes to the victim before and after the cable went, and the last
# one's time; a capture that saw none before could not see any after.
tcpdump -tt -n -r "$TMPD/scan.pcap" 2>/dev/null |
    grep -E 'Flags \[[S.]\],|ICMP (echo|time stamp) request' |
    awk -v d="$down" '$1 < d { b++ } $1 >= d { n++; last = $1 } END {
	printf "%d %d %.1f\n", b, n, n ? last - d : 0 }' >"$TMPD/after"
read -r before more secs <"$TMPD/after"
[ "$before" -gt 0 ] || fail "the capture saw no probe to the victim"
[ "$more" -le 20 ] || fail "$more probes after the cable went"
awk -v s="$secs" 'BEGIN { exit !(s <= 10) }' ||
    fail "still probing $secs s after the cable went"
echo "after the cable went: $more probes over $secs s"
exit 0
