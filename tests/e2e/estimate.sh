# tact estimate and tact scan --dry-run: the table, the exit statuses (0
# allowed, 2 bad input, 3 refused with one line naming the first refused
# target), scope files, permission and quotas. Neither sends anything or
# charges the ledger; the targets outside loopback are never contacted.
. "$TESTS_SRCDIR/e2e/lib.sh"

XDG_CONFIG_HOME=$TMPD/config
XDG_STATE_HOME=$TMPD/state
export XDG_CONFIG_HOME XDG_STATE_HOME
ledger=$XDG_STATE_HOME/tact/ledger

cat >"$TMPD/scope.yaml" <<EOF
reference: LAB-24
authorized_by: the lab's owner
valid_from: 2020-01-01
valid_until: 2099-12-31
networks:
  - 198.18.0.0/24
EOF
sed 's/^valid_until: .*/valid_until: 2021-01-01/' "$TMPD/scope.yaml" \
    >"$TMPD/expired.yaml"
cat >"$TMPD/quota2.yaml" <<EOF
name: quota2
description: polite, two scans a day
extends: polite
daily_quota: 2
EOF

# refused STATUS TEXT ARGS...: tact estimate ARGS exits STATUS with one
# line on stderr that contains TEXT.
refused() {
	status=$1
	text=$2
	shift 2
	expect_exit "$status" "$TACT" estimate "$@"
	[ "$(wc -l <"$TMPD/err")" = 1 ] ||
	    fail "$*: stderr is not one line: $(cat "$TMPD/err")"
	grep -q '^tact: ' "$TMPD/err" || fail "$*: $(cat "$TMPD/err")"
	grep -qF -- "$text" "$TMPD/err" ||
	    fail "$*: wanted '$text': $(cat "$TMPD/err")"
}

# Loopback is allowed, and the table has every figure.
expect_exit 0 "$TACT" estimate -p 1-10 127.0.0.1
[ "$(head -n 1 "$TMPD/out")" = "pairs: 10 (1 host x 10 ports)" ] ||
    fail "first line: $(cat "$TMPD/out")"
for row in profile technique hosts 'ports a host' discovery probes \
    'least time' 'peak a host' scope 'daily quota' verdict; do
	grep -q "^$row  *[^ ]" "$TMPD/out" || fail "no $row: $(cat "$TMPD/out")"
done
grep -qx 'probes  *10 at best, 40 at worst (3 retries)' "$TMPD/out" ||
    fail "probes: $(cat "$TMPD/out")"
grep -qx 'least time  *1.0s at best, 10.0s at worst' "$TMPD/out" ||
    fail "least time: $(cat "$TMPD/out")"
grep -qx 'verdict  *allowed' "$TMPD/out" || fail "verdict: $(cat "$TMPD/out")"
[ ! -s "$TMPD/err" ] || fail "stderr: $(cat "$TMPD/err")"

# scan --dry-run prints the same estimate.
cp "$TMPD/out" "$TMPD/estimate"
expect_exit 0 "$TACT" scan --dry-run -p 1-10 127.0.0.1
cmp -s "$TMPD/out" "$TMPD/estimate" ||
    fail "dry run differs: $(diff "$TMPD/estimate" "$TMPD/out")"

# Bad input: one line, exit 2, nothing on stdout.
expect_exit 2 "$TACT" estimate -p 70000 127.0.0.1
expect_one_line_error
expect_exit 2 "$TACT" estimate
expect_one_line_error
expect_exit 2 "$TACT" estimate -sL 127.0.0.1
expect_one_line_error
expect_exit 2 "$TACT" estimate --scope "$TMPD/none.yaml" 127.0.0.1
expect_one_line_error
expect_exit 2 "$TACT" estimate -T nosuchprofile 127.0.0.1
expect_one_line_error

# A scope file: the first target outside it is named.
expect_exit 0 "$TACT" estimate --scope "$TMPD/scope.yaml" 198.18.0.1
refused 3 "198.18.1.1: not in scope file $TMPD/scope.yaml (LAB-24)" \
    --scope "$TMPD/scope.yaml" 198.18.0.1 198.18.1.1 198.18.2.1
