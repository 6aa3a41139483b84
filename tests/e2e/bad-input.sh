#!/bin/sh
# Every case of tests/data/bad-input.tsv: bad options, ports, targets,
# target lists, profiles, scope files, a forged ledger and damaged
# journals. Each must exit with its status, print nothing on stdout and
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
BADID=20261129-001500-0bad
JOURNAL=$XDG_STATE_HOME/tact/scans/$BADID/journal
mkdir -p -m 700 "${JOURNAL%/journal}"
cp "$T/badcrc.j" "$JOURNAL"
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
[ $n -ge 60 ] || fail "$TABLE: only $n cases"

# Nothing a refused scan did was charged: the ledger is as it was.
cmp -s "$XDG_STATE_HOME/tact/ledger" "$T/ledger" ||
    fail "the forged ledger was rewritten: $(cat "$XDG_STATE_HOME/tact/ledger")"
exit 0
