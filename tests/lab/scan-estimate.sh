# `tact estimate` against the probes a scan really sends: 200 ports of a
# plain host, a host dropping 30 of them, one dropping ICMP and all TCP
# but port 22 and 180 of the 200, and one losing 10% of what it
# receives, with `standard` and with `polite`. For each host, the probes
# the scan sent it (its final count in -oJ) lie between the estimate's
# best and worst for that host alone, and the scan's total between the
# estimate's for all four.
. "$TESTS_SRCDIR/lab/lab.sh"

command -v jq >/dev/null 2>&1 || skip "needs jq"

lab_up
lab_host plain 198.19.0.10
lab_host dropper 198.19.0.11 drop-tcp=1100-1129
lab_host strict 198.19.0.12 only-tcp=22,1000-1179
lab_host lossy 198.19.0.14 loss=10
lab_listen plain tcp 1000 1100
lab_listen dropper tcp 1001
lab_listen strict tcp 22 1002
lab_listen lossy tcp 1050

hosts="198.19.0.10 198.19.0.11 198.19.0.12 198.19.0.14"
opts="--purpose lab-test --i-have-permission -p 1000-1199"

# estimate_range PROFILE TARGET...: "best worst" from `tact estimate`.
estimate_range() {
	prof=$1
	shift
	# shellcheck disable=SC2086
	lab_exec scanner "$TACT" estimate $opts -T "$prof" "$@" \
	    >"$TMPD/est" 2>"$TMPD/esterr" ||
	    fail "estimate failed: $(cat "$TMPD/esterr")"
	sed -n 's/^probes *\([0-9]*\) at best, \([0-9]*\) at worst.*/\1 \2/p' \
	    "$TMPD/est"
}

for prof in standard polite; do
	# shellcheck disable=SC2086
	lab_exec scanner "$TACT" scan $opts -T "$prof" \
	    -oJ "$TMPD/$prof.json" $hosts >"$TMPD/out" 2>"$TMPD/err" ||
	    fail "$prof: scan failed: $(cat "$TMPD/err")"
	jq -r 'select(.type == "host") | "\(.address) \(.state) \(.probes)"' \
	    "$TMPD/$prof.json" >"$TMPD/sent"
	[ "$(grep -c ' up ' "$TMPD/sent")" = 4 ] ||
	    fail "$prof: not every host up: $(cat "$TMPD/sent")"
	total=0
	while read -r addr state sent; do
		# shellcheck disable=SC2046
		set -- $(estimate_range "$prof" "$addr")
		[ $# = 2 ] || fail "$prof: no probes line: $(cat "$TMPD/est")"
		[ "$1" -le "$sent" ] && [ "$sent" -le "$2" ] ||
		    fail "$prof: $addr was sent $sent probes, the estimate" \
		    "says $1 to $2"
		echo "$prof: $addr: $1 <= $sent <= $2"
		total=$((total + sent))
	done <"$TMPD/sent"
	# shellcheck disable=SC2046,SC2086
	set -- $(estimate_range "$prof" $hosts)
	[ "$1" -le "$total" ] && [ "$total" -le "$2" ] ||
	    fail "$prof: $total probes sent, the estimate says $1 to $2"
	echo "$prof: all: $1 <= $total <= $2"
done
exit 0
