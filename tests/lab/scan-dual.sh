# A dual-stack lab host and a host that is not there, scanned by their
# IPv4 and IPv6 addresses in one raw scan (SYN with raw discovery, UDP,
# -sn): each address is found as nmap finds it, nmap scanning one
# family a run (-6 for IPv6); the empty addresses are down.
. "$TESTS_SRCDIR/lab/lab.sh"

command -v nmap >/dev/null 2>&1 || skip "needs nmap"

lab_up
lab_host web 198.19.0.40 drop-tcp=443 drop-udp=161
lab_listen -b lab web tcp 22 80
lab_listen -b lab web udp 53
a4=$(lab_addr web)
a6=$(lab_addr web 6)
e4=198.19.0.99
e6=2001:2:0:2::99

# states FILE: "ADDR host STATE" and "ADDR PORT/PROTO STATE", sorted.
states() {
	awk '/<hosthint>/ { hint = 1 } /<\/hosthint>/ { hint = 0; next }
	    hint { next }
	    /<address addr=/ { a = $0; sub(/.*<address addr="/, "", a)
		sub(/".*/, "", a); print a, "host", s }
	    /<status state=/ { s = $0; sub(/.*<status state="/, "", s)
		sub(/".*/, "", s) }
	    /<port protocol=/ { p = $0
		sub(/.*protocol="/, "", p); proto = p; sub(/".*/, "", proto)
		sub(/.*portid="/, "", p); port = p; sub(/".*/, "", port)
		sub(/.*<state state="/, "", p); sub(/".*/, "", p)
		print a, port "/" proto, p }' "$1" | sort
}

# run NAME ARGS...: tact over both families, nmap once a family; every
# address's states must be the same.
run() {
	name=$1
	shift
	lab_exec scanner "$TACT" scan --purpose "lab test" \
	    --i-have-permission -T standard -oX "$TMPD/$name.xml" "$@" \
	    "$a4" "$e4" "$a6" "$e6" >"$TMPD/$name.out" 2>"$TMPD/$name.err" ||
	    fail "$name: tact failed: $(cat "$TMPD/$name.err")"
	lab_exec scanner nmap -n -T4 --max-retries 2 -oX "$TMPD/$name-n4.xml" \
	    "$@" "$a4" "$e4" >/dev/null 2>"$TMPD/$name-n4.err" ||
	    fail "$name: nmap failed: $(cat "$TMPD/$name-n4.err")"
	lab_exec scanner nmap -6 -n -T4 --max-retries 2 \
	    -oX "$TMPD/$name-n6.xml" "$@" "$a6" "$e6" >/dev/null \
	    2>"$TMPD/$name-n6.err" ||
	    fail "$name: nmap -6 failed: $(cat "$TMPD/$name-n6.err")"
	states "$TMPD/$name.xml" >"$TMPD/$name.got"
	{ states "$TMPD/$name-n4.xml"; states "$TMPD/$name-n6.xml"; } |
	    sort >"$TMPD/$name.want"
	diff "$TMPD/$name.want" "$TMPD/$name.got" >"$TMPD/$name.diff" ||
	    fail "$name: nmap < > tact: $(cat "$TMPD/$name.diff")"
	grep -q "^$a4 host up" "$TMPD/$name.got" &&
	    grep -q "^$a6 host up" "$TMPD/$name.got" ||
	    fail "$name: not both addresses up: $(cat "$TMPD/$name.got")"
	! grep -Eq "^($e4|$e6) host up" "$TMPD/$name.got" ||
	    fail "$name: an empty address is up: $(cat "$TMPD/$name.got")"
}

run syn -sS -p 21,22,80,443
grep -qx "$a6 80/tcp open" "$TMPD/syn.got" &&
    grep -qx "$a4 443/tcp filtered" "$TMPD/syn.got" ||
    fail "syn: $(cat "$TMPD/syn.got")"
run udp -sU -p 53,123,161
grep -qx "$a6 53/udp open" "$TMPD/udp.got" ||
    fail "udp: $(cat "$TMPD/udp.got")"
run ping -sn
exit 0
