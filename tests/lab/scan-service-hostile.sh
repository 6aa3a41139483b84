# -sV against hostile services: a megabyte of banner, binary junk with
# terminal escapes and markup, a service that says one byte a second and
# never stops, and a TLS server whose certificate is odd (control
# characters in its subject, a day of validity) and that
# answers with junk. The scan ends in bounded time and memory (under an
# address space limit), and every output is well formed with nothing
# from the network raw in it: no escape character, valid XML and JSON.
. "$TESTS_SRCDIR/lab/lab.sh"

for tool in jq xmllint socat openssl; do
	command -v "$tool" >/dev/null 2>&1 || skip "needs $tool"
done

BAD=198.19.0.30
lab_up
lab_host bad $BAD
openssl req -x509 -newkey rsa:2048 -nodes -days 1 \
    -subj "/CN=$(printf 'evil\033[31m<x>&"')/O=$(printf '\001\002')" \
    -keyout "$TMPD/key.pem" -out "$TMPD/cert.pem" 2>/dev/null ||
    fail "openssl req failed"
junk='head -c 3000 /dev/urandom;
    printf "\033[2J\033]0;owned\007<a b=\"&\">\\\\u0000\r\n"'
lab_exec bad socat TCP-LISTEN:7001,bind=$BAD,fork,reuseaddr \
    SYSTEM:'head -c 1048576 /dev/zero | tr "\\000" A' 2>/dev/null &
lab_exec bad socat TCP-LISTEN:7002,bind=$BAD,fork,reuseaddr \
    SYSTEM:"$junk" 2>/dev/null &
lab_exec bad socat TCP-LISTEN:7003,bind=$BAD,fork,reuseaddr \
    SYSTEM:'while printf x; do sleep 1; done' 2>/dev/null &
tls=bind=$BAD,fork,reuseaddr,verify=0,cert=$TMPD/cert.pem,key=$TMPD/key.pem
lab_exec bad socat OPENSSL-LISTEN:7443,"$tls" SYSTEM:"$junk" 2>/dev/null &
i=0
until [ "$(lab_probe scanner -t 500 tcp $BAD 7001 7002 7003 7443 |
    grep -c open)" = 4 ]; do
	[ $i -lt 50 ] || fail "socat not listening"
	i=$((i + 1))
	sleep 0.2
done

start=$(date +%s)
(
	ulimit -v 1000000
	exec ip netns exec "${LAB_PREFIX}scanner" "$TACT" scan -sV \
	    --version-light --purpose "lab test" --i-have-permission \
	    -T standard -Pn -p 7001-7003,7443 -oA "$TMPD/out" $BAD
) >"$TMPD/stdout" 2>"$TMPD/err" || fail "tact -sV failed: $(cat "$TMPD/err")"
took=$(($(date +%s) - start))
[ $took -le 60 ] || fail "the scan took $took s"

[ "$(jq -r 'select(.type == "host") | [.ports[] | select(.state ==
    "open")] | length' "$TMPD/out.jsonl")" = 4 ] ||
    fail "not 4 open ports: $(cat "$TMPD/out.nmap")"
for f in "$TMPD/out.nmap" "$TMPD/out.xml" "$TMPD/out.gnmap" \
    "$TMPD/out.jsonl" "$TMPD/stdout"; do
	! grep -q "$(printf '\033')" "$f" || fail "$f holds a raw escape"
	! grep -q "$(printf '\007')" "$f" || fail "$f holds a raw bell"
done
xmllint --noout "$TMPD/out.xml" || fail "XML not well formed"
jq -e . "$TMPD/out.jsonl" >/dev/null || fail "JSON not valid"
# The odd certificate was read, its subject kept and escaped.
jq -r 'select(.type == "host") | .ports[] | select(.port == 7443) |
    .detection.certificate.subject' "$TMPD/out.jsonl" >"$TMPD/subject"
grep -q 'CN=evil' "$TMPD/subject" ||
    fail "no certificate on 7443: $(cat "$TMPD/subject")"
# A banner is kept to a bound, not a megabyte.
len=$(jq -r 'select(.type == "host") | .ports[] | select(.port == 7001) |
    .banner | length' "$TMPD/out.jsonl")
[ "$len" -gt 0 ] && [ "$len" -le 4096 ] || fail "banner of 7001: $len bytes"
exit 0
