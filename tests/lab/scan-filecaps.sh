# Non-root users on a jump box, the way Wireshark's dumpcap does it: the
# program owned by root and the group tact, mode 0750, with cap_net_raw
# as a file capability (tact(1), SECURITY). A member of the group (here
# a free uid and gid, no account needed) runs a SYN scan of a lab host
# without sudo: it finds the open ports by SYN-ACK and the closed ones by
# RST, says nothing of a connect scan, and while it runs its engine
# keeps the user's uid with no capability left, no_new_privs and the
# system call filter. A user outside the group cannot run it at all.
. "$TESTS_SRCDIR/lab/lab.sh"

command -v setcap >/dev/null 2>&1 || skip "needs setcap (libcap2-bin)"
command -v setpriv >/dev/null 2>&1 || skip "needs setpriv"
command -v jq >/dev/null 2>&1 || skip "needs jq"

# A uid and a gid that no account or group has.
free_id() {
	free_n=$1
	while getent "$2" $free_n >/dev/null 2>&1; do
		free_n=$((free_n + 1))
	done
	echo $free_n
}
user=$(free_id 4321 passwd)
other=$(free_id $((user + 1)) passwd)
group=$(free_id 4321 group)

lab_up
lab_host target 198.19.0.10
lab_listen target tcp 22 80

chmod 755 "$TMPD"
mkdir -m 755 "$TMPD/bin"
cp "$TACT" "$TMPD/bin/tact"
chown root:$group "$TMPD/bin/tact"
chmod 0750 "$TMPD/bin/tact"
setcap cap_net_raw=ep "$TMPD/bin/tact" ||
    fail "setcap: cannot give $TMPD/bin/tact a file capability"
mkdir -m 700 "$TMPD/home"
chown $user:$user "$TMPD/home"
# The profiles where the users can read them (a checkout in a 0700 home
# is out of their reach).
mkdir -m 755 "$TMPD/data" "$TMPD/data/profiles"
cp "$TACT_DATADIR"/profiles/*.yaml "$TMPD/data/profiles/" &&
    chmod -R a+rX "$TMPD/data" || fail "cannot copy the profiles"

# as UID [GROUP] CMD...: run CMD in the scanner as UID, a member of GROUP.
as() {
	as_uid=$1
	as_groups=--clear-groups
	[ "$2" = - ] || as_groups=--groups=$2
	shift 2
	lab_exec scanner setpriv --reuid=$as_uid --regid=$as_uid $as_groups \
	    --inh-caps=-all env HOME="$TMPD/home" XDG_CONFIG_HOME= \
	    XDG_STATE_HOME= XDG_RUNTIME_DIR= TACT_DATADIR="$TMPD/data" "$@"
}

# Outside the group: not even run.
as $other - "$TMPD/bin/tact" --version >"$TMPD/out" 2>"$TMPD/err" &&
    fail "a user outside the group ran it: $(cat "$TMPD/out")"
grep -q 'Permission denied' "$TMPD/err" ||
    fail "outside the group: $(cat "$TMPD/err")"

# In the group: a SYN scan, slow enough to look at its engine.
as $user $group "$TMPD/bin/tact" scan -sS --purpose "lab test" \
    --i-have-permission -T standard --max-rate 20 -p 20-30,75-85 \
    -oJ "$TMPD/home/scan.json" 198.19.0.10 >"$TMPD/out" 2>"$TMPD/err" &
job=$!
tries=0
while :; do
	pid=$(pgrep -u $user -f "^$TMPD/bin/tact scan" | head -1)
	st=/proc/$pid/status
	[ -n "$pid" ] && grep -q '^Seccomp:[[:space:]]*2$' $st 2>/dev/null &&
	    break
	tries=$((tries + 1))
	[ $tries -lt 50 ] ||
	    fail "the engine never came under its filter: $(cat "$TMPD/err")"
	sleep 0.1
done
grep -q "^Name:[[:space:]]*tact\$" $st || fail "$(grep Name: $st)"
uid=$(awk '/^Uid:/ { print $2 $3 $4 $5 }' $st)
[ "$uid" = "$user$user$user$user" ] || fail "Uid: $(grep Uid: $st)"
for c in CapEff CapPrm CapInh CapAmb; do
	grep -q "^$c:[[:space:]]*0*\$" $st || fail "$(grep $c: $st)"
done
grep -q '^NoNewPrivs:[[:space:]]*1$' $st || fail "$(grep NoNewPrivs: $st)"
wait $job || fail "the scan failed: $(cat "$TMPD/err")"

[ ! -s "$TMPD/err" ] || fail "said on stderr: $(cat "$TMPD/err")"
jq -r 'select(.type == "host") | .ports[]? |
    "\(.port) \(.state) \(.reason)"' "$TMPD/home/scan.json" | sort -n \
    >"$TMPD/got"
grep -qx '22 open syn-ack' "$TMPD/got" || fail "22: $(cat "$TMPD/got")"
grep -qx '80 open syn-ack' "$TMPD/got" || fail "80: $(cat "$TMPD/got")"
grep -qx '21 closed reset' "$TMPD/got" || fail "21: $(cat "$TMPD/got")"
[ "$(grep -c ' closed reset$' "$TMPD/got")" = 20 ] ||
    fail "not 20 closed by RST: $(cat "$TMPD/got")"
exit 0
