# The command line: help, version, dispatch and errors.
. "$TESTS_SRCDIR/e2e/lib.sh"

expect_exit 0 "$TACT" --help
grep -q '^usage: tact' "$TMPD/out" || fail "--help prints no usage"
for c in ui scan estimate attach list resume stop profile scope; do
	grep -q "^  $c " "$TMPD/out" || fail "--help does not list $c"
done

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
