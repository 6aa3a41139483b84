# UDP service detection (-sU -sV) against a real DNS server started in a
# lab host: dnsmasq on port 53, which the UDP scan's own DNS request
# already finds open, and on port 5300, where the scan's bytes get no
# answer (open|filtered) until the service probes' DNS request does. tact
# names the same service, product and version as `nmap -sU -sV` on both
# ports, with Nmap's nmap-service-probes and with tact's own table, and
# turns 5300 open with reason udp-response.
. "$TESTS_SRCDIR/lab/lab.sh"

for tool in jq xmllint nmap dnsmasq; do
	command -v "$tool" >/dev/null 2>&1 || skip "needs $tool"
done
[ -r /usr/share/nmap/nmap-service-probes ] ||
    skip "needs nmap's nmap-service-probes"

SRV=198.19.0.20
lab_up
lab_host srv $SRV
for p in 53 5300; do
	lab_exec srv dnsmasq -k --conf-file=/dev/null --no-resolv --no-hosts \
	    --port=$p --listen-address=$SRV --bind-interfaces --user=root \
	    --group=root --pid-file= >"$TMPD/dnsmasq-$p.out" 2>&1 &
done
i=0
until [ "$(lab_exec scanner nmap -n -Pn -sU -p 53 $SRV 2>/dev/null |
    grep -c '^53/udp *open ')" = 1 ]; do
	[ $i -lt 50 ] || fail "dnsmasq not up: $(cat "$TMPD"/dnsmasq-*.out)"
	i=$((i + 1))
	sleep 0.2
done

# scan NAME ARGS...: tact into $TMPD/NAME.json; "port state name|product|
# version" lines of its UDP ports.
scan() {
	scan_name=$1
	shift
	lab_exec scanner "$TACT" scan --purpose "lab test" \
	    --i-have-permission -T standard -Pn -sU -p 53,5300 \
	    -oJ "$TMPD/$scan_name.json" "$@" $SRV >"$TMPD/$scan_name.out" \
	    2>"$TMPD/$scan_name.err" ||
	    fail "$scan_name: tact failed: $(cat "$TMPD/$scan_name.err")"
	jq -r 'select(.type == "host") | .ports[] | "\(.port) \(.state) \(
	    .detection.name // "")|\(.detection.product // "")|\(
	    .detection.version // "")"' "$TMPD/$scan_name.json"
}

# Without -sV the scan's bytes get nothing from 5300.
scan plain >"$TMPD/plain"
grep -q '^53 open ' "$TMPD/plain" || fail "53 not open: $(cat "$TMPD/plain")"
grep -q '^5300 open|filtered ' "$TMPD/plain" ||
    fail "5300 not open|filtered without -sV: $(cat "$TMPD/plain")"

lab_exec scanner nmap -n -Pn -sU -sV -p 53,5300 -oX "$TMPD/nmap.xml" $SRV \
    >/dev/null 2>&1 || fail "nmap failed"
for p in 53 5300; do
	q="//port[@protocol='udp'][@portid='$p']"
	echo "$p $(xmllint --xpath "string($q/state/@state)" "$TMPD/nmap.xml") $(
	    xmllint --xpath "string($q/service/@name)" "$TMPD/nmap.xml")|$(
	    xmllint --xpath "string($q/service/@product)" "$TMPD/nmap.xml")|$(
	    xmllint --xpath "string($q/service/@version)" "$TMPD/nmap.xml")"
done >"$TMPD/nmap"
grep -q '^5300 open domain|dnsmasq|' "$TMPD/nmap" ||
    fail "nmap does not see dnsmasq on 5300: $(cat "$TMPD/nmap")"

mkdir -p "$TMPD/nodata"
for db in nmap own; do
	set -- -sV
	[ $db = nmap ] || set -- -sV --datadir "$TMPD/nodata"
	scan "$db" "$@" >"$TMPD/$db.got"
	diff "$TMPD/nmap" "$TMPD/$db.got" >"$TMPD/$db.diff" ||
	    fail "-sU -sV with $db's probes differs from nmap (nmap < > tact):" \
	    "$(cat "$TMPD/$db.diff")"
	[ "$(jq -r 'select(.type == "host") | .ports[] | select(.port ==
	    5300) | .reason' "$TMPD/$db.json")" = udp-response ] ||
	    fail "$db: 5300 is not open by udp-response: $(cat "$TMPD/$db.out")"
	grep -q '^5300/udp  *open  *domain .*dnsmasq' "$TMPD/$db.out" ||
	    fail "$db: normal output: $(cat "$TMPD/$db.out")"
done
exit 0
