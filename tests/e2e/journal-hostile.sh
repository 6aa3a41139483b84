#!/bin/sh
# A crafted journal whose profile and targets hold terminal escapes (an
# OSC that would retitle the terminal), C1 controls and bidirectional
# overrides, the targets 120 KB long: `tact list` and `tact report` show
# them escaped, and cut with a marker, never raw.
. "$TESTS_SRCDIR/e2e/lib.sh"
. "$TESTS_SRCDIR/e2e/journal-feeder.sh"
JOURNAL="$TESTS_BUILDDIR/e2e/output-journal"

# no_raw_controls FILE: no C0 control but tab and newline, no DEL, no C1
# (U+0080-U+009F), no bidirectional embedding, override or isolate.
no_raw_controls() {
	if LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$1"; then
		fail "$1 holds a control character: $(LC_ALL=C grep -n \
		    "$(printf '[\001-\010\013-\037\177]')" "$1" | cut -c 1-80 |
		    od -c | head -n 4)"
	fi
	for seq in '\302[\200-\237]' '\342\200[\252-\256]' \
	    '\342\201[\246-\251]'; do
		! LC_ALL=C grep -q "$(printf "$seq")" "$1" ||
		    fail "$1 holds $seq"
	done
}

id=20261129-001500-3fa9
mkdir -p -m 700 "$XDG_STATE_HOME/tact/scans/$id"
"$JOURNAL" "$XDG_STATE_HOME/tact/scans/$id/journal" strings ||
    fail "could not write the crafted journal"

expect_exit 0 "$TACT" list
no_raw_controls "$TMPD/out"
line=$(grep "^$id " "$TMPD/out") || fail "list lacks $id: $(cat "$TMPD/out")"
case $line in
*'\x1B]0;owned\x07\x9B31mpolite\u202E'*) ;;
*) fail "the profile is not shown escaped: $(echo "$line" | cut -c 1-300)" ;;
esac
case $line in
*'\x1B]2;retitled\x1B'?'\x85\u2066198.18.0.1 '*'...[+'*' bytes]...'*) ;;
*) fail "the targets are not escaped and cut: $(echo "$line" | cut -c 1-300)" ;;
esac
[ ${#line} -lt 2000 ] || fail "list row is ${#line} bytes long"

# The text outputs of report: the command line escaped, one line.
expect_exit 0 "$TACT" report "$id"
no_raw_controls "$TMPD/out"
exit 0
