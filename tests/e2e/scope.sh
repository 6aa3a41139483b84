# tact scope: check and show scope files, one-line errors for bad ones.
. "$TESTS_SRCDIR/e2e/lib.sh"

XDG_CONFIG_HOME=$TMPD/config
export XDG_CONFIG_HOME
good=$TESTS_SRCDIR/data/scope-good.yaml

expect_exit 0 "$TACT" scope check "$good"
[ "$(cat "$TMPD/out")" = "$good: ok" ] || fail "check: $(cat "$TMPD/out")"

expect_exit 0 "$TACT" scope show "$good"
grep -qx 'reference: LAB-1' "$TMPD/out" || fail "show: $(cat "$TMPD/out")"
grep -q '^# status: valid now' "$TMPD/out" || fail "status: $(cat "$TMPD/out")"
grep -qx '  - 198.18.0.0/15' "$TMPD/out" || fail "networks: $(cat "$TMPD/out")"
grep -qx '  - 198.18.0.1' "$TMPD/out" || fail "exclude: $(cat "$TMPD/out")"

# An expired scope still shows, and says so.
sed 's/^valid_until: .*/valid_until: 2021-01-01/' "$good" >"$TMPD/old.yaml"
expect_exit 0 "$TACT" scope show "$TMPD/old.yaml"
grep -qx '# status: NOT VALID: scope LAB-1 expired 2021-01-01' "$TMPD/out" ||
    fail "expired: $(cat "$TMPD/out")"

# check refuses a scope out of its dates, as a scan does (exit 3).
expect_exit 3 "$TACT" scope check "$TMPD/old.yaml"
expect_one_line_error
[ "$(cat "$TMPD/err")" = "tact: scope: $TMPD/old.yaml: scope LAB-1 expired 2021-01-01" ] ||
    fail "check of an expired scope: $(cat "$TMPD/err")"
sed 's/^valid_from: .*/valid_from: 2098-01-01/' "$good" >"$TMPD/later.yaml"
expect_exit 3 "$TACT" scope check "$TMPD/later.yaml"
expect_one_line_error
grep -qx "tact: scope: $TMPD/later.yaml: scope LAB-1 is not valid before 2098-01-01" \
    "$TMPD/err" || fail "check of a later scope: $(cat "$TMPD/err")"

# The default scope file.
expect_exit 2 "$TACT" scope show
expect_one_line_error
mkdir -p "$XDG_CONFIG_HOME/tact"
cp "$good" "$XDG_CONFIG_HOME/tact/scope.yaml"
expect_exit 0 "$TACT" scope show
grep -qx 'reference: LAB-1' "$TMPD/out" || fail "default: $(cat "$TMPD/out")"

n=0
for f in "$TESTS_SRCDIR"/data/scope-bad/*.yaml; do
	expect=$(head -n 1 "$f" | sed -n 's/^# expect: //p')
	[ -n "$expect" ] || fail "$f: no '# expect:' first line"
	expect_exit 2 "$TACT" scope check "$f"
	expect_one_line_error
	grep -q "^tact: $f:[1-9][0-9]*:[1-9][0-9]*: " "$TMPD/err" ||
	    fail "$f: no file:line:col: $(cat "$TMPD/err")"
	grep -qF -- "$expect" "$TMPD/err" ||
	    fail "$f: wanted '$expect', got: $(cat "$TMPD/err")"
	n=$((n + 1))
done
[ "$n" -ge 8 ] || fail "only $n bad scopes"

expect_exit 2 "$TACT" scope check "$TMPD/missing.yaml"
expect_one_line_error
expect_exit 2 "$TACT" scope frob
expect_one_line_error
exit 0
