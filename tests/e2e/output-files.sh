#!/bin/sh
# Output files are safe: a bad path is refused (exit 2, one line) before
# any packet leaves, a failed write is an error (exit 1), and a file
# given with -oA is complete in every format or not written at all.
. "$TESTS_SRCDIR/e2e/lib.sh"
. "$TESTS_SRCDIR/e2e/output-lib.sh"

command -v jq >/dev/null || skip "jq is not installed"
open=$(free_port)
listen "$open"
: >"$TMPD/connections"

for o in -oN -oX -oG -oJ -oA; do
	expect_exit 2 "$TACT" scan -sT -Pn -p "$open" 127.0.0.1 \
	    "$o" "$TMPD/no/such/dir/out"
	expect_one_line_error
done
sleep 0.5
[ ! -s "$TMPD/connections" ] || fail "a probe went out before the bad path was refused"

# -oN stays as it was when -oX cannot be opened: nothing is half-made.
printf 'previous\n' >"$TMPD/keep.nmap"
expect_exit 2 "$TACT" scan -sT -Pn -p "$open" 127.0.0.1 \
    -oN "$TMPD/keep.nmap" -oX "$TMPD/no/such/dir/out.xml"
[ "$(cat "$TMPD/keep.nmap")" = previous ] || fail "keep.nmap was changed"

if [ -w /dev/full ]; then
	expect_exit 1 "$TACT" scan -sT -Pn -p "$open" 127.0.0.1 -oX /dev/full
	grep -q '^tact: scan: /dev/full: No space left on device$' "$TMPD/err" ||
	    fail "write error not reported: $(cat "$TMPD/err")"
fi

expect_exit 0 "$TACT" scan -sT -Pn -p "$open" 127.0.0.1 -oA "$TMPD/all"
[ -s "$TMPD/connections" ] || fail "the scan made no connection to $open"
grep -q "^$open/tcp open " "$TMPD/all.nmap" || fail "all.nmap: $open not open"
grep -q "Ports: $open/open/tcp/" "$TMPD/all.gnmap" || fail "all.gnmap: $open not open"
grep -q "portid=\"$open\"><state state=\"open\"" "$TMPD/all.xml" ||
    fail "all.xml: $open not open"
[ "$(jq -r "select(.type == \"host\") | .ports[] | select(.port == $open) |
    .state" "$TMPD/all.jsonl")" = open ] || fail "all.jsonl: $open not open"
tail -n 1 "$TMPD/all.xml" | grep -q '^</nmaprun>$' || fail "all.xml is not whole"
exit 0
