#!/bin/sh
# Every case of tests/data/nmap-flags.tsv: a command line as an Nmap
# user types it, on loopback, with the exit status it must give and a
# property of its output. Listeners on $O1 and $O2 (socat) are open,
# $C1 and $C2 closed. Properties:
#   err=TEXT	one line on stderr, "tact: ..." holding TEXT, no stdout
#   stderr=TEXT	stderr holds TEXT
#   out=TEXT	stdout holds TEXT
#   once=TEXT	stdout holds TEXT on exactly one line
#   xml		stdout is one XML document that xmllint validates
#   json	every line on stdout is a JSON object
#   nmap	nmap given the same arguments reports the same host and
#		port states (both write -oX - to stdout), and tact's
#		stdout validates with xmllint
. "$TESTS_SRCDIR/e2e/lib.sh"
. "$TESTS_SRCDIR/e2e/output-lib.sh"

command -v nmap >/dev/null || skip "nmap is not installed"
command -v xmllint >/dev/null || skip "xmllint is not installed"
command -v jq >/dev/null || skip "jq is not installed"
[ "$(id -u)" = 0 ] || skip "the SYN and UDP cases need root"

TABLE=$TESTS_SRCDIR/data/nmap-flags.tsv
D=$TESTS_SRCDIR/data
T=$TMPD/in
mkdir "$T"

O1=$(free_port)
listen "$O1"
O2=$(free_port)
listen "$O2"
C1=$(free_port)
C2=$(free_port)
while [ "$C2" = "$C1" ] || [ "$C1" = "$O1" ] || [ "$C1" = "$O2" ] ||
    [ "$C2" = "$O1" ] || [ "$C2" = "$O2" ]; do
	C1=$(free_port)
	C2=$(free_port)
done

# The states an XML output gives: "host STATE" and "PORT/PROTO STATE".
states() {
	{
		grep -o '<status state="[a-z]*"' "$1" | sed 's/.*="\(.*\)"/host \1/'
		grep -o 'protocol="[a-z]*" portid="[0-9]*"><state state="[a-z|]*"' \
		    "$1" | sed 's/protocol="\(.*\)" portid="\(.*\)"><state state="\(.*\)"/\2\/\1 \3/'
	} | sort
}

# $L: a word of 5000 bytes, past a page of command line.
L=$(printf '%05000d' 0)

expand() {
	printf '%s\n' "$1" | sed -e "s|\$O1|$O1|g" -e "s|\$O2|$O2|g" \
	    -e "s|\$C1|$C1|g" -e "s|\$C2|$C2|g" -e "s|\$D|$D|g" -e "s|\$T|$T|g" \
	    -e "s|\$L|$L|g"
}

tab=$(printf '\t')
n=0
interop=0
lineno=0
start=$(date +%s)
while IFS= read -r line; do
	lineno=$((lineno + 1))
	case $line in '#'*|'') continue ;; esac
	status=${line%%"$tab"*}
	rest=${line#*"$tab"}
	prop=$(expand "${rest%%"$tab"*}")
	args=$(expand "${rest#*"$tab"}")
	[ "$status" != "$line" ] && [ "$args" != "$rest" ] ||
	    fail "$TABLE:$lineno: want STATUS<tab>PROPERTY<tab>ARGS"
	where="$TABLE:$lineno: tact $args"
	eval "set -- $args"
	"$TACT" "$@" >"$TMPD/out" 2>"$TMPD/err"
	got=$?
	[ "$got" = "$status" ] ||
	    fail "$where: exit $got, wanted $status: $(head -c 300 "$TMPD/err")"
	case $prop in
	err=*)
		want=${prop#err=}
		[ ! -s "$TMPD/out" ] ||
		    fail "$where: stdout not empty: $(head -c 300 "$TMPD/out")"
		[ "$(wc -l <"$TMPD/err")" = 1 ] ||
		    fail "$where: stderr is not one line: $(head -c 300 "$TMPD/err")"
		grep -q '^tact: ' "$TMPD/err" ||
		    fail "$where: stderr does not start with tact: $(cat "$TMPD/err")"
		grep -qF -e "$want" "$TMPD/err" ||
		    fail "$where: stderr lacks '$want': $(head -c 300 "$TMPD/err")"
		;;
	stderr=*)
		grep -qF -e "${prop#stderr=}" "$TMPD/err" ||
		    fail "$where: stderr lacks '${prop#stderr=}': $(head -c 300 "$TMPD/err")"
		;;
	out=*)
		grep -qF -e "${prop#out=}" "$TMPD/out" ||
		    fail "$where: stdout lacks '${prop#out=}': $(head -c 300 "$TMPD/out")"
		;;
	once=*)
		[ "$(grep -cF -e "${prop#once=}" "$TMPD/out")" = 1 ] ||
		    fail "$where: stdout does not hold '${prop#once=}' once: $(head -c 600 "$TMPD/out")"
		;;
	xml)
		xmllint --noout - <"$TMPD/out" 2>"$TMPD/lint" ||
		    fail "$where: stdout is not XML: $(head -c 300 "$TMPD/lint")"
		;;
	json)
		[ -s "$TMPD/out" ] || fail "$where: no JSON on stdout"
		jq -e 'type == "object"' <"$TMPD/out" >/dev/null 2>&1 ||
		    fail "$where: stdout is not JSON objects: $(head -c 300 "$TMPD/out")"
		;;
	nmap)
		xmllint --noout - <"$TMPD/out" 2>"$TMPD/lint" ||
		    fail "$where: stdout is not XML: $(head -c 300 "$TMPD/lint")"
		nmap "$@" >"$TMPD/nmap.xml" 2>"$TMPD/nmap.err" ||
		    fail "$where: nmap failed: $(head -c 300 "$TMPD/nmap.err")"
		states "$TMPD/out" >"$TMPD/tact.states"
		states "$TMPD/nmap.xml" >"$TMPD/nmap.states"
		grep -q '^host up$' "$TMPD/nmap.states" ||
		    fail "$where: nmap saw no host up: $(cat "$TMPD/nmap.xml")"
		cmp -s "$TMPD/tact.states" "$TMPD/nmap.states" ||
		    fail "$where: states differ: tact: $(tr '\n' ';' <"$TMPD/tact.states") nmap: $(tr '\n' ';' <"$TMPD/nmap.states")"
		interop=$((interop + 1))
		;;
	*)
		fail "$TABLE:$lineno: unknown property $prop"
		;;
	esac
	n=$((n + 1))
done <"$TABLE"
[ $n -ge 60 ] || fail "$TABLE: only $n cases"
[ $interop -ge 20 ] || fail "$TABLE: only $interop cases compared with nmap"
echo "nmap-flags: $n cases, $interop compared with nmap, $(( $(date +%s) - start ))s"
exit 0
