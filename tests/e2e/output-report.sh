#!/bin/sh
# tact report: every output again from a journal whose banners are
# hostile (terminal escapes, NUL, invalid UTF-8, markup, a 1 MB line):
# the JSON parses with jq and gives the banner back, the text outputs
# hold no control character, and bad input is refused.
. "$TESTS_SRCDIR/e2e/lib.sh"

command -v jq >/dev/null || skip "jq is not installed"
command -v xmllint >/dev/null || skip "xmllint (libxml2-utils) is not installed"
JOURNAL="$TESTS_BUILDDIR/e2e/output-journal"

"$JOURNAL" "$TMPD/j" || fail "could not write the test journal"
expect_exit 0 "$TACT" report "$TMPD/j" -oA "$TMPD/r"
for ext in nmap xml gnmap jsonl; do
	[ -s "$TMPD/r.$ext" ] || fail "report -oA wrote no r.$ext"
done

# XML: well-formed, the hostile banner kept as data.
xmllint --noout "$TMPD/r.xml" || fail "r.xml is not well-formed"
xmllint --xpath 'string(//port[@portid="22"]/script/@output)' "$TMPD/r.xml" \
    >"$TMPD/xml-banner" || fail "no banner in r.xml"
grep -q '<x a="1">&amp;</x>' "$TMPD/xml-banner" ||
    fail "r.xml lost the banner's markup: $(head -c 200 "$TMPD/xml-banner")"

# JSON Lines: every line parses, hosts then one summary.
jq -e . "$TMPD/r.jsonl" >/dev/null || fail "r.jsonl does not parse with jq"
types=$(jq -r .type "$TMPD/r.jsonl" | tr '\n' ' ')
[ "$types" = "host host summary " ] || fail "r.jsonl types: $types"
banner=$(jq -r 'select(.type == "host" and .address == "198.18.0.1") |
    .ports[] | select(.port == 22) | .banner' "$TMPD/r.jsonl")
esc=$(printf '\033')
case $banner in
"SSH-2.0-$esc[2J$esc]0;owned"*) ;;
*) fail "JSON banner not decoded back: $banner" ;;
esac
len=$(jq -r 'select(.type == "host") | .ports[] | select(.port == 80) |
    .banner | length' "$TMPD/r.jsonl")
[ "$len" -gt 900000 ] || fail "the 1 MB banner came back as $len characters"
[ "$(jq -r 'select(.type == "summary") | .purpose' "$TMPD/r.jsonl")" = \
    "audit -- <all>" ] || fail "JSON summary lost the purpose"
[ "$(jq -r 'select(.type == "summary") | .scope' "$TMPD/r.jsonl")" = \
    'CHG-42 & "lab"' ] || fail "JSON summary lost the scope"

# Text: no control characters but the tabs grepable puts between fields.
for ext in nmap gnmap; do
	if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" \
	    "$TMPD/r.$ext"; then
		fail "r.$ext holds a control character"
	fi
	grep -q '^# .*purpose: audit -- <all>' "$TMPD/r.$ext" ||
	    fail "r.$ext does not record the purpose"
	grep -q 'scope: CHG-42 & "lab"' "$TMPD/r.$ext" ||
	    fail "r.$ext does not record the scope"
done
[ "$(grep -c '' "$TMPD/r.gnmap")" = 5 ] ||
    fail "a banner added lines to r.gnmap"

# Without -o: the normal output on stdout.
expect_exit 0 "$TACT" report "$TMPD/j"
cmp -s "$TMPD/out" "$TMPD/r.nmap" || fail "report's stdout is not r.nmap"

# An interrupted scan: the outputs say it did not finish.
"$JOURNAL" "$TMPD/i" interrupted || fail "could not write the test journal"
expect_exit 0 "$TACT" report "$TMPD/i" -oX "$TMPD/i.xml" -oJ "$TMPD/i.jsonl"
grep -q 'exit="error" errormsg="interrupted before the end"' "$TMPD/i.xml" ||
    fail "interrupted scan's XML does not say so"
[ "$(jq -r 'select(.type == "summary") | .status' "$TMPD/i.jsonl")" = \
    interrupted ] || fail "interrupted scan's JSON does not say so"

# Bad input: one line, exit 2, no output file left behind.
printf 'not a journal at all' >"$TMPD/bad"
expect_exit 2 "$TACT" report "$TMPD/bad" -oX "$TMPD/bad.xml"
expect_one_line_error
[ ! -e "$TMPD/bad.xml" ] || fail "a bad journal left bad.xml"
expect_exit 2 "$TACT" report "$TMPD/missing" -oX "$TMPD/m.xml"
expect_one_line_error
expect_exit 2 "$TACT" report "$TMPD/j" -oX "$TMPD/no/such/dir.xml"
expect_one_line_error
expect_exit 2 "$TACT" report "$TMPD/j" -oQ x
expect_one_line_error
expect_exit 2 "$TACT" report
expect_one_line_error

# A failed write: exit 1, and no partial output where the file was.
if [ -w /dev/full ]; then
	expect_exit 1 "$TACT" report "$TMPD/j" -oJ /dev/full
	grep -q '^tact: report: /dev/full: No space left on device$' \
	    "$TMPD/err" || fail "write error not reported: $(cat "$TMPD/err")"
fi
exit 0
