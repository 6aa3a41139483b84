# tact profile: the shipped profiles, the bad-input corpus, show's
# round trip, list and the search path.
. "$TESTS_SRCDIR/e2e/lib.sh"

XDG_CONFIG_HOME=$TMPD/config
export XDG_CONFIG_HOME
SHIPPED="gentle polite standard brisk ping-sweep web scanme"

# Every shipped profile checks, by name and by file.
for p in $SHIPPED; do
	expect_exit 0 "$TACT" profile check "$TACT_DATADIR/profiles/$p.yaml"
	[ "$(cat "$TMPD/out")" = "$TACT_DATADIR/profiles/$p.yaml: ok" ] ||
	    fail "check $p: $(cat "$TMPD/out")"
	[ ! -s "$TMPD/err" ] || fail "check $p wrote to stderr"
	expect_exit 0 "$TACT" profile check "$p"
done

# The bad-input corpus: each file names the error it must give.
n=0
for f in "$TESTS_SRCDIR"/data/profiles-bad/*.yaml; do
	expect=$(head -n 1 "$f" | sed -n 's/^# expect: //p')
	[ -n "$expect" ] || fail "$f: no '# expect:' first line"
	expect_exit 2 "$TACT" profile check "$f"
	expect_one_line_error
	grep -q "^tact: $f:[1-9][0-9]*:[1-9][0-9]*: " "$TMPD/err" ||
	    fail "$f: no file:line:col: $(cat "$TMPD/err")"
	grep -qF -- "$expect" "$TMPD/err" ||
	    fail "$f: wanted '$expect', got: $(cat "$TMPD/err")"
	n=$((n + 1))
done
[ "$n" -ge 30 ] || fail "only $n bad profiles"

# The good corpus checks.
for f in "$TESTS_SRCDIR"/data/profiles-good/*.yaml; do
	expect_exit 0 "$TACT" profile check "$f"
	grep -qx "$f: ok" "$TMPD/out" || fail "$f: $(cat "$TMPD/out")"
done

# show prints YAML that loads back to the same profile: showing the
# output again gives the same keys and values.
for p in $SHIPPED "$TESTS_SRCDIR/data/profiles-good/base.yaml" \
    "$TESTS_SRCDIR/data/profiles-good/chain.yaml"; do
	expect_exit 0 "$TACT" profile show "$p"
	shown=$TMPD/shown/$(basename "$p" .yaml).yaml
	mkdir -p "$TMPD/shown"
	mv "$TMPD/out" "$shown"
	expect_exit 0 "$TACT" profile check "$shown"
	expect_exit 0 "$TACT" profile show "$shown"
	tail -n +2 "$shown" >"$TMPD/a"
	tail -n +2 "$TMPD/out" >"$TMPD/b"
	cmp -s "$TMPD/a" "$TMPD/b" ||
	    fail "show $p does not round-trip: $(diff "$TMPD/a" "$TMPD/b")"
done
expect_exit 0 "$TACT" profile show gentle
grep -qx 'host_max_rate: 2/s' "$TMPD/out" || fail "gentle: $(cat "$TMPD/out")"
grep -qx 'service_probes: none' "$TMPD/out" || fail "gentle probes"
grep -qx 'service_max_connections: 1' "$TMPD/out" || fail "gentle connections"
grep -qx 'min_rtt_timeout: 200ms' "$TMPD/out" || fail "gentle min rtt"
grep -qx 'max_retries: 3' "$TMPD/out" && fail "gentle kept polite's retries"

# list: a heading and one row per shipped profile with its limits.
expect_exit 0 "$TACT" profile list
head -n 1 "$TMPD/out" | grep -q '^NAME .*RATE .*DESCRIPTION$' ||
    fail "list heading: $(head -n 1 "$TMPD/out")"
for p in $SHIPPED; do
	grep -q "^$p " "$TMPD/out" || fail "list lacks $p"
done
grep -q '^gentle  *10/s  *2/s  *1  *2  *none  *fragile' "$TMPD/out" ||
    fail "list gentle row: $(grep '^gentle' "$TMPD/out")"
grep -q '^scanme  *100/s  *10/s  *4  *3  *12 ' "$TMPD/out" ||
    fail "list scanme row: $(grep '^scanme' "$TMPD/out")"

# The search path: a user profile comes first, and a user's polite.yaml
# may extend the shipped polite.
mkdir -p "$XDG_CONFIG_HOME/tact/profiles"
cp "$TESTS_SRCDIR/data/profiles-good/polite.yaml" \
    "$TESTS_SRCDIR/data/profiles-good/chain.yaml" \
    "$XDG_CONFIG_HOME/tact/profiles/"
expect_exit 0 "$TACT" profile show polite
grep -qx 'max_rate: 50/s' "$TMPD/out" || fail "user polite: $(cat "$TMPD/out")"
expect_exit 0 "$TACT" profile show chain
grep -qx 'max_rate: 2/s' "$TMPD/out" || fail "user chain: $(cat "$TMPD/out")"
expect_exit 0 "$TACT" profile list
[ "$(grep -c '^polite ' "$TMPD/out")" = 1 ] || fail "polite listed twice"
grep -q '^chain ' "$TMPD/out" || fail "list lacks the user's chain"

# A bad profile is listed with its one-line reason, the others still
# are, and list exits 1.
printf 'name: broken\ndescription: x\nextends: polite\nmax_rate: fast\n' >"$XDG_CONFIG_HOME/tact/profiles/broken.yaml"
expect_exit 1 "$TACT" profile list
[ ! -s "$TMPD/err" ] || fail "profile list wrote to stderr: $(cat "$TMPD/err")"
grep -q "^broken  *error: $XDG_CONFIG_HOME/tact/profiles/broken.yaml:4:.*max_rate" \
    "$TMPD/out" || fail "list does not mark broken: $(cat "$TMPD/out")"
for p in $SHIPPED chain; do
	grep -q "^$p " "$TMPD/out" || fail "list with a bad profile lacks $p"
done
rm "$XDG_CONFIG_HOME/tact/profiles/broken.yaml"

# Errors without a file: unknown names, bad names, usage.
expect_exit 2 "$TACT" profile show nosuch
expect_one_line_error
grep -q 'profile "nosuch": not found' "$TMPD/err" || fail "$(cat "$TMPD/err")"
expect_exit 2 "$TACT" profile check "$TMPD/missing.yaml"
expect_one_line_error
expect_exit 2 "$TACT" profile frob
expect_one_line_error
expect_exit 2 "$TACT" profile
expect_one_line_error
exit 0
