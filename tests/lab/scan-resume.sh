# Resume in the lab: a SYN scan of four addresses in groups of two (a
# plain host, one that drops some ports, one that drops ping, and an
# address with no host) killed with SIGKILL at random moments, and
# resumed each time with `tact resume` in the scanner, ends with the
# same host and port states as an uninterrupted scan of the same seed,
# with no port decided twice; `tact list` shows it finished.
. "$TESTS_SRCDIR/lab/lab.sh"
. "$TESTS_SRCDIR/e2e/journal-read.sh"

command -v jq >/dev/null 2>&1 || skip "needs jq"

lab_up
lab_host plain 198.19.0.10
lab_host dropper 198.19.0.11 drop-tcp=20-39
lab_host noping 198.19.0.13 no-ping
lab_listen plain tcp 22 80
lab_listen dropper tcp 22
lab_listen noping tcp 80

XDG_STATE_HOME=$TMPD/state
XDG_RUNTIME_DIR=$TMPD/run
XDG_CONFIG_HOME=$TMPD/xdg
export XDG_STATE_HOME XDG_RUNTIME_DIR XDG_CONFIG_HOME
mkdir -m 700 "$XDG_STATE_HOME" "$XDG_RUNTIME_DIR"
mkdir -p "$XDG_CONFIG_HOME/tact/profiles"
chmod 755 "$TMPD"
cat >"$XDG_CONFIG_HOME/tact/profiles/pairs-lab.yaml" <<-EOF
	name: pairs-lab
	description: "brisk, two hosts at a time"
	extends: brisk
	max_parallel_hosts: 2
	EOF
SCAN="--purpose lab-test --i-have-permission -T pairs-lab --max-rate 100
    --seed 99 -sS -p 1-100 198.19.0.10-13"

# states JSON: "ADDRESS host up" and "ADDRESS PORT STATE", sorted.
states() {
	jq -r 'select(.type == "host") | .address as $a |
	    "\($a) host \(.state)", (.ports[]? | "\($a) \(.port) \(.state)")' \
	    "$1" | sort
}

lab_exec scanner "$TACT" scan $SCAN -oJ "$TMPD/ref.json" >"$TMPD/ref.out" \
    2>"$TMPD/ref.err" || fail "uninterrupted scan failed: $(cat "$TMPD/ref.err")"
states "$TMPD/ref.json" >"$TMPD/want"
grep -q '^198.19.0.11 25 filtered$' "$TMPD/want" &&
    grep -q '^198.19.0.10 22 open$' "$TMPD/want" &&
    grep -q '^198.19.0.13 80 open$' "$TMPD/want" ||
    fail "the uninterrupted scan is wrong: $(cat "$TMPD/want")"

# state_of ID: the STATE column of `tact list`.
state_of() {
	"$TACT" list | awk -v id="$1" '$1 == id { print $2 }'
}

# engine_up ID: wait until an engine holds the scan's lock, or it ended.
engine_up() {
	i=0
	until [ "$(state_of "$1")" = running ] ||
	    [ "$(state_of "$1")" = finished ]; do
		[ $i -lt 100 ] || fail "$1 did not start: $(cat "$TMPD/run.err")"
		i=$((i + 1))
		sleep 0.1
	done
}

lab_exec scanner "$TACT" scan $SCAN -oJ "$TMPD/got.json" >/dev/null \
    2>"$TMPD/run.err" &
pid=$!
i=0
until ID=$("$TACT" list | awk 'NR == 3 { print $1 }') && [ -n "$ID" ]; do
	[ $i -lt 100 ] || fail "the second scan is not listed"
	i=$((i + 1))
	sleep 0.1
done
for k in 1 2 3; do
	engine_up "$ID"
	ms=$(( $(od -An -N2 -tu2 /dev/urandom) % 2000 ))
	sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))"
	[ "$(state_of "$ID")" = finished ] && break
	# $pid is the subshell of lab_exec; the lock names the engine.
	kill -9 "$(cat "$XDG_STATE_HOME/tact/scans/$ID/lock")" 2>/dev/null
	wait $pid 2>/dev/null
	state=$(state_of "$ID")
	[ "$state" = finished ] && break
	[ "$state" = interrupted ] || fail "kill $k: listed as $state"
	echo "kill $k: $(journal_ports "$(journal_of "$ID")" | wc -l) ports decided"
	lab_exec scanner "$TACT" resume "$ID" >/dev/null 2>"$TMPD/run.err" &
	pid=$!
done
wait $pid
[ "$("$TACT" list | awk -v id="$ID" '$1 == id { print $2, $5 }')" = \
    "finished 100.0%" ] || fail "not finished: $(cat "$TMPD/run.err")"
states "$TMPD/got.json" >"$TMPD/got"
diff "$TMPD/want" "$TMPD/got" >"$TMPD/diff" ||
    fail "resumed results differ: $(cat "$TMPD/diff")"
[ -z "$(journal_ports "$(journal_of "$ID")" | awk '{ print $1, $2 }' |
    sort | uniq -d)" ] || fail "a port decided twice"
exit 0
