# tact scan -sL and --dry-run: target syntax, files, excludes and every
# kind of bad input. Listing and counting send nothing; the comparison
# runs nmap -sL -n, which sends nothing either.
. "$TESTS_SRCDIR/e2e/lib.sh"

DATA=$TESTS_SRCDIR/data

# bad ARGS...: tact scan -sL ARGS exits 2 with one "tact: " line, no output.
bad() {
	expect_exit 2 "$TACT" scan -sL "$@"
	expect_one_line_error
}

# tact_list ARGS...: tact's list, one address a line.
tact_list() {
	"$TACT" scan -sL "$@" >"$TMPD/tact" 2>"$TMPD/err" ||
	    fail "tact scan -sL $*: $(cat "$TMPD/err")"
}

# Bad input of every kind.
bad ''
bad 198.18.0.5-1
grep -q 'reversed range' "$TMPD/err" || fail "reversed: $(cat "$TMPD/err")"
bad 198.18.0.0/33
bad 2001:2::/129
bad 198.18.0.300
grep -q '^tact: targets: "198.18.0.300": bad address' "$TMPD/err" ||
    fail "bad octet: $(cat "$TMPD/err")"
bad 1.2.3
bad 198.18.0.1 1-254.1-254.1-254.1-254
bad -n localhost
bad --exclude 198.18.0.0/24 198.18.0.1-9
grep -q 'every target is excluded' "$TMPD/err" || fail "$(cat "$TMPD/err")"
bad --exclude 198.18.0.1,,198.18.0.2 198.18.0.1
bad -iL "$TMPD/missing"
grep -q "$TMPD/missing: No such file" "$TMPD/err" || fail "$(cat "$TMPD/err")"
bad -iL "$DATA/targets-bad"
grep -q "^tact: $DATA/targets-bad:3: \"198.18.0.300\": bad address" \
    "$TMPD/err" || fail "targets-bad: $(cat "$TMPD/err")"
bad --excludefile "$TMPD/missing" 198.18.0.1
bad -iR 2000000
bad --shard 1/2 198.18.0.1
grep -q -- '--shard: needs --seed' "$TMPD/err" || fail "$(cat "$TMPD/err")"

{ echo 198.18.0.1; head -c 10240 /dev/zero | tr '\0' ' '; echo; } \
    >"$TMPD/long"
bad -iL "$TMPD/long"
grep -q ":2: line longer than" "$TMPD/err" || fail "long: $(cat "$TMPD/err")"

printf '198.18.0.1\n198.18.0.2\0\n' >"$TMPD/nul"
bad -iL "$TMPD/nul"
grep -q ":2: NUL byte" "$TMPD/err" || fail "NUL: $(cat "$TMPD/err")"

printf '# nothing\n\n   # here\n' >"$TMPD/comments"
bad -iL "$TMPD/comments"
grep -q 'no targets' "$TMPD/err" || fail "comments: $(cat "$TMPD/err")"
# A file of comments is fine when there are other targets.
tact_list -iL "$TMPD/comments" 198.18.0.1
[ "$(cat "$TMPD/tact")" = 198.18.0.1 ] || fail "comments + operand"

# Addresses come out one a line, ascending, whatever the input order.
tact_list 198.18.0.9 198.18.0.0/30 198.18.0.2 198.18.0.1
sort -t . -k 1,1n -k 2,2n -k 3,3n -k 4,4n -u "$TMPD/tact" >"$TMPD/sorted"
cmp -s "$TMPD/tact" "$TMPD/sorted" || fail "not ascending: $(cat "$TMPD/tact")"
[ "$(wc -l <"$TMPD/tact")" = 5 ] || fail "not 5 addresses: $(cat "$TMPD/tact")"

# A hostname prints its address.
tact_list localhost
grep -qx 127.0.0.1 "$TMPD/tact" || fail "localhost: $(cat "$TMPD/tact")"

# -iL - reads standard input.
printf '198.18.0.4 198.18.0.3\n' |
    "$TACT" scan -sL -iL - >"$TMPD/tact" 2>"$TMPD/err" ||
    fail "-iL -: $(cat "$TMPD/err")"
[ "$(tr '\n' ' ' <"$TMPD/tact")" = "198.18.0.3 198.18.0.4 " ] ||
    fail "-iL -: $(cat "$TMPD/tact")"

# The exact pair count of a dry run, the first line of its estimate (a
# profile without a host limit, and permission, so that it is allowed).
expect_exit 0 "$TACT" scan --dry-run -T brisk --purpose "pair count" \
    --i-have-permission -p 1-1000 --exclude 198.18.5.0/24 198.18.0.0/16
[ "$(head -n 1 "$TMPD/out")" = "pairs: 65280000 (65280 hosts x 1000 ports)" ] ||
    fail "dry run: $(cat "$TMPD/out")"
expect_exit 0 "$TACT" scan --dry-run --purpose "pair count" \
    --i-have-permission -p 1-10 --shard-pairs 2/3 --seed 1 198.18.0.0/30
grep -qx 'shard 2/3: 13 pairs' "$TMPD/out" || fail "shard: $(cat "$TMPD/out")"
# Whole hosts: the three shards' hosts add up to the four.
n=0
for i in 1 2 3; do
	expect_exit 0 "$TACT" scan --dry-run --purpose "pair count" \
	    --i-have-permission -p 1-10 --shard $i/3 --seed 1 198.18.0.0/30
	h=$(sed -n "s|^shard $i/3: \([0-9]*\) of 4 hosts\$|\1|p" "$TMPD/out")
	[ -n "$h" ] && [ "$h" -ge 1 ] || fail "shard $i/3: $(cat "$TMPD/out")"
	n=$((n + h))
done
[ $n -eq 4 ] || fail "host shards: $n hosts of 4"

# The same expansion as nmap -sL -n, on the same specifications.
command -v nmap >/dev/null 2>&1 || skip "nmap is not installed"
same_as_nmap() {
	tact_list -n "$@"
	sort "$TMPD/tact" >"$TMPD/tact.sorted"
	nmap -sL -n "$@" >"$TMPD/nmap" 2>&1 || fail "nmap -sL -n $*"
	sed -n 's/^Nmap scan report for \([^ ]*\)$/\1/p' "$TMPD/nmap" |
	    sort >"$TMPD/nmap.sorted"
	[ -s "$TMPD/nmap.sorted" ] || fail "nmap listed nothing for $*"
	cmp -s "$TMPD/tact.sorted" "$TMPD/nmap.sorted" ||
	    fail "tact and nmap differ on $*: $(diff "$TMPD/tact.sorted" \
	    "$TMPD/nmap.sorted" | head -5)"
}
same_as_nmap 198.18.0.1
same_as_nmap 198.18.0.0/30
same_as_nmap 198.18.0.77/28
same_as_nmap 198.18.0-1.1-254
same_as_nmap 198.18.0.*
same_as_nmap 198.18.0.1,3,5
same_as_nmap 198.18.0.250- 198.18.1.-3
same_as_nmap --exclude 198.18.0.5-9,198.18.0.128/26 198.18.0.0/24 198.18.0.5
same_as_nmap --excludefile "$DATA/targets-good" 198.18.0.0/22 198.18.4.0/30
same_as_nmap -iL "$DATA/targets-good"
same_as_nmap -6 2001:2::/126
exit 0
