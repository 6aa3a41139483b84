# What a journal or the environment says reaches the dashboard's
# terminal escaped: a crafted journal's profile, targets (120 KB) on the
# scans screen, and a $TERM with escapes in "cannot use terminal".
. "$TESTS_SRCDIR/e2e/lib.sh"
. "$TESTS_SRCDIR/e2e/tui-lib.sh"
JOURNAL="$TESTS_BUILDDIR/e2e/output-journal"
[ -x "$JOURNAL" ] || fail "$JOURNAL not built"

id=20261129-001500-3fa9
mkdir -p -m 700 "$XDG_STATE_HOME/tact/scans/$id"
"$JOURNAL" "$XDG_STATE_HOME/tact/scans/$id/journal" strings ||
    fail "could not write the crafted journal"

tui_start 200x24 TERM=tmux-256color
tui_wait "estimate"
tui_keys Escape a
tui_wait "$id"
# Raw, the OSCs would have set the pane's title.
title=$(tui_tmux display-message -p '#{pane_title}')
case $title in
*owned*|*retitled*) fail "the journal retitled the terminal: $title" ;;
esac
tui_screen | grep -qF '\x1B]0;owned\x07\x9B31mpolite\u202E' ||
    fail "profile not shown escaped: $(tui_screen)"
tui_screen | grep -qF '\x1B]2;retitled\x1B' ||
    fail "targets not shown escaped: $(tui_screen)"
tui_keys q
tui_exited 0
tui_tmux kill-server

# A $TERM curses cannot use, with an escape in it.
tui_start 80x24 "TERM='$(printf 'x\033]0;owned\007')'"
tui_exited 1
LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$TMPD/stderr" &&
    fail "raw control in: $(od -c "$TMPD/stderr" | head -3)"
grep -qF 'tact: ui: cannot use terminal "x\x1B]0;owned\x07"' "$TMPD/stderr" ||
    fail "stderr: $(cat "$TMPD/stderr")"
exit 0
