# IPv6 neighbour discovery in the lab: a host on the scanner's own link
# that drops ICMPv6 echo and every TCP port is found up by Neighbor
# Solicitation, an empty address on that link is down, and a host behind
# the router is still found by echo.
. "$TESTS_SRCDIR/lab/lab.sh"

command -v jq >/dev/null 2>&1 || skip "needs jq"

lab_up
lab_host near 198.18.0.20 no-ping drop-tcp=1-65535
lab_host far 198.19.0.30
near=$(lab_addr near 6)
far=$(lab_addr far 6)
empty=2001:2:0:1::21

lab_exec scanner "$TACT" scan -6 -sn -T ping-sweep \
    --purpose "lab test" --i-have-permission -oJ "$TMPD/nd.json" \
    "$near" "$empty" "$far" >"$TMPD/nd.out" 2>"$TMPD/nd.err" ||
    fail "scan: $(cat "$TMPD/nd.err")"
got=$(jq -r 'select(.type == "host") | "\(.address) \(.state) \(.reason)"' \
    "$TMPD/nd.json")
printf '%s\n' "$got" | grep -qx "$near up nd-response" ||
    fail "-sn: $near is not up by nd-response: $got"
printf '%s\n' "$got" | grep -qx "$far up echo-reply" ||
    fail "-sn: $far is not up by echo-reply: $got"
printf '%s\n' "$got" | grep -q "^$empty down" ||
    fail "-sn: the empty address $empty is not down: $got"
exit 0
