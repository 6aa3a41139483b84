# A hostile scanned host: "forger" (198.19.0.30) runs lab-forge, which
# captures every probe sent to it and, for each, forges answers for the
# other hosts' ports from what it saw: ICMP port unreachables as the
# other host and as itself, administrative prohibitions as a router
# would send them, and SYN-ACKs, for nearby source ports. The other
# hosts, "far" behind the router and "near" on the scanner's link, have
# open, closed and dropped ports of both protocols. A -sS -sU scan of
# the three must give the same states with the forger at work as
# without it, and the forger must have seen probes and forged answers;
# so must the same scan from a fixed source port (-g 53), where the
# forger's guesses of the source port are right.
. "$TESTS_SRCDIR/lab/lab.sh"

command -v jq >/dev/null 2>&1 || skip "needs jq"
[ -x "$LAB_BIN/lab-forge" ] || fail "$LAB_BIN/lab-forge: not built"

TCP=22,200-205,210
UDP=53,100-105,110

lab_up
lab_host forger 198.19.0.30
lab_host far 198.19.0.31 drop-tcp=200-205 drop-udp=100-105
lab_host near 198.18.0.32 drop-tcp=200-205 drop-udp=100-105
for h in far near; do
	lab_listen "$h" tcp 22
	lab_listen "$h" udp 53
done

# scan NAME [ARGS...]: scan the three hosts into $TMPD/NAME.json, print
# "addr proto port state" lines, sorted.
scan() {
	scan_name=$1
	shift
	lab_exec scanner "$TACT" scan --purpose "lab test" \
	    --i-have-permission -T standard -sS -sU -p "T:$TCP,U:$UDP" \
	    -oJ "$TMPD/$scan_name.json" "$@" \
	    198.19.0.30 198.19.0.31 198.18.0.32 \
	    >"$TMPD/$scan_name.out" 2>"$TMPD/$scan_name.err" ||
	    fail "$scan_name: scan failed: $(cat "$TMPD/$scan_name.err")"
	jq -r 'select(.type == "host") | .address as $a |
	    (.ports[]? | "\($a) \(.protocol) \(.port) \(.state)")' \
	    "$TMPD/$scan_name.json" | sort
}

# The states without the forger, as the hosts' policies make them.
scan clean >"$TMPD/clean"
for a in 198.19.0.31 198.18.0.32; do
	for p in 200 201 202 203 204 205; do
		echo "$a tcp $p filtered"
		echo "$a udp $((p - 100)) open|filtered"
	done
	echo "$a tcp 22 open"
	echo "$a tcp 210 closed"
	echo "$a udp 53 open"
	echo "$a udp 110 closed"
done | sort >"$TMPD/want"
grep -v '^198\.19\.0\.30 ' "$TMPD/clean" >"$TMPD/clean-others"
diff "$TMPD/want" "$TMPD/clean-others" >"$TMPD/diff" ||
    fail "clean scan: states differ (want < > got): $(head -20 "$TMPD/diff")"

ready=$TMPD/forge.ready
lab_exec forger "$LAB_BIN/lab-forge" -i eth0 -r "$ready" -t "$TCP" \
    -u "$UDP" 198.19.0.30 198.19.0.31 198.18.0.32 \
    >"$TMPD/forge.out" 2>"$TMPD/forge.err" &
forge_pid=$!
i=0
while [ ! -s "$ready" ]; do
	kill -0 $forge_pid 2>/dev/null ||
	    fail "lab-forge: $(cat "$TMPD/forge.err")"
	[ $i -lt 100 ] || fail "lab-forge: not ready after 10 s"
	i=$((i + 1))
	sleep 0.1
done

scan forged >"$TMPD/forged"
scan fixed -g 53 >"$TMPD/fixed"
kill -TERM "$(cat "$ready")"
wait $forge_pid || fail "lab-forge: $(cat "$TMPD/forge.err")"
read -r w1 seen w2 forged <"$TMPD/forge.out" ||
    fail "lab-forge: no count: $(cat "$TMPD/forge.err")"
[ "$seen" -gt 0 ] && [ "$forged" -gt 0 ] ||
    fail "lab-forge: saw $seen probes and forged $forged answers"
echo "lab-forge: saw $seen probes, forged $forged answers"
diff "$TMPD/clean" "$TMPD/forged" >"$TMPD/diff" ||
    fail "forged answers changed results (clean < > forged, $forged" \
        "forged from $seen probes): $(head -20 "$TMPD/diff")"
diff "$TMPD/clean" "$TMPD/fixed" >"$TMPD/diff" ||
    fail "forged answers changed results of -g 53 (clean < > forged):" \
        "$(head -20 "$TMPD/diff")"
exit 0
