#!/bin/sh
# tact diff: two scans as journals, XML outputs (tact's or Nmap's) or
# both; the same scan compares equal (exit 0, nothing printed), a
# host that went away, a port that closed, a banner that changed and a
# -sV version that changed in XML are each one line (exit 1), and bad input is exit 2 with one line. Nmap's
# XML of the same loopback scan compares the same as tact's.
. "$TESTS_SRCDIR/e2e/lib.sh"
. "$TESTS_SRCDIR/e2e/output-lib.sh"

command -v nmap >/dev/null || skip "nmap is not installed"

JOURNAL="$TESTS_BUILDDIR/e2e/output-journal"
"$JOURNAL" "$TMPD/j" || fail "could not write the test journal"
expect_exit 0 "$TACT" report "$TMPD/j" -oX "$TMPD/j.xml"

# A journal and its own XML output are the same scan.
expect_exit 0 "$TACT" diff "$TMPD/j" "$TMPD/j.xml"
[ ! -s "$TMPD/out" ] || fail "same scan, yet: $(cat "$TMPD/out")"

# A host that moved; a banner that changed (both ports have one).
sed 's/198\.18\.0\.1"/198.18.0.9"/' "$TMPD/j.xml" >"$TMPD/moved.xml"
expect_exit 1 "$TACT" diff "$TMPD/j" "$TMPD/moved.xml"
grep -qx '198.18.0.1: host up -> not up' "$TMPD/out" || fail "no host gone: $(cat "$TMPD/out")"
grep -qx '198.18.0.9: host not up -> up' "$TMPD/out" || fail "no host new: $(cat "$TMPD/out")"
sed 's/output="SSH-2\.0-/output="SSH-2.1-/' "$TMPD/j.xml" >"$TMPD/banner.xml"
expect_exit 1 "$TACT" diff "$TMPD/j" "$TMPD/banner.xml"
[ "$(grep -c '' "$TMPD/out")" = 2 ] || fail "banner diff: $(cat "$TMPD/out")"
grep -q '^198\.18\.0\.1 22/tcp: service "SSH-2\.0-.*"\.\.\. -> "SSH-2\.1-' "$TMPD/out" ||
    fail "banner diff: $(cat "$TMPD/out")"
if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$TMPD/out"; then
	fail "diff printed a control character"
fi

# A port that closed, between two real scans of loopback.
open=$(free_port)
listen "$open"
closed=$(free_port)
expect_exit 0 "$TACT" scan -sT -Pn -p "$open,$closed" 127.0.0.1 -oX "$TMPD/a.xml"
nmap -n -Pn -sT -p "$open,$closed" 127.0.0.1 -oX "$TMPD/nmap-a.xml" \
    >/dev/null 2>&1 || fail "nmap failed"
stop_listeners
expect_exit 0 "$TACT" scan -sT -Pn -p "$open,$closed" 127.0.0.1 -oX "$TMPD/b.xml"
expect_exit 1 "$TACT" diff "$TMPD/a.xml" "$TMPD/b.xml"
[ "$(cat "$TMPD/out")" = "127.0.0.1 $open/tcp: open -> closed" ] ||
    fail "port diff: $(cat "$TMPD/out")"
expect_exit 0 "$TACT" diff "$TMPD/b.xml" "$TMPD/b.xml"

# Nmap's XML of the first scan: the same as tact's, and the same change.
grep -q "portid=\"$open\"><state state=\"open\"" "$TMPD/nmap-a.xml" ||
    fail "nmap did not see $open open"
expect_exit 0 "$TACT" diff "$TMPD/nmap-a.xml" "$TMPD/a.xml"
[ ! -s "$TMPD/out" ] || fail "nmap and tact differ: $(cat "$TMPD/out")"
expect_exit 1 "$TACT" diff "$TMPD/nmap-a.xml" "$TMPD/b.xml"
[ "$(cat "$TMPD/out")" = "127.0.0.1 $open/tcp: open -> closed" ] ||
    fail "nmap port diff: $(cat "$TMPD/out")"

# A version that changed, between two XML files of -sV (Nmap's layout).
cat >"$TMPD/sv-a.xml" <<'EOF2'
<?xml version="1.0"?>
<nmaprun scanner="nmap" args="nmap -sV 198.18.0.1" start="1">
<host><status state="up" reason="syn-ack"/><address addr="198.18.0.1" addrtype="ipv4"/><ports>
<port protocol="tcp" portid="22"><state state="open" reason="syn-ack"/><service name="ssh" product="OpenSSH" version="9.2p1" extrainfo="protocol 2.0" method="probed" conf="10"><cpe>cpe:/a:openbsd:openssh:9.2p1</cpe></service></port>
<port protocol="tcp" portid="443"><state state="open" reason="syn-ack"/><service name="http" product="nginx" version="1.22.1" tunnel="ssl" method="probed" conf="10"/></port>
</ports></host></nmaprun>
EOF2
sed 's/version="9\.2p1"/version="9.6p1"/' "$TMPD/sv-a.xml" >"$TMPD/sv-b.xml"
expect_exit 0 "$TACT" diff "$TMPD/sv-a.xml" "$TMPD/sv-a.xml"
expect_exit 1 "$TACT" diff "$TMPD/sv-a.xml" "$TMPD/sv-b.xml"
[ "$(cat "$TMPD/out")" = '198.18.0.1 22/tcp: version "ssh OpenSSH 9.2p1 (protocol 2.0)" -> "ssh OpenSSH 9.6p1 (protocol 2.0)"' ] ||
    fail "version diff: $(cat "$TMPD/out")"
sed 's/ tunnel="ssl"//' "$TMPD/sv-a.xml" >"$TMPD/sv-c.xml"
expect_exit 1 "$TACT" diff "$TMPD/sv-a.xml" "$TMPD/sv-c.xml"
[ "$(cat "$TMPD/out")" = '198.18.0.1 443/tcp: version "ssl/http nginx 1.22.1" -> "http nginx 1.22.1"' ] ||
    fail "tunnel diff: $(cat "$TMPD/out")"

# Bad input.
expect_exit 2 "$TACT" diff "$TMPD/j"
expect_one_line_error
expect_exit 2 "$TACT" diff "$TMPD/j" "$TMPD/missing.xml"
expect_one_line_error
printf '<nmaprun scanner="tact" args="x><host' >"$TMPD/broken.xml"
expect_exit 2 "$TACT" diff "$TMPD/j" "$TMPD/broken.xml"
expect_one_line_error
exit 0
