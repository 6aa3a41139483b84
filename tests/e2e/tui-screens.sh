# The dashboard without a scan: the builder at 80x24, its live estimate
# and in-place errors, help from the key table, resizing, quitting.
. "$TESTS_SRCDIR/e2e/lib.sh"
. "$TESTS_SRCDIR/e2e/tui-lib.sh"

tui_start 80x24 TERM=tmux-256color
tui_wait "new scan"
tui_wait "scope: loopback: always in scope"
screen=$(tui_screen)
# The default profile is chosen, and the profiles' limits are shown.
echo "$screen" | grep -q '> polite ' || fail "polite is not chosen: $screen"
echo "$screen" | grep -q 'gentle .* 2/s ' || fail "no gentle limits: $screen"
# No limit reads as `tact profile list` says it.
echo "$screen" | grep -q 'brisk  *none  *none ' || fail "brisk limits: $screen"
echo "$screen" | grep -q ' cc ' && fail "cc shown: $screen"
# In a text field q types: F10 quits, Esc leaves the field.
echo "$screen" | tail -1 | grep -q 'F10 quit' || fail "no F10 quit: $screen"
echo "$screen" | tail -1 | grep -q 'q quit' && fail "q quit offered in a field: $screen"
echo "$screen" | grep -q 'Targets  \[127.0.0.1 ' || fail "targets: $screen"
echo "$screen" | grep -q 'hosts 1 ' || fail "no estimate: $screen"
[ "$(echo "$screen" | wc -l)" -le 24 ] || fail "more than 24 lines"

# A hostname is counted as typed, and looked up only at Start.
tui_keys ' localhost'
tui_wait "when 1 hostname is looked up"

# The estimate follows typing; bad input is marked in place.
tui_keys C-u '127.0.0.0/30' Tab '22,80'
tui_wait "hosts 4   ports 2 "
tui_keys C-u 70000
tui_wait '[70000'
tui_screen | grep -q '^ Ports .*! .*70000' || fail "ports error not beside the field: $(tui_screen)"
tui_keys Enter
tui_wait_status "Ports: "
tui_keys C-u BTab C-u '198.18.0.300'
tui_screen | grep -q '^ Targets .*! ' || { sleep 0.5; tui_screen | grep -q '^ Targets .*! '; } ||
    fail "targets error not beside the field: $(tui_screen)"

# Off loopback without a scope file: a purpose is needed, then a
# confirmation; refusing the confirmation starts nothing.
tui_keys C-u '198.18.0.1'
tui_wait "refused: no scope file and no purpose"
tui_keys Enter
tui_wait "Purpose: needed"
tui_keys 'lab audit'
tui_wait "you will be asked to confirm"
tui_keys Enter
tui_wait "written permission"
tui_keys n
tui_wait "cancelled"

# Help: F1 from a text field, ? elsewhere; generated from the key table.
tui_keys F1
tui_wait "On the scan builder screen:"
tui_wait "show this help"
tui_keys Escape
tui_wait "Targets"
tui_keys Tab
tui_wait_gone "written permission"
tui_keys '?'
tui_wait "On the scan builder screen:"
tui_screen | grep -q 'On every screen:' || fail "help lacks the shared keys: $(tui_screen)"
# The shared keys once; PgDn and Space a page, not a line.
tui_screen | grep -q '\[1-22 of ' || fail "no scroll position: $(tui_screen)"
tui_keys NPage
tui_wait "[22-43 of "
tui_wait_gone "On the scan builder screen:"
tui_keys Space
tui_wait "[43-64 of "
tui_keys End
tui_wait "On the scans screen:"
tui_keys Home
tui_wait "On the scan builder screen:"
tui_tmux resize-window -x 80 -y 200
tui_wait "On the scans screen:"
[ "$(tui_screen | grep -c 'show this help')" = 1 ] ||
    fail "help repeats the shared keys: $(tui_screen)"
tui_tmux resize-window -x 80 -y 24
tui_keys Escape
tui_wait "estimate"

# Choosing another profile changes the estimate.
tui_keys Down
tui_wait "> scanme"

# Resize: larger, too small, and back.
tui_tmux resize-window -x 200 -y 50
tui_wait "estimate"
[ "$(tui_screen | wc -l)" = 50 ] || fail "not 50 lines after resize"
tui_tmux resize-window -x 70 -y 20
tui_wait "enlarge the window to at least 80x24"
tui_tmux resize-window -x 80 -y 24
tui_wait "estimate"
tui_wait_gone "enlarge"

tui_keys q
tui_exited 0
[ ! -s "$TMPD/stderr" ] || fail "stderr: $(cat "$TMPD/stderr")"

# -T chooses the profile; one that does not load says why, in place.
TUI_ARGS="ui -T gentle"
tui_start 80x24 TERM=tmux-256color
tui_wait "> gentle "
tui_wait "ports 100 "
tui_keys Escape q
tui_exited 0
TUI_ARGS="ui -T nosuch"
tui_start 80x24 TERM=tmux-256color
tui_wait "> nosuch "
tui_wait 'profile "nosuch": not found'
tui_keys Enter
tui_wait_status 'Profile: profile "nosuch"'
tui_keys Escape q
tui_exited 0
exit 0
