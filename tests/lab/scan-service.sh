# Service and version detection (-sV) against real daemons started in a
# lab host: sshd, nginx (HTTP, HTTPS with a self-signed certificate, and
# TLS on a port no table expects), redis-server and vsftpd, and a host
# that closes each connection at once (tcpwrapped). tact names the same
# service as `nmap -sV` on every port, with the same product and version
# wherever nmap gives them, with Nmap's nmap-service-probes and with
# tact's own table (--datadir without the file). A polite scan, captured
# at the router, never has more than 1 service connection open to a host
# nor sends a host more than 10 probes in a second, and the NULL probe's
# connection to a silent port carries the next probe. On 2000 ports more,
# the journal's port-run records (closed ports) hold none of the ports
# with a service, and a report from the journal says what the scan did.
. "$TESTS_SRCDIR/lab/lab.sh"
. "$TESTS_SRCDIR/lab/service-daemons.sh"
. "$TESTS_SRCDIR/e2e/journal-read.sh"

for tool in jq xmllint nmap openssl /usr/sbin/sshd /usr/sbin/nginx \
    redis-server /usr/sbin/vsftpd ssh-keygen; do
	command -v "$tool" >/dev/null 2>&1 || skip "needs $tool"
done
[ -r /usr/share/nmap/nmap-service-probes ] ||
    skip "needs nmap's nmap-service-probes"

SRV=198.19.0.20
WRAP=198.19.0.21
PORTS=$SERVICE_PORTS
lab_up
lab_host srv $SRV
lab_host wrap $WRAP
lab_listen wrap tcp 7000

service_daemons srv $SRV "$TMPD"
PLIST=$(echo $PORTS | tr , ' ')

# What nmap -sV says: port, name (ssl/ inside TLS), product, version.
lab_exec scanner nmap -n -Pn -sV -p $PORTS -oX "$TMPD/nmap.xml" $SRV \
    >/dev/null 2>&1 || fail "nmap failed"
lab_exec scanner nmap -n -Pn -sV -p 7000 -oX "$TMPD/nmap-wrap.xml" $WRAP \
    >/dev/null 2>&1 || fail "nmap failed"
nmap_ports() {
	for p in $PLIST; do
		q="//port[@portid='$p']/service"
		n=$(xmllint --xpath "string($q/@name)" "$1")
		t=$(xmllint --xpath "string($q/@tunnel)" "$1")
		pr=$(xmllint --xpath "string($q/@product)" "$1")
		v=$(xmllint --xpath "string($q/@version)" "$1")
		echo "$p ${t:+$t/}$n|$pr|$v"
	done
}
nmap_ports "$TMPD/nmap.xml" >"$TMPD/nmap"
grep -q '^22 ssh|OpenSSH|' "$TMPD/nmap" ||
    fail "nmap does not see sshd: $(cat "$TMPD/nmap")"
