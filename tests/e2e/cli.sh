# The command line: help, version, dispatch and errors.
. "$TESTS_SRCDIR/e2e/lib.sh"

expect_exit 0 "$TACT" --help
grep -q '^usage: tact' "$TMPD/out" || fail "--help prints no usage"
# Every command of the table in cli/main.c, and no other.
cmds=$(sed -n '/^static const struct cmd_entry cmd_table\[\] = {$/,/^};$/p' \
    "$TESTS_SRCDIR/../cli/main.c" | sed -n 's/^\t{ "\([a-z-]*\)",.*/\1/p')
[ -n "$cmds" ] || fail "no command table in cli/main.c"
for c in $cmds; do
	grep -q "^  $c " "$TMPD/out" || fail "--help does not list $c"
	grep -q "^            tact $c" "$TMPD/out" || fail "--help gives no usage of $c"
done
listed=$(sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p' "$TMPD/out")
[ "$listed" = "$cmds" ] || fail "--help lists $(echo $listed), the table has $(echo $cmds)"

expect_exit 0 "$TACT" --version
grep -q '^tact [0-9]' "$TMPD/out" || fail "--version: $(cat "$TMPD/out")"

expect_exit 2 "$TACT" frobnicate
expect_one_line_error

expect_exit 2 "$TACT" scan -sX 127.0.0.1
expect_one_line_error
grep -q 'unknown scan type' "$TMPD/err" || fail "-sX: $(cat "$TMPD/err")"

expect_exit 2 "$TACT" scan
expect_one_line_error
exit 0
