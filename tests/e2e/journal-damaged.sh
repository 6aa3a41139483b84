# A damaged journal is an error naming the file and the offset: attach
# refuses it, list marks it with that reason, lists the other scans and
# exits 1; a journal of an unknown version is treated the same way, and
# so is a scan directory that cannot be read.
. "$TESTS_SRCDIR/e2e/lib.sh"
. "$TESTS_SRCDIR/e2e/journal-feeder.sh"

start_feeder 50 100000
wait $PID || fail "event-feeder failed"
good_id=$ID
start_feeder 50 100000
wait $PID || fail "event-feeder failed"
j=$XDG_STATE_HOME/tact/scans/$ID/journal
cp "$j" "$TMPD/good"

# expect_list_marks ID REASON: list exits 1, with nothing on stderr,
# the good scan listed finished and ID marked unreadable with REASON.
expect_list_marks() {
	expect_exit 1 "$TACT" list
	[ ! -s "$TMPD/err" ] || fail "list wrote to stderr: $(cat "$TMPD/err")"
	grep -q "^$good_id  *finished " "$TMPD/out" ||
	    fail "list lost the good scan: $(cat "$TMPD/out")"
	grep -q "^$1  *unreadable  *$2\$" "$TMPD/out" ||
	    fail "list does not mark $1 with $2: $(cat "$TMPD/out")"
	[ "$(wc -l <"$TMPD/out")" = 3 ] || fail "list: $(cat "$TMPD/out")"
}

# Flip one byte in the middle of the third record's payload.
printf '\377' | dd of="$j" bs=1 seek=200 conv=notrunc 2>/dev/null
expect_list_marks "$ID" "$j: offset [0-9]*: bad record CRC"
expect_exit 2 "$TACT" attach "$ID"
expect_one_line_error
grep -q "^tact: attach: $j: offset [0-9]*: bad record CRC$" "$TMPD/err" ||
    fail "attach of a damaged journal: $(cat "$TMPD/err")"

# Version 3 of the file format.
cp "$TMPD/good" "$j"
printf '\003' | dd of="$j" bs=1 seek=8 conv=notrunc 2>/dev/null
expect_list_marks "$ID" "$j: unknown journal version 3.*"

# A scan directory with no journal.
mv "$j" "$TMPD/moved"
expect_list_marks "$ID" "$j: No such file or directory"
mv "$TMPD/moved" "$j"

# A torn tail is no error: the scan reads as interrupted.
cp "$TMPD/good" "$j"
size=$(stat -c %s "$j")
truncate -s $((size - 5)) "$j"
expect_exit 0 "$TACT" list
grep -q "^$ID  *interrupted " "$TMPD/out" || fail "torn journal: $(cat "$TMPD/out")"
exit 0
