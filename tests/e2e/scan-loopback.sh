# tact scan of loopback: connect and SYN scans find the listeners open and
# the rest closed, with Nmap's reasons; -oN matches stdout; the polite
# per-host rate holds; a scan runs with no privileges left; exit statuses.
. "$TESTS_SRCDIR/e2e/lib.sh"

command -v socat >/dev/null 2>&1 || skip "needs socat"
command -v ss >/dev/null 2>&1 || skip "needs ss (iproute2)"

PIDS=
trap 'for p in $PIDS; do kill $p 2>/dev/null; done; rm -rf "$TMPD"' EXIT INT TERM

open1=$(free_port)
open2=$(free_port)
for p in $open1 $open2; do
	socat TCP-LISTEN:$p,bind=127.0.0.1,reuseaddr,fork /dev/null &
	PIDS="$PIDS $!"
done
closed1=$(free_port)
closed2=$(free_port)
for p in $open1 $open2; do
	i=0
	until [ -n "$(ss -Htln "sport = :$p")" ]; do
		[ $i -lt 50 ] || fail "socat did not listen on $p"
		i=$((i + 1))
		sleep 0.1
	done
done
ports=$open1,$open2,$closed1,$closed2

# check_states FILE OPEN_REASON CLOSED_REASON
check_states() {
	for p in $open1 $open2; do
		grep -Eq "^$p/tcp +open +[^ ]+ +$2" "$1" ||
		    fail "$p not open ($2): $(cat "$1")"
	done
	for p in $closed1 $closed2; do
		grep -Eq "^$p/tcp +closed +[^ ]+ +$3" "$1" ||
		    fail "$p not closed ($3): $(cat "$1")"
	done
	grep -q '^tact scan report for 127.0.0.1$' "$1" ||
	    fail "no report for 127.0.0.1: $(cat "$1")"
	grep -q '(1 host up) scanned in' "$1" || fail "no summary: $(cat "$1")"
}

expect_exit 0 "$TACT" scan -sT -p $ports -oN "$TMPD/sT.nmap" 127.0.0.1
check_states "$TMPD/out" syn-ack conn-refused
cmp -s "$TMPD/out" "$TMPD/sT.nmap" || fail "-oN differs from stdout"
[ ! -s "$TMPD/err" ] || fail "-sT wrote to stderr: $(cat "$TMPD/err")"

