#!/bin/sh
# tact's XML is valid against Nmap's DTD (nmap.dtd, installed with
# nmap): a loopback scan with folded closed ports, and reports of
# journals with hostile banners, finished and interrupted. The DTD
# lists only "nmap" as nmaprun's scanner, so each file is checked with a
# copy that also allows "tact", and against the DTD itself, where that
# attribute must be the one complaint.
. "$TESTS_SRCDIR/e2e/lib.sh"
. "$TESTS_SRCDIR/e2e/output-lib.sh"

DTD=/usr/share/nmap/nmap.dtd
[ -r "$DTD" ] || skip "$DTD is not there (install nmap)"
command -v xmllint >/dev/null || skip "xmllint (libxml2-utils) is not installed"

sed 's/scanner\([[:space:]]*\)(nmap)/scanner\1(nmap|tact)/' "$DTD" \
    >"$TMPD/tact.dtd"
grep -q '(nmap|tact)' "$TMPD/tact.dtd" || fail "$DTD: no scanner (nmap) to widen"

valid() {
	xmllint --noout --dtdvalid "$TMPD/tact.dtd" "$1" 2>"$TMPD/xmllint" ||
	    fail "$1 is not valid: $(head -5 "$TMPD/xmllint")"
	xmllint --noout --dtdvalid "$DTD" "$1" 2>&1 | grep 'validity error' |
	    grep -v 'Value "tact" for attribute scanner of nmaprun' >"$TMPD/other"
	[ ! -s "$TMPD/other" ] || fail "$1 against $DTD: $(head -5 "$TMPD/other")"
}

open=$(free_port)
listen "$open"
expect_exit 0 "$TACT" scan -sT -Pn -p "1-30,$open" --purpose "dtd -- test" \
    127.0.0.1 -oX "$TMPD/scan.xml"
grep -q '<extraports state="closed" count="30">' "$TMPD/scan.xml" ||
    fail "scan.xml folded no closed ports"
grep -q "portid=\"$open\"><state state=\"open\"" "$TMPD/scan.xml" ||
    fail "scan.xml does not show $open open"
valid "$TMPD/scan.xml"

"$TESTS_BUILDDIR/e2e/output-journal" "$TMPD/j" || fail "no test journal"
"$TESTS_BUILDDIR/e2e/output-journal" "$TMPD/i" interrupted ||
    fail "no test journal"
expect_exit 0 "$TACT" report "$TMPD/j" -oX "$TMPD/hostile.xml"
valid "$TMPD/hostile.xml"
expect_exit 0 "$TACT" report "$TMPD/i" -oX "$TMPD/interrupted.xml"
valid "$TMPD/interrupted.xml"
exit 0
