#!/bin/sh
# tact diff of hostile XML files: each of tests/data/xml-bad/*.xml gives
# one line naming the file and line (and, after "expect:", the rest of
# it), exit 2; a few hundred bytes of extrareasons that stand for every
# port of four hosts, and the same ports listed backwards, diff within a
# second; past the caps on hosts and ports, one line and exit 2.
. "$TESTS_SRCDIR/e2e/lib.sh"

# The bad-input corpus: the first line says what the error must say.
n=0
for f in "$TESTS_SRCDIR"/data/xml-bad/*.xml; do
	expect=$(head -n 1 "$f" | sed -n 's/^<!-- expect: \(.*\) -->$/\1/p')
	[ -n "$expect" ] || [ "$(head -n 1 "$f")" = "<!-- expect: -->" ] ||
	    fail "$f: no '<!-- expect: -->' first line"
	expect_exit 2 timeout 5 "$TACT" diff "$f" "$f"
	expect_one_line_error
	grep -q "^tact: diff: $f:[1-9][0-9]*: " "$TMPD/err" ||
	    fail "$f: no file:line: $(cat "$TMPD/err")"
	grep -qF -- "$f:$expect" "$TMPD/err" ||
	    fail "$f: wanted '$expect', got: $(cat "$TMPD/err")"
	if LC_ALL=C grep -q "$(printf '[\001-\037\177]')" "$TMPD/err"; then
		fail "$f: a control character in the error"
	fi
	n=$((n + 1))
done
[ $n -gt 0 ] || fail "no files in $TESTS_SRCDIR/data/xml-bad"

# hosts N PORTS [FIRST]: an Nmap XML file of N hosts (10.x.y.z from
# FIRST, default 1, counting up or, with a negative N, down), all of
# whose PORTS ("down": 65535,65534,...,1) are closed and folded into
# extraports.
hosts() {
	awk -v n="$1" -v ports="$2" -v first="${3:-1}" 'BEGIN {
		print "<nmaprun scanner=\"nmap\" args=\"x\" start=\"1\">"
		if (ports == "down") {
			ports = "65535"
			for (p = 65534; p >= 1; p--)
				ports = ports "," p
		}
		step = n < 0 ? -1 : 1
		for (i = 0; i < n * step; i++) {
			a = first + i * step
			printf "<host><status state=\"up\"/><address addr=\"10.%d.%d.%d\"/>", int(a / 65536) % 256, int(a / 256) % 256, a % 256
			printf "<ports><extraports state=\"closed\"><extrareasons ports=\"%s\"/></extraports></ports></host>\n", ports
		}
		print "</nmaprun>"
	}'
}

# Four hosts of every port: 262140 ports from under 700 bytes.
hosts 4 1-65535 >"$TMPD/all.xml"
[ "$(wc -c <"$TMPD/all.xml")" -lt 700 ] || fail "all.xml is not small"
expect_exit 0 timeout 1 "$TACT" diff "$TMPD/all.xml" "$TMPD/all.xml"
[ ! -s "$TMPD/out" ] || fail "same file, yet: $(head -3 "$TMPD/out")"

# The same, hosts and ports backwards.
hosts -4 down 4 >"$TMPD/backwards.xml"
expect_exit 0 timeout 1 "$TACT" diff "$TMPD/all.xml" "$TMPD/backwards.xml"
[ ! -s "$TMPD/out" ] || fail "same ports, yet: $(head -3 "$TMPD/out")"
# A port fewer on each host: four lines.
hosts 4 1-65534 >"$TMPD/fewer.xml"
expect_exit 1 timeout 1 "$TACT" diff "$TMPD/all.xml" "$TMPD/fewer.xml"
[ "$(grep -c '' "$TMPD/out")" = 4 ] || fail "fewer: $(head -5 "$TMPD/out")"
grep -qx '10.0.0.4 65535/tcp: closed -> none' "$TMPD/out" ||
    fail "fewer: $(head -5 "$TMPD/out")"

# 65536 hosts are read; one more, or ports past 4194304, are not. (Past
# line 65535, libxml2 knows only roughly where an element is.)
hosts 65536 80 >"$TMPD/hosts.xml"
expect_exit 0 timeout 5 "$TACT" diff "$TMPD/hosts.xml" "$TMPD/hosts.xml"
hosts 65537 80 >"$TMPD/more-hosts.xml"
expect_exit 2 timeout 5 "$TACT" diff "$TMPD/more-hosts.xml" "$TMPD/all.xml"
expect_one_line_error
grep -qx "tact: diff: $TMPD/more-hosts.xml:655[34][0-9]: more than 65536 hosts" \
    "$TMPD/err" || fail "hosts cap: $(cat "$TMPD/err")"
hosts 65 1-65535 >"$TMPD/more-ports.xml"
expect_exit 2 timeout 5 "$TACT" diff "$TMPD/all.xml" "$TMPD/more-ports.xml"
expect_one_line_error
grep -qx "tact: diff: $TMPD/more-ports.xml:66: more than 4194304 ports, listed or in extraports" \
    "$TMPD/err" || fail "ports cap: $(cat "$TMPD/err")"
exit 0