if [ "$(id -u)" = 0 ]; then
	expect_exit 0 "$TACT" scan -sS -p $ports 127.0.0.1
	check_states "$TMPD/out" "syn-ack ttl 64" "reset ttl 64"

	# Without CAP_NET_RAW, -sS says so once and scans with connect().
	# uid 65534 may not reach the build tree (a checkout in a 0700
	# home), so it runs its own copy of the program and the profiles.
	command -v setpriv >/dev/null 2>&1 || fail "needs setpriv"
	chmod 755 "$TMPD"
	mkdir -m 700 "$TMPD/home"
	chown 65534:65534 "$TMPD/home"
	mkdir -m 755 "$TMPD/nobody" "$TMPD/nobody/profiles"
	cp "$TACT" "$TMPD/nobody/tact" &&
	    cp "$TACT_DATADIR"/profiles/*.yaml "$TMPD/nobody/profiles/" &&
	    chmod -R a+rX "$TMPD/nobody" || fail "cannot copy tact for uid 65534"
	expect_exit 0 setpriv --reuid=65534 --regid=65534 --clear-groups \
	    --inh-caps=-all env HOME="$TMPD/home" XDG_STATE_HOME= \
	    XDG_RUNTIME_DIR= TACT_DATADIR="$TMPD/nobody" \
	    "$TMPD/nobody/tact" scan -sS -p $ports 127.0.0.1
	check_states "$TMPD/out" syn-ack conn-refused
	[ "$(wc -l <"$TMPD/err")" = 1 ] &&
	    grep -q 'connect scan' "$TMPD/err" ||
	    fail "no one-line notice of the fallback: $(cat "$TMPD/err")"

	# Without TACT_USER, root becomes the user tact, here from an
	# /etc/passwd of its own (bind-mounted in a mount namespace). While
	# the scan runs it has dropped root and every capability, emptied its
	# bounding set and runs under its system call filter.
	command -v unshare >/dev/null 2>&1 || fail "needs unshare"
	tactuid=4400
	while getent passwd $tactuid >/dev/null; do
		tactuid=$((tactuid + 1))
	done
	grep -v '^tact:' /etc/passwd >"$TMPD/passwd-none"
	cp "$TMPD/passwd-none" "$TMPD/passwd-tact"
	echo "tact:x:$tactuid:$tactuid::/nonexistent:/bin/false" \
	    >>"$TMPD/passwd-tact"
	bind='mount --bind "$0" /etc/passwd && exec "$@"'
	unshare -m sh -c "$bind" "$TMPD/passwd-tact" env -u TACT_USER \
	    "$TACT" scan -sS -p 1-40 127.0.0.1 >"$TMPD/slow" 2>&1 &
	pid=$!
	sleep 1
	st=/proc/$pid/status
	[ -r $st ] || fail "the scan ended too soon: $(cat "$TMPD/slow")"
	uid=$(awk '/^Uid:/ { print $2 $3 $4 $5 }' $st)
	[ "$uid" = "$tactuid$tactuid$tactuid$tactuid" ] ||
	    fail "Uid: $(grep Uid: $st)"
	for c in CapEff CapPrm CapInh CapAmb CapBnd; do
		grep -q "^$c:[[:space:]]*0*\$" $st || fail "$(grep $c: $st)"
	done
	grep -q '^NoNewPrivs:[[:space:]]*1$' $st || fail "$(grep NoNewPrivs $st)"
	grep -q '^Seccomp:[[:space:]]*2$' $st || fail "$(grep Seccomp: $st)"
	wait $pid || fail "the slow scan failed: $(cat "$TMPD/slow")"
	grep -q '^tact scan report for 127.0.0.1$' "$TMPD/slow" ||
	    fail "slow scan: $(cat "$TMPD/slow")"

	# With no user tact, it becomes nobody and says so in one line.
	expect_exit 0 unshare -m sh -c "$bind" "$TMPD/passwd-none" \
	    env -u TACT_USER "$TACT" scan -sT -p $ports 127.0.0.1
	check_states "$TMPD/out" syn-ack conn-refused
	[ "$(cat "$TMPD/err")" = 'tact: scan: no user "tact": running as nobody (see tact(1), SECURITY CONSIDERATIONS)' ] ||
	    fail "no notice of nobody: $(cat "$TMPD/err")"
fi

# polite: at most 10 probes a second to a host, so 20 ports take 1.9 s.
start=$(date +%s%N)
expect_exit 0 "$TACT" scan -sT -T polite -p 30000-30019 127.0.0.1
took=$(( ($(date +%s%N) - start) / 1000000 ))
[ $took -ge 1850 ] || fail "20 probes at 10/s took only $took ms"
[ $took -lt 5000 ] || fail "20 probes at 10/s took $took ms"

# Targets from standard input (-iL -) are read once and scanned.
printf '127.0.0.1\n' | "$TACT" scan -sT -p $open1 -iL - >"$TMPD/out" \
    2>"$TMPD/err" || fail "-iL -: $(cat "$TMPD/err")"
grep -q "^$open1/tcp *open" "$TMPD/out" || fail "-iL -: $(cat "$TMPD/out")"

# A target given as a name is reported under it, as Nmap does; no name
# is looked up for a target given as an address.
expect_exit 0 "$TACT" scan -sT -p $open1 -oX "$TMPD/name.xml" \
    -oG "$TMPD/name.gnmap" localhost
grep -q '^tact scan report for localhost (127.0.0.1)$' "$TMPD/out" ||
    fail "no name in the report: $(cat "$TMPD/out")"
grep -q '^<hostname name="localhost" type="user"/>$' "$TMPD/name.xml" ||
    fail "no hostname element: $(cat "$TMPD/name.xml")"
grep -q '^Host: 127.0.0.1 (localhost)	Ports: ' "$TMPD/name.gnmap" ||
    fail "no name in -oG: $(cat "$TMPD/name.gnmap")"

# Exit statuses: bad input 2, a failed write 1.
expect_exit 2 "$TACT" scan -sT -p 70000 127.0.0.1
expect_one_line_error
expect_exit 2 "$TACT" scan -sT -T no-such-profile -p 1 127.0.0.1
expect_one_line_error
if [ -w /dev/full ]; then
	expect_exit 1 "$TACT" scan -sT -p $open1 -oN /dev/full 127.0.0.1
	grep -q '^tact: ' "$TMPD/err" || fail "no error for /dev/full"
fi
exit 0
