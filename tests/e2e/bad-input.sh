#!/bin/sh
# Every case of tests/data/bad-input.tsv: bad options, ports, targets,
# target lists, profiles, scope files, a forged ledger, damaged or
# crafted journals and XML files. Each must exit with its status, print nothing on stdout and
# exactly one line on stderr that holds the case's string (the file,
# line and field where there is one), no control character, and no
# more than 1000 bytes however long the input. Only loopback targets;
# each case fails before a packet is sent.
. "$TESTS_SRCDIR/e2e/lib.sh"

TABLE=$TESTS_SRCDIR/data/bad-input.tsv
D=$TESTS_SRCDIR/data
T=$TMPD/in
mkdir "$T"

# The scratch files the cases name.
printf '198.18.0.1\n\033]0;owned\007\n' >"$T/ctl.txt"
: >"$T/empty.txt"
printf '127.0.0.1\n127.0.\0000.2\n' >"$T/nul.txt"
head -c 5000 /dev/zero | tr '\0' 1 >"$T/longline.txt"
LONG=$(head -c 120000 /dev/zero | tr '\0' A)
{ echo 127.0.0.1; head -c 4000 /dev/zero | tr '\0' A; echo; } >"$T/long.txt"
printf 'not a journal at all' >"$T/garbage.j"
: >"$T/empty.j"
"$TESTS_BUILDDIR/e2e/output-journal" "$T/good.j" ||
    fail "could not write a journal"