[ "$(xmllint --xpath "string(//port/service/@name)" \
    "$TMPD/nmap-wrap.xml")" = tcpwrapped ] || fail "nmap: no tcpwrapped"

# tact's view of one JSON output, as nmap_ports prints it; where nmap
# gives no product or version, tact's is not compared.
tact_ports() {
	jq -r 'select(.type == "host") | .ports[] | select(.state == "open")
	    | "\(.port) \(if .detection.tunnel then "ssl/" else "" end)\(
	    .detection.name)|\(.detection.product // "")|\(
	    .detection.version // "")"' "$1" | sort -n >"$TMPD/tact.raw"
	while IFS='|' read -r pn pr v; do
		want=$(grep "^${pn%% *} " "$TMPD/nmap")
		wpr=$(echo "$want" | cut -d'|' -f2)
		wv=$(echo "$want" | cut -d'|' -f3)
		[ -n "$wpr" ] || pr=
		[ -n "$wv" ] || v=
		echo "$pn|$pr|$v"
	done <"$TMPD/tact.raw"
}

mkdir -p "$TMPD/nodata"
for db in nmap own; do
	set --
	[ $db = nmap ] || set -- --datadir "$TMPD/nodata"
	lab_exec scanner "$TACT" scan -sV "$@" --purpose "lab test" \
	    --i-have-permission -T standard -Pn -p $PORTS,7000 \
	    -oJ "$TMPD/$db.json" -oX "$TMPD/$db.xml" $SRV $WRAP \
	    >"$TMPD/$db.out" 2>"$TMPD/$db.err" ||
	    fail "tact -sV ($db) failed: $(cat "$TMPD/$db.err")"
	jq -r 'select(.type == "host" and .address == "'$SRV'")' \
	    "$TMPD/$db.json" >"$TMPD/$db-srv.json"
	tact_ports "$TMPD/$db-srv.json" >"$TMPD/$db.got"
	diff "$TMPD/nmap" "$TMPD/$db.got" >"$TMPD/$db.diff" ||
	    fail "-sV with $db's probes differs from nmap (nmap < > tact):" \
	    "$(cat "$TMPD/$db.diff")"
	[ "$(jq -r 'select(.type == "host" and .address == "'$WRAP'") |
	    .ports[] | select(.port == 7000) | .detection.name' \
	    "$TMPD/$db.json")" = tcpwrapped ] ||
	    fail "$db: port 7000 is not tcpwrapped: $(cat "$TMPD/$db.out")"
	# The certificate of the HTTPS port.
	[ "$(jq -r 'select(.type == "host") | .ports[] | select(.port ==
	    443) | .detection.certificate.subject' "$TMPD/$db-srv.json")" = \
	    CN=lab.test ] || fail "$db: no certificate on 443"
	[ "$(jq -r 'select(.type == "host") | .ports[] | select(.port ==
	    443) | .detection.certificate.san | join(",")' \
	    "$TMPD/$db-srv.json")" = DNS:lab.test,DNS:www.lab.test ] ||
	    fail "$db: subject alternative names"
	fp=$(openssl x509 -in "$TMPD/cert.pem" -noout -fingerprint -sha256 |
	    sed 's/.*=//; s/://g' | tr A-F a-f)
	got=$(jq -c 'select(.type == "host") | .ports[] | select(.port ==
	    4567) | .detection' "$TMPD/$db-srv.json")
	[ "$(echo "$got" | jq -r .certificate.sha256)" = "$fp" ] ||
	    fail "$db: the fingerprint on 4567 is not $fp: $got"
	xmllint --noout "$TMPD/$db.xml" || fail "$db: XML not well formed"
	grep -q '^22/tcp  *open  *ssh .*OpenSSH' "$TMPD/$db.out" ||
	    fail "$db: no VERSION column: $(cat "$TMPD/$db.out")"
done

# Closed ports in runs beside the services: none of these in a run.
XDG_STATE_HOME=$TMPD/state
XDG_RUNTIME_DIR=$TMPD/run
export XDG_STATE_HOME XDG_RUNTIME_DIR
mkdir -m 700 "$XDG_STATE_HOME" "$XDG_RUNTIME_DIR"
lab_exec scanner "$TACT" scan -sV --purpose "lab test" --i-have-permission \
    -T standard -Pn -p 1-2000,4567,6379 -oJ "$TMPD/runs.json" $SRV \
    >"$TMPD/runs.out" 2>"$TMPD/runs.err" ||
    fail "-sV on 2000 ports failed: $(cat "$TMPD/runs.err")"
J=$(journal_of "$(ls "$XDG_STATE_HOME/tact/scans")")
[ "$(journal_count "$J" 11)" -gt 0 ] || fail "no port-run records in $J"
journal_ports "$J" | awk '$3 == 2 || $3 == 3 { print $2 }' >"$TMPD/runs.shut"
[ "$(wc -l <"$TMPD/runs.shut")" -ge 1990 ] ||
    fail "$(wc -l <"$TMPD/runs.shut") closed or filtered ports"
for p in $PLIST; do
	! grep -qx "$p" "$TMPD/runs.shut" || fail "port $p in a run"
done
detected() {
	jq -c 'select(.type == "host") | .ports[] | select(.detection)' "$1"
}
detected "$TMPD/runs.json" >"$TMPD/runs.live"
[ "$(wc -l <"$TMPD/runs.live")" -eq 6 ] ||
    fail "not 6 services: $(cat "$TMPD/runs.live")"
"$TACT" report "$J" -oJ "$TMPD/runs-report.json" >/dev/null ||
    fail "report of $J failed"
detected "$TMPD/runs-report.json" | diff "$TMPD/runs.live" - \
    >"$TMPD/runs.diff" || fail "report differs: $(cat "$TMPD/runs.diff")"

# Polite: one service connection to a host at a time, 10 probes a second.
lab_pcap_start "$TMPD/polite.pcap" host $SRV
lab_exec scanner "$TACT" scan -sV --purpose "lab test" --i-have-permission \
    -T polite -Pn -p $PORTS -oJ "$TMPD/polite.json" $SRV \
    >"$TMPD/polite.out" 2>"$TMPD/polite.err" ||
    fail "polite -sV failed: $(cat "$TMPD/polite.err")"
sleep 0.5
lab_pcap_stop
[ "$(jq -r 'select(.type == "host") | .ports[] | select(.port == 22) |
    .detection.product' "$TMPD/polite.json")" = OpenSSH ] ||
    fail "polite: ssh not found: $(cat "$TMPD/polite.out")"
tcpdump -tt -n -r "$TMPD/polite.pcap" 2>/dev/null >"$TMPD/polite.txt"
# A connection is a source port of the scanner's that completed a
# handshake (it sent a bare ACK, not the RST that ends a SYN probe),
# open from its SYN to its first FIN or RST.
awk '{
	split($3, s, "."); split($5, d, ".")
	out = s[1] "." s[2] "." s[3] "." s[4] == "198.18.0.2"
	port = out ? s[5] : substr(d[5], 1, length(d[5]) - 1)
	fl = $7
	if (out && fl == "[S],") { start[port] = $1; full[port] = 0 }
	if (out && (fl == "[.]," || fl == "[P.],")) full[port] = 1
	if ((fl ~ /F/ || fl ~ /R/) && (port in start) && !(port in end))
		end[port] = $1
} END {
	n = 0
	for (p in start)
		if (full[p]) {
			ev[++n] = start[p] " 1"
			ev[++n] = (p in end ? end[p] : 1e12) " -1"
		}
	# Sort the events by time, ends first at the same time.
	for (i = 2; i <= n; i++) {
		x = ev[i]; j = i - 1
		split(x, xa, " ")
		while (j > 0) {
			split(ev[j], ja, " ")
			if (ja[1] + 0 < xa[1] + 0 || (ja[1] == xa[1] &&
			    ja[2] <= xa[2]))
				break
			ev[j + 1] = ev[j]; j--
		}
		ev[j + 1] = x
	}
	open = 0; most = 0
	for (i = 1; i <= n; i++) {
		split(ev[i], a, " ")
		open += a[2]
		if (open > most) most = open
	}
	print most, n / 2
}' "$TMPD/polite.txt" >"$TMPD/conns"
read -r most nconn <"$TMPD/conns"
[ "$nconn" -ge 6 ] || fail "polite: only $nconn service connections seen"
# nginx says nothing first: the NULL probe's connection carries GetRequest.
n80=$(awk '{ split($3, s, "."); if ($5 == "'$SRV'.80:" && ($7 == "[.]," ||
    $7 == "[P.],")) seen[s[5]] = 1 } END { print length(seen) }' \
    "$TMPD/polite.txt")
[ "$n80" = 1 ] || fail "polite: $n80 service connections to port 80, not 1"
[ "$most" -le 1 ] || fail "polite: $most service connections open at once"
grep -E '198\.18\.0\.2\.[0-9]+ > .*Flags \[S\],' "$TMPD/polite.txt" |
    awk '{ t[++n] = $1 } END {
	j = 1
	for (i = 1; i <= n; i++) {
		while (t[j] + 1.0 <= t[i]) j++
		if (i - j + 1 > w) w = i - j + 1
	}
	print w + 0 }' >"$TMPD/persec"
[ "$(cat "$TMPD/persec")" -le 10 ] ||
    fail "polite: $(cat "$TMPD/persec") SYNs to $SRV in one second"
exit 0
