# Refused scans send nothing: from the lab's scanner, scans of real lab
# hosts that are out of scope, under an expired scope, without a scope
# file or permission, over their daily quota or against the profile's
# limits exit 3 with one line, and the capture of the scanner's link
# holds no packet from it. An allowed scan of the same host, captured
# the same way, shows that the capture would have seen them.
. "$TESTS_SRCDIR/lab/lab.sh"

XDG_CONFIG_HOME=$TMPD/config
XDG_STATE_HOME=$TMPD/state
export XDG_CONFIG_HOME XDG_STATE_HOME

lab_up
lab_host web 198.19.0.10
lab_host out 198.19.0.200
lab_listen web tcp 80

cat >"$TMPD/scope.yaml" <<EOF
reference: LAB-REFUSE
authorized_by: the lab's owner
valid_from: 2020-01-01
valid_until: 2099-12-31
networks:
  - 198.19.0.0/25
EOF
sed 's/^valid_until: .*/valid_until: 2021-01-01/' "$TMPD/scope.yaml" \
    >"$TMPD/expired.yaml"
cat >"$TMPD/quota2.yaml" <<EOF
name: quota2
description: polite, two scans a day
extends: polite
daily_quota: 2
EOF
mkdir -p "$XDG_STATE_HOME/tact"
printf '%s 198.19.0.10 2\n' "$(date -u +%Y-%m-%d)" \
    >"$XDG_STATE_HOME/tact/ledger"

# refused TEXT ARGS...: tact scan ARGS, run on the scanner, exits 3 with
# one line on stderr that contains TEXT.
refused() {
	text=$1
	shift
	expect_exit 3 lab_exec scanner "$TACT" scan -sT "$@"
	[ "$(wc -l <"$TMPD/err")" = 1 ] ||
	    fail "$*: stderr is not one line: $(cat "$TMPD/err")"
	grep -qF -- "$text" "$TMPD/err" ||
	    fail "$*: wanted '$text': $(cat "$TMPD/err")"
	[ ! -s "$TMPD/out" ] || fail "$*: stdout: $(cat "$TMPD/out")"
}

# count FILE FILTER: the packets in capture FILE that match FILTER.
count() {
	tcpdump -r "$1" -n "$2" 2>/dev/null | wc -l
}

# mark FILE: try web's port 9 and wait until capture FILE holds that
# SYN: whatever the scanner sent before it is in FILE too.
mark() {
	lab_probe scanner tcp 198.19.0.10 9 >/dev/null
	i=0
	until [ "$(count "$1" 'ip src 198.18.0.2 and tcp dst port 9')" -ge 1 ]
	do
		[ $i -lt 50 ] || fail "the capture never saw the marker SYN"
		i=$((i + 1))
		sleep 0.1
	done
}

lab_pcap_start "$TMPD/refused.pcap"
refused "198.19.0.200: not in scope file" --scope "$TMPD/scope.yaml" \
    -p 80 198.19.0.10 198.19.0.200
refused "scope LAB-REFUSE expired" --scope "$TMPD/expired.yaml" \
    -p 80 198.19.0.10
refused "198.19.0.10: no scope file covers it" -p 80 198.19.0.10
refused "no scope file covers it" --purpose "lab test" -p 80 198.19.0.10
refused "198.19.0.10: 2 scans today, its daily quota" \
    --scope "$TMPD/scope.yaml" -T "$TMPD/quota2.yaml" -p 80 198.19.0.10
refused "-sT: profile gentle allows no scan" --scope "$TMPD/scope.yaml" \
    -T gentle -p 80 198.19.0.10
refused "more than profile web allows" --scope "$TMPD/scope.yaml" \
    -T web -p 1-5 198.19.0.10
mark "$TMPD/refused.pcap"
lab_pcap_stop
n=$(count "$TMPD/refused.pcap" 'ip src 198.18.0.2 and not tcp dst port 9')
[ "$n" = 0 ] || fail "refused scans sent $n packets: $(tcpdump -r \
    "$TMPD/refused.pcap" -n 2>/dev/null | head -5)"
printf '%s 198.19.0.10 2\n' "$(date -u +%Y-%m-%d)" >"$TMPD/ledger.want"
cmp -s "$XDG_STATE_HOME/tact/ledger" "$TMPD/ledger.want" ||
    fail "the ledger changed: $(cat "$XDG_STATE_HOME/tact/ledger")"

# The same capture sees an allowed scan of the same host.
lab_pcap_start "$TMPD/allowed.pcap"
expect_exit 0 lab_exec scanner "$TACT" scan -sT --scope "$TMPD/scope.yaml" \
    -p 80 198.19.0.10
grep -q '^80/tcp  *open' "$TMPD/out" || fail "allowed scan: $(cat "$TMPD/out")"
mark "$TMPD/allowed.pcap"
lab_pcap_stop
n=$(count "$TMPD/allowed.pcap" \
    'ip src 198.18.0.2 and dst 198.19.0.10 and tcp dst port 80')
[ "$n" -ge 1 ] || fail "the capture saw no packet of the allowed scan"
exit 0