cp "$T/good.j" "$T/badcrc.j"
printf '\377' | dd of="$T/badcrc.j" bs=1 seek=200 conv=notrunc 2>/dev/null
cp "$T/good.j" "$T/version3.j"
printf '\003' | dd of="$T/version3.j" bs=1 seek=8 conv=notrunc 2>/dev/null
printf 'TACTJRNL\001\000' >"$T/short.j"
BADID=20261129-001500-0bad
JOURNAL=$XDG_STATE_HOME/tact/scans/$BADID/journal
mkdir -p -m 700 "${JOURNAL%/journal}"
cp "$T/badcrc.j" "$JOURNAL"
# Scans to resume, 20261129-001500-0bNN: journals anyone could write.
# job NN [output-journal args]: scan 0bNN, its journal written so.
job() {
	mkdir -m 700 "$XDG_STATE_HOME/tact/scans/20261129-001500-0b$1"
	j=$XDG_STATE_HOME/tact/scans/20261129-001500-0b$1/journal
	shift
	[ $# = 0 ] || "$TESTS_BUILDDIR/e2e/output-journal" "$j" "$@" ||
	    fail "could not write $j"
}
job 01 resume 1 1 arg=-sT arg=-p arg=1 arg=-oN arg=out.nmap arg=127.0.0.1 \
    cwd=/tmp
job 02 resume 1 1 arg=-sT arg=-iL arg=targets.txt
job 03 resume 1 1 arg=-sT arg=--scope=scope.yaml arg=127.0.0.1
job 04 resume 1 1 arg=-T arg=mine.yaml arg=127.0.0.1
job 05 resume 1 1 targets=127.0.0.1 cwd=/tmp
job 06 resume 1 1 arg=--frob arg=127.0.0.1
job 07 resume 1 1 arg=-p arg=70000 arg=127.0.0.1
job 08 resume 1 1 arg=-sT arg=-iL arg=-
job 09
job 10
job 11
job 12
"$TESTS_BUILDDIR/e2e/output-journal" "$T/done.j" ||
    fail "could not write a journal"
cp "$T/done.j" "$XDG_STATE_HOME/tact/scans/20261129-001500-0b09/journal"
ln -s "$T/done.j" "$XDG_STATE_HOME/tact/scans/20261129-001500-0b10/journal"
ln "$T/done.j" "$XDG_STATE_HOME/tact/scans/20261129-001500-0b11/journal"
cp "$T/short.j" "$XDG_STATE_HOME/tact/scans/20261129-001500-0b12/journal"

# XML files for tact diff.
H='<nmaprun scanner="nmap" args="x" start="1">'
A='<host><address addr="127.0.0.1" addrtype="ipv4"/>'
P='<ports><port protocol="tcp" portid'
S='><state state="open" reason="syn-ack"/></port></ports></host></nmaprun>'
: >"$T/empty.xml"
printf '%s\n<!-- never closed\n</nmaprun>\n' "$H" >"$T/comment.xml"
printf '%s\n<host a="1" a="2"/></nmaprun>\n' "$H" >"$T/dupattr.xml"
printf '%s\n<host><address addr="&lo;" addrtype="ipv4"/></host></nmaprun>\n' \
    "$H" >"$T/entity.xml"
printf '%s\n<host>\000</host></nmaprun>\n' "$H" >"$T/nul.xml"
printf '%s\n<host><address addr="127.0.0.1&#0;" addrtype="ipv4"/></host></nmaprun>\n' \
    "$H" >"$T/nulref.xml"
printf '%s\n</nmaprun>\n<nmaprun/>\n' "$H" >"$T/tworoots.xml"
printf '<nmaprun scanner="nmap"\n' >"$T/opentag.xml"
printf '%s\n<host><address addr=127.0.0.1 addrtype="ipv4"/></host></nmaprun>\n' \
    "$H" >"$T/unquoted.xml"
printf '<?xml version="1.0" encoding="UTF-16"?>\n%s\n</nmaprun>\n' "$H" \
    >"$T/utf16.xml"
printf '%s\n<host><address addr="127.0.0.1" addrtype="ipv6"/></host></nmaprun>\n' \
    "$H" >"$T/addrtype.xml"
printf '%s\n%s%s="70000"%s\n' "$H" "$A" "$P" "$S" >"$T/port70000.xml"
printf '%s\n%s%s="0"%s\n' "$H" "$A" "$P" "$S" >"$T/port0.xml"
printf '%s\n%s\n' "$H" "$A" >"$T/cut.xml"
printf '%s\n<host><address addr="\033]0;x\007" addrtype="ipv4"/></host></nmaprun>\n' \
    "$H" >"$T/ctl.xml"
mkdir -p "$XDG_CONFIG_HOME/tact/profiles"
printf 'name: broken\ndescription: x\nextends: polite\nmax_rate: fast\n' \
    >"$XDG_CONFIG_HOME/tact/profiles/broken.yaml"
printf 'name: quota\ndescription: x\nextends: polite\ndaily_quota: 5\n' \
    >"$XDG_CONFIG_HOME/tact/profiles/quota.yaml"
mkdir -p "$XDG_STATE_HOME/tact"
printf '# tact ledger\n-013-11-29 127.0.0.1 1\n' >"$XDG_STATE_HOME/tact/ledger"
cp "$XDG_STATE_HOME/tact/ledger" "$T/ledger"

# expand S: S with $D, $T, $JOURNAL and $XDG_* replaced (no other
# expansion: the strings hold backslashes).
expand() {
	printf '%s\n' "$1" | sed -e "s|\$XDG_CONFIG_HOME|$XDG_CONFIG_HOME|g" \
	    -e "s|\$XDG_STATE_HOME|$XDG_STATE_HOME|g" -e "s|\$JOURNAL|$JOURNAL|g" \
	    -e "s|\$D|$D|g" -e "s|\$T|$T|g"
}

tab=$(printf '\t')
n=0
lineno=0
while IFS= read -r line; do
	lineno=$((lineno + 1))
	case $line in '#'*|'') continue ;; esac
	status=${line%%"$tab"*}
	rest=${line#*"$tab"}
	want=$(expand "${rest%%"$tab"*}")
	args=${rest#*"$tab"}
	[ "$status" != "$line" ] && [ "$args" != "$rest" ] ||
	    fail "$TABLE:$lineno: want STATUS<tab>STRING<tab>ARGS"
	where="$TABLE:$lineno: tact $args"
	eval "set -- $args"
	"$TACT" "$@" >"$TMPD/out" 2>"$TMPD/err"
	got=$?
	[ "$got" = "$status" ] ||
	    fail "$where: exit $got, wanted $status: $(head -c 300 "$TMPD/err")"
	[ ! -s "$TMPD/out" ] ||
	    fail "$where: stdout not empty: $(head -c 300 "$TMPD/out")"
	[ "$(wc -l <"$TMPD/err")" = 1 ] ||
	    fail "$where: stderr is not one line: $(head -c 300 "$TMPD/err")"
	grep -q '^tact: ' "$TMPD/err" ||
	    fail "$where: stderr does not start with tact: $(head -c 300 "$TMPD/err")"
	grep -qF -e "$want" "$TMPD/err" ||
	    fail "$where: stderr lacks '$want': $(head -c 300 "$TMPD/err")"
	! LC_ALL=C grep -q "$(printf '[\001-\010\011\013-\037\177]\\|\302[\200-\237]\\|\342\200[\252-\256]\\|\342\201[\246-\251]')" \
	    "$TMPD/err" || fail "$where: a control character on stderr"
	[ "$(wc -c <"$TMPD/err")" -le 1000 ] ||
	    fail "$where: stderr is $(wc -c <"$TMPD/err") bytes"
	n=$((n + 1))
done <"$TABLE"
[ $n -ge 100 ] || fail "$TABLE: only $n cases"

# Nothing a refused scan did was charged: the ledger is as it was.
cmp -s "$XDG_STATE_HOME/tact/ledger" "$T/ledger" ||
    fail "the forged ledger was rewritten: $(cat "$XDG_STATE_HOME/tact/ledger")"
exit 0
