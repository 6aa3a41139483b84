# tact diff sees a TLS certificate that changed, from journals and from
# XML outputs alike: a TLS service on loopback scanned with -sV, then
# again with another certificate (another fingerprint and expiry), is
# one "certificate" line either way; a scan's journal and its own XML
# output compare the same (the certificate read back from ssl-cert).
. "$TESTS_SRCDIR/e2e/lib.sh"
. "$TESTS_SRCDIR/e2e/scan-live-lib.sh"

command -v openssl >/dev/null 2>&1 || skip "needs openssl"

P=$(port_block 1)
mkdir "$TMPD/none"
for c in a b; do
	days=$([ $c = a ] && echo 30 || echo 400)
	openssl req -x509 -newkey rsa:2048 -nodes -days $days \
	    -subj "/CN=cert-$c" -addext "subjectAltName=DNS:$c.test" \
	    -keyout "$TMPD/$c.key" -out "$TMPD/$c.pem" 2>/dev/null ||
	    fail "openssl req failed"
done

# scan NAME CERT: a -sV scan of the TLS service with CERT; its journal
# is $TMPD/NAME.journal, its XML output $TMPD/NAME.xml.
scan() {
	socat OPENSSL-LISTEN:$P,bind=127.0.0.1,reuseaddr,fork,verify=0,cert="$TMPD/$2.pem",key="$TMPD/$2.key" \
	    SYSTEM:'echo hello' 2>/dev/null &
	spid=$!
	i=0
	until [ -n "$(ss -Htln "sport = :$P")" ]; do
		[ $i -lt 50 ] || fail "socat did not listen on $P"
		i=$((i + 1))
		sleep 0.1
	done
	expect_exit 0 "$TACT" scan -sT -sV --version-light --datadir "$TMPD/none" \
	    -T brisk -p $P -oX "$TMPD/$1.xml" 127.0.0.1
	kill $spid
	wait $spid 2>/dev/null
	cp "$(journal_of "$("$TACT" list | awk 'NR > 1 { id = $1 } END { print id }')")" \
	    "$TMPD/$1.journal"
	grep -q "<elem key=\"san\">DNS:$2.test</elem>" "$TMPD/$1.xml" ||
	    fail "no certificate in $1.xml: $(cat "$TMPD/$1.xml")"
}
scan one a
scan two b

for f in journal xml; do
	expect_exit 0 "$TACT" diff "$TMPD/one.journal" "$TMPD/one.$f"
	[ ! -s "$TMPD/out" ] || fail "one and one.$f: $(cat "$TMPD/out")"
done
sha() {
	sed -n 's/.*<elem key="sha256">\([0-9a-f]*\)<.*/\1/p' "$1"
}
after() {
	sed -n 's/.*<elem key="notAfter">\([^<]*\)<.*/\1/p' "$1"
}
line="127.0.0.1 $P/tcp: certificate SHA-256 $(sha "$TMPD/one.xml") not valid after $(after "$TMPD/one.xml") -> SHA-256 $(sha "$TMPD/two.xml") not valid after $(after "$TMPD/two.xml")"
for a in journal xml; do
	for b in journal xml; do
		expect_exit 1 "$TACT" diff "$TMPD/one.$a" "$TMPD/two.$b"
		[ "$(cat "$TMPD/out")" = "$line" ] ||
		    fail "one.$a two.$b: $(cat "$TMPD/out"), not $line"
	done
done
exit 0
