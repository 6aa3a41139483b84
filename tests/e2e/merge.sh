# tact merge: three whole-host shards of a loopback connect scan, run at
# once into one --state-dir with --shard auto/3 (the index from
# JOB_COMPLETION_INDEX), merge into the unsharded scan's results port
# for port; each host is in one shard; a missing shard is exit 1 with
# the coverage, a shard twice or one of another scan exit 2 with one
# line; SLURM_ARRAY_TASK_ID counts from SLURM_ARRAY_TASK_MIN.
. "$TESTS_SRCDIR/e2e/lib.sh"

command -v socat >/dev/null 2>&1 || skip "needs socat"
command -v ss >/dev/null 2>&1 || skip "needs ss (iproute2)"

PIDS=
trap 'for p in $PIDS; do kill $p 2>/dev/null; done; rm -rf "$TMPD"' EXIT INT TERM

open1=$(free_port)
open2=$(free_port)
closed=$(free_port)
socat TCP-LISTEN:$open1,bind=127.0.0.2,reuseaddr,fork /dev/null &
PIDS="$PIDS $!"
socat TCP-LISTEN:$open2,bind=127.0.0.5,reuseaddr,fork /dev/null &
PIDS="$PIDS $!"
for p in $open1 $open2; do
	i=0
	until [ -n "$(ss -Htln "sport = :$p")" ]; do
		[ $i -lt 50 ] || fail "socat did not listen on $p"
		i=$((i + 1))
		sleep 0.1
	done
done

scan="scan -sT -T brisk --purpose merge --i-have-permission
    -p $open1,$open2,$closed --seed 11 127.0.0.1-8"
# ports FILE: the grepable output's hosts and ports (and those folded).
ports() {
	sed -n 's/^\(Host: [^ ]*\).*\(Ports: .*\)/\1 \2/p' "$1" | sort
}

expect_exit 0 "$TACT" $scan -oG "$TMPD/all.gnmap"
ports "$TMPD/all.gnmap" >"$TMPD/all"
[ "$(wc -l <"$TMPD/all")" = 8 ] || fail "unsharded: $(cat "$TMPD/all")"
grep -q "127.0.0.2 .*$open1/open/" "$TMPD/all" || fail "$(cat "$TMPD/all")"

for i in 0 1 2; do
	JOB_COMPLETION_INDEX=$i "$TACT" $scan --shard auto/3 \
	    --state-dir "$TMPD/state" -oG "$TMPD/s$i.gnmap" \
	    >"$TMPD/s$i.out" 2>"$TMPD/s$i.err" &
	eval job$i=$!
done
for i in 0 1 2; do
	eval wait \$job$i || fail "shard $i: $(cat "$TMPD/s$i.err")"
done
# Whole hosts: every host in exactly one shard.
cat "$TMPD/s0.gnmap" "$TMPD/s1.gnmap" "$TMPD/s2.gnmap" >"$TMPD/s.gnmap"
ports "$TMPD/s.gnmap" >"$TMPD/s"
cmp -s "$TMPD/s" "$TMPD/all" ||
    fail "shards: $(diff "$TMPD/all" "$TMPD/s")"
for i in 0 1 2; do
	grep -q '^Host: ' "$TMPD/s$i.gnmap" || fail "shard $i has no host"
done

expect_exit 0 "$TACT" merge -oG "$TMPD/m.gnmap" "$TMPD/state"
grep -qx 'tact: merge: 3 of 3 shards, 100.0% covered' "$TMPD/err" ||
    fail "merge said: $(cat "$TMPD/err")"
ports "$TMPD/m.gnmap" >"$TMPD/m"
cmp -s "$TMPD/m" "$TMPD/all" || fail "merged: $(diff "$TMPD/all" "$TMPD/m")"
grep -q '(8 hosts up) scanned in' "$TMPD/m.gnmap" ||
    fail "merged summary: $(tail -1 "$TMPD/m.gnmap")"

# Shards by journal and by scan directory; one missing.
set -- "$TMPD"/state/2*
[ $# = 3 ] || fail "state directory: $(ls "$TMPD/state")"
expect_exit 1 "$TACT" merge -oN "$TMPD/part.nmap" "$1/journal" "$2"
grep -Eq '^tact: merge: incomplete: missing shard [123]/3; [0-9.]+% covered$' \
    "$TMPD/err" || fail "missing: $(cat "$TMPD/err")"
[ "$(wc -l <"$TMPD/err")" = 1 ] || fail "not one line: $(cat "$TMPD/err")"
grep -q 'Warning: merged 2 of 3 shards; missing' "$TMPD/part.nmap" ||
    fail "partial output: $(cat "$TMPD/part.nmap")"

expect_exit 2 "$TACT" merge "$1" "$2" "$1/journal"
expect_one_line_error
grep -q 'are both shard' "$TMPD/err" || fail "twice: $(cat "$TMPD/err")"

expect_exit 0 "$TACT" $scan --seed 12 --shard 1/3 --state-dir "$TMPD/other"
expect_exit 2 "$TACT" merge "$TMPD/other" "$2" "$3"
expect_one_line_error
grep -q 'are not shards of one scan: their seed differs$' "$TMPD/err" ||
    fail "other scan: $(cat "$TMPD/err")"

# Slurm: an array declared 1-3, task 3 is the last shard.
SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_ID=3 \
    expect_exit 0 "$TACT" $scan --shard auto/3 --dry-run
grep -q '^shard 3/3: ' "$TMPD/out" || fail "slurm: $(cat "$TMPD/out")"
exit 0
