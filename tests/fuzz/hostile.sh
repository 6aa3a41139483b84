# A hostile target: in the namespace lab, a host that answers each SYN
# with a malformed reply (tests/fuzz/hostile-target.c: truncated TCP,
# bad checksums, wrong IHL, absurd options, fragments, a bad ICMP quote,
# a runt frame), one kind a port. A SYN scan of it must finish, say the
# good SYN-ACK's port is open and every reply the parser must refuse
# leaves its port filtered.
. "$TESTS_SRCDIR/lab/lab.sh"

HOSTILE="$TESTS_BUILDDIR/fuzz/hostile-target"
[ -x "$HOSTILE" ] || fail "$HOSTILE: not built"

lab_up
lab_host evil 198.18.0.9
evil=$(lab_addr evil)
# The kernel's own answers (RSTs from closed ports) would hide the
# hostile ones: drop them, leaving only what hostile-target writes.
lab_exec evil nft -f - <<'NFT' || fail "nft in the evil host"
table ip hostile {
	chain out {
		type filter hook output priority 0; policy accept;
		tcp flags rst drop
	}
}
NFT
: >"$TMPD/hostile.out"
lab_exec evil "$HOSTILE" eth0 >"$TMPD/hostile.out" 2>&1 &
i=0
until grep -q ready "$TMPD/hostile.out"; do
	[ $i -lt 50 ] ||
	    fail "hostile-target did not start: $(cat "$TMPD/hostile.out")"
	i=$((i + 1))
	sleep 0.1
done

mkdir -m 700 "$TMPD/home" "$TMPD/home/run"
lab_exec scanner env HOME="$TMPD/home" XDG_STATE_HOME="$TMPD/home/state" \
    XDG_RUNTIME_DIR="$TMPD/home/run" "$TACT" scan -sS -Pn -n -T brisk \
    --purpose "hostile target test" --i-have-permission -p 1-13 \
    -oN "$TMPD/scan.nmap" "$evil" >"$TMPD/out" 2>"$TMPD/err"
rc=$?
[ $rc = 0 ] || fail "the scan exited $rc: $(cat "$TMPD/err")"
cat "$TMPD/scan.nmap"
grep -q "^tact scan report for $evil" "$TMPD/scan.nmap" ||
    fail "no report for $evil: $(cat "$TMPD/scan.nmap")"

# state PORT: the state the scan gave PORT ("filtered" when not listed).
state() {
	s=$(awk -v p="$1/tcp" '$1 == p { print $2 }' "$TMPD/scan.nmap")
	echo "${s:-filtered}"
}

[ "$(state 1)" = open ] ||
    fail "port 1 (a good SYN-ACK) is $(state 1): $(cat "$TMPD/scan.nmap")"
# truncated TCP, IHL 15, IHL 4, total length 1500, a RST with data
# offset 0, version 6, fragment, a bad ICMP quote, a runt: no reply the
# parser may take, so each port is filtered after its retries.
for p in 2 5 6 8 9 10 11 12 13; do
	[ "$(state $p)" = filtered ] ||
	    fail "port $p is $(state $p), wanted filtered: $(cat "$TMPD/scan.nmap")"
done
# Checksums of replies are not verified (as Nmap does not: loopback and
# veth leave them unfilled) and TCP options are not read: a RST with a
# wrong TCP checksum is closed, a SYN-ACK with absurd options open.
for want in 4:closed 7:open; do
	p=${want%%:*}
	[ "$(state $p)" = "${want#*:}" ] ||
	    fail "port $p is $(state $p), wanted ${want#*:}: $(cat "$TMPD/scan.nmap")"
done
# A wrong IP header checksum: a bridge that filters (br_netfilter) drops
# it on the way, else the scan takes it; either way some state.
case $(state 3) in
open|filtered) ;;
*) fail "port 3 is \"$(state 3)\": $(cat "$TMPD/scan.nmap")" ;;
esac
exit 0