grep -q '^verdict  *refused: 198.18.1.1' "$TMPD/out" ||
    fail "verdict: $(cat "$TMPD/out")"
refused 3 "scope LAB-24 expired 2021-01-01" \
    --scope "$TMPD/expired.yaml" 198.18.0.1

# The default scope file is used without --scope.
mkdir -p "$XDG_CONFIG_HOME/tact"
cp "$TMPD/scope.yaml" "$XDG_CONFIG_HOME/tact/scope.yaml"
expect_exit 0 "$TACT" estimate 198.18.0.1
refused 3 "198.18.1.1: not in scope file" 198.18.1.1
rm "$XDG_CONFIG_HOME/tact/scope.yaml"

# No scope file: a purpose and --i-have-permission, both.
refused 3 "198.18.0.1: no scope file covers it" 198.18.0.1
grep -q '^warning: no --purpose' "$TMPD/out" || fail "$(cat "$TMPD/out")"
refused 3 "--i-have-permission" --purpose "lab test" 198.18.0.1
refused 3 "--purpose" --i-have-permission 198.18.0.1
expect_exit 0 "$TACT" estimate --purpose "lab test" --i-have-permission \
    198.18.0.1
grep -qx 'purpose  *lab test' "$TMPD/out" || fail "purpose: $(cat "$TMPD/out")"

# The profile's limits: hosts, ports a host, scan types.
refused 3 "65536 targets: more than profile gentle allows (max_hosts 256)" \
    -T gentle --scope "$TMPD/scope.yaml" 198.18.0.0/16
refused 3 "1000 ports a host: more than profile web allows" \
    -T web --top-ports 1000 127.0.0.1
refused 3 "-sT: profile gentle allows no scan" -T gentle -sT 127.0.0.1
refused 3 "-sS: profile ping-sweep scans no ports" -T ping-sweep -sS 127.0.0.1
expect_exit 0 "$TACT" estimate -T ping-sweep 127.0.0.1
grep -q '^technique  *ping scan' "$TMPD/out" || fail "$(cat "$TMPD/out")"
expect_exit 0 "$TACT" estimate -p- 127.0.0.1
grep -q '^warning: all 65535 TCP ports' "$TMPD/out" || fail "$(cat "$TMPD/out")"

# Quotas: read from the ledger, never charged by an estimate or a dry run.
mkdir -p "$XDG_STATE_HOME/tact"
today=$(date -u +%Y-%m-%d)
printf '%s 127.0.0.1 1\n' "$today" >"$ledger"
cp "$ledger" "$TMPD/ledger.before"
expect_exit 0 "$TACT" estimate -T "$TMPD/quota2.yaml" -p 80 127.0.0.1
grep -q '^warning: 127.0.0.1: this scan is the last of its 2 today' \
    "$TMPD/out" || fail "last of quota: $(cat "$TMPD/out")"
printf '%s 127.0.0.1 2\n' "$today" >"$ledger"
cp "$ledger" "$TMPD/ledger.before"
refused 3 "127.0.0.1: 2 scans today, its daily quota; the next is allowed" \
    -T "$TMPD/quota2.yaml" -p 80 127.0.0.1
expect_exit 3 "$TACT" scan --dry-run -T "$TMPD/quota2.yaml" -p 80 127.0.0.1
grep -q 'daily quota' "$TMPD/err" || fail "dry run quota: $(cat "$TMPD/err")"
cmp -s "$ledger" "$TMPD/ledger.before" || fail "the ledger was charged"
expect_exit 0 "$TACT" estimate -T "$TMPD/quota2.yaml" -p 80 127.0.0.2

# A corrupt ledger is bad input: one line, nothing on stdout.
echo 'junk' >"$ledger"
expect_exit 2 "$TACT" estimate -T "$TMPD/quota2.yaml" -p 80 127.0.0.1
expect_one_line_error
exit 0
