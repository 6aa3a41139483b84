# The README's second command is the one .ci/run runs, letter for letter.
. "$TESTS_SRCDIR/e2e/lib.sh"

top=$TESTS_SRCDIR/..
awk '/^```sh$/ { n++; getline; if (n == 2) print }' "$top/README.md" >"$TMPD/readme"
[ -s "$TMPD/readme" ] || fail "README has no second sh block"
grep -qxF -f "$TMPD/readme" "$top/.ci/run" || fail ".ci/run does not run the README's test command"
grep -q 'make -j2 check' "$TMPD/readme" || fail "README's test command does not run make check"
exit 0
