# A damaged journal is an error naming the file and the offset, with no
# partial output, for list and attach alike; a journal of an unknown
# version is refused the same way.
. "$TESTS_SRCDIR/e2e/lib.sh"
. "$TESTS_SRCDIR/e2e/journal-feeder.sh"

start_feeder 50 100000
wait $PID || fail "event-feeder failed"
j=$XDG_STATE_HOME/tact/scans/$ID/journal
cp "$j" "$TMPD/good"

# Flip one byte in the middle of the third record's payload.
printf '\377' | dd of="$j" bs=1 seek=200 conv=notrunc 2>/dev/null
expect_exit 2 "$TACT" list
expect_one_line_error
grep -q "^tact: list: $j: offset [0-9]*: bad record CRC$" "$TMPD/err" ||
    fail "list of a damaged journal: $(cat "$TMPD/err")"
expect_exit 2 "$TACT" attach "$ID"
expect_one_line_error
grep -q "^tact: attach: $j: offset [0-9]*: bad record CRC$" "$TMPD/err" ||
    fail "attach of a damaged journal: $(cat "$TMPD/err")"

# Version 2 of the file format.
cp "$TMPD/good" "$j"
printf '\002' | dd of="$j" bs=1 seek=8 conv=notrunc 2>/dev/null
expect_exit 2 "$TACT" list
expect_one_line_error
grep -q "^tact: list: $j: unknown journal version 2" "$TMPD/err" ||
    fail "list of a version 2 journal: $(cat "$TMPD/err")"

# A torn tail is no error: the scan reads as interrupted.
cp "$TMPD/good" "$j"
size=$(stat -c %s "$j")
truncate -s $((size - 5)) "$j"
expect_exit 0 "$TACT" list
grep -q "^$ID  *interrupted " "$TMPD/out" || fail "torn journal: $(cat "$TMPD/out")"
exit 0
