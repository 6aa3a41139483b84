#!/bin/sh
# Check that the README's two commands work, as written there, on a
# Debian that has nothing else: by hand, as root, not from make check.
#
#	tests/pristine.sh [-c cachedir] [-m mirror] [-r rev]
#
# Each command gets a fresh Debian bookworm made by debootstrap
# --variant=minbase, with the checkout at /root/tact (mode 0700 /root):
# the working tree's files that git tracks or does not ignore, or with
# -r the tree of commit rev. The first command (set up, then `tact ui
# 127.0.0.1`) runs in an 80x24 tmux, which must end on the dashboard
# scanning 127.0.0.1; q must then quit it with status 0. The second (set
# up, then pass every test) must exit 0. The commands are read from
# README.md, its first and second ```sh blocks, never copied here.
#
# The bare system is made once and kept, as a tarball, in cachedir
# (default $TACT_PRISTINE_CACHE, else /var/cache/tact-pristine), with
# the packages apt downloads; each run unpacks a new copy there and
# removes it, with every mount, on every way out. Each command's output
# is kept in cachedir/ui.log and cachedir/check.log. Needs debootstrap,
# git and tmux on this machine; mirror defaults to Debian's.
set -u

[ "$(id -u)" = 0 ] || { echo "FAIL: pristine: needs root (chroot, mount)" >&2; exit 1; }
# Mount only in a mount namespace of our own: nothing shows outside, and
# nothing outlives the run.
[ -n "${PRISTINE_NS:-}" ] ||
    exec env PRISTINE_NS=1 unshare --mount --propagation private sh "$0" "$@"

cache=${TACT_PRISTINE_CACHE:-/var/cache/tact-pristine}
mirror=http://deb.debian.org/debian
rev=
while getopts c:m:r: opt; do
	case $opt in
	c)	cache=$OPTARG ;;
	m)	mirror=$OPTARG ;;
	r)	rev=$OPTARG ;;
	*)	echo "usage: $0 [-c cachedir] [-m mirror] [-r rev]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || { echo "usage: $0 [-c cachedir] [-m mirror] [-r rev]" >&2; exit 2; }

top=$(cd "$(dirname "$0")/.." && pwd)
start=$(date +%s)
root=
sock=

fail() {
	echo "FAIL: pristine: $*" >&2
	exit 1
}

say() {
	echo "pristine: $(( $(date +%s) - start ))s: $*"
}

for c in debootstrap git tmux; do
	command -v $c >/dev/null || fail "needs $c"
done

# block N: the README's Nth ```sh block, which must be one line.
block() {
	awk -v n="$1" '
	/^```/ && inside { exit }
	inside { print }
	/^```sh$/ && ++k == n { inside = 1 }' "$top/README.md"
}
ui_cmd=$(block 1)
check_cmd=$(block 2)
[ -n "$ui_cmd" ] && [ -n "$check_cmd" ] ||
    fail "README.md has no first and second \`\`\`sh block"
[ "$(printf '%s\n' "$ui_cmd" | wc -l)" = 1 ] &&
    [ "$(printf '%s\n' "$check_cmd" | wc -l)" = 1 ] ||
    fail "a README command is more than one line"
case $ui_cmd in
*"tact ui 127.0.0.1") ;;
*)	fail "README's first command does not end with tact ui 127.0.0.1" ;;
esac

# The bare system, made once.
mkdir -p "$cache/apt-archives" || fail "cannot make $cache"
base=$cache/bookworm-minbase.tar
if [ ! -f "$base" ]; then
	say "debootstrap --variant=minbase bookworm (once, into $cache)"
	rm -rf --one-file-system "$cache/base.tmp"
	debootstrap --variant=minbase bookworm "$cache/base.tmp" "$mirror" \
	    >"$cache/debootstrap.log" 2>&1 ||
	    fail "debootstrap: $(tail -n 5 "$cache/debootstrap.log")"
	rm -f "$cache/base.tmp"/var/cache/apt/archives/*.deb
	tar -C "$cache/base.tmp" -cf "$base.tmp" . &&
	    mv "$base.tmp" "$base" || fail "cannot write $base"
	rm -rf --one-file-system "$cache/base.tmp"
fi

# The checkout, as a tarball made once for both systems.
src=$(mktemp "$cache/src.XXXXXX") || fail "cannot make a temporary file"
if [ -n "$rev" ]; then
	git -C "$top" archive -o "$src" --format=tar "$rev" ||
	    fail "git archive $rev"
else
	(cd "$top" && git ls-files -z --cached --others --exclude-standard \
	    --deduplicate | xargs -0 -r sh -c \
	    'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done; exit 0' sh |
	    tar --null -T - -cf "$src") || fail "cannot copy the working tree"
fi

# mounted COND: a mount in /proc/self/mounts meets the awk COND, where r
# is $root.
mounted() {
	awk -v r="$root" "$1"' { found = 1 } END { exit !found }' /proc/self/mounts
}

# kill_root: end every process whose root is $root (what a command left
# running, such as the scan `tact ui` started), unmount all, remove it.
kill_root() {
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] &&
		    kill -9 "${p#/proc/}" 2>/dev/null
	done
	sleep 0.5
	! mounted '$2 == r' || umount -R "$root" || umount -R -l "$root"
	if mounted 'index($2, r "/") == 1 || $2 == r'; then
		echo "pristine: still mounted, not removed: $root" >&2
		return 1
	fi
	rm -rf --one-file-system "$root"
	root=
}

cleanup() {
	[ -z "$sock" ] || tmux -S "$sock" kill-server 2>/dev/null
	[ -z "$root" ] || kill_root
	rm -f "$src" "$sock"
}
trap 'status=$?; cleanup; exit $status' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# fresh: a new system in $root with the checkout at /root/tact, mounted.
fresh() {
	[ -z "$root" ] || kill_root || exit 1
	root=$(mktemp -d "$cache/root.XXXXXX") || fail "cannot make a directory"
	tar -C "$root" -xf "$base" || fail "cannot unpack $base"
	mkdir "$root/root/tact" && tar -C "$root/root/tact" -xf "$src" ||
	    fail "cannot unpack the checkout"
	chmod 700 "$root/root"
	# What every installed Debian has, and a chroot takes from its host.
	cp /etc/resolv.conf "$root/etc/resolv.conf"
	printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' \
	    >"$root/etc/hosts"
	# / is a mount point, as ip netns exec needs.
	mount --bind "$root" "$root" &&
	    mount -t proc proc "$root/proc" &&
	    mount -t sysfs sysfs "$root/sys" &&
	    mount --rbind /dev "$root/dev" &&
	    mount -t tmpfs -o mode=755 tmpfs "$root/run" &&
	    mount --bind "$cache/apt-archives" "$root/var/cache/apt/archives" ||
	    fail "cannot mount in $root"
}

# The command a root login runs for a line typed at /root/tact; the line
# is in $PRISTINE_CMD, the system in $PRISTINE_ROOT.
in_root='chroot "$PRISTINE_ROOT" env -i HOME=/root USER=root LOGNAME=root \
    TERM="${TERM:-dumb}" \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    bash -c "cd /root/tact && $PRISTINE_CMD"'

# screen_has TEXT: the tmux pane shows the fixed string TEXT.
screen_has() {
	tmux -S "$sock" capture-pane -p | grep -qF -- "$1"
}

# ui_fail WHY: fail, showing the end of the first command's output.
ui_fail() {
	tmux -S "$sock" capture-pane -p -S - -E - >"$cache/ui.log"
	fail "first command: $1
$(grep -v '^$' "$cache/ui.log" | tail -n 30)
(all of it in $cache/ui.log)"
}

# The first command, in an 80x24 tmux, until it shows the dashboard.
say "first command (set up, then tact ui 127.0.0.1), in a fresh system"
fresh
sock=$(mktemp -u /tmp/tact-pristine.XXXXXX)
tmux -S "$sock" -f /dev/null start-server \; \
    set-option -g history-limit 100000 \; \
    new-session -d -x 80 -y 24 \
    -e PRISTINE_ROOT="$root" -e PRISTINE_CMD="$ui_cmd" \
    "$in_root; echo \"pristine: exit status \$?\"; sleep 3600" ||
    fail "cannot start tmux"
n=0
until screen_has ' tact | live ' && screen_has 'scan started: 127.0.0.1'; do
	screen_has 'pristine: exit status' && ui_fail "it ended before the dashboard"
	[ $n -lt 900 ] || ui_fail "no dashboard after 30 minutes"
	n=$((n + 1))
	sleep 2
done
sleep 3
for want in ' tact | live ' '127.0.0.1  profile polite' 'probes ' \
    ' ? help  q quit'; do
	screen_has "$want" || ui_fail "the dashboard does not show \"$want\""
done
say "the dashboard shows, scanning 127.0.0.1"
dashboard=$(tmux -S "$sock" capture-pane -p)
tmux -S "$sock" send-keys q
n=0
until screen_has 'pristine: exit status'; do
	[ $n -lt 100 ] || ui_fail "q did not quit the dashboard"
	n=$((n + 1))
	sleep 0.1
done
screen_has 'pristine: exit status 0' || ui_fail "tact ui did not exit 0"
{ tmux -S "$sock" capture-pane -p -S - -E -
	printf '%s\n' "pristine: the dashboard, before q:" "$dashboard"; } \
    >"$cache/ui.log"
PRISTINE_ROOT=$root PRISTINE_CMD='command -v tact && tact --version &&
    test -f /usr/local/share/man/man1/tact.1' sh -c "$in_root" \
    >>"$cache/ui.log" 2>&1 || ui_fail "tact is not installed in the PATH, with its page"
tmux -S "$sock" kill-server
say "first command: PASS"

# The second command, in another fresh system.
say "second command (set up, then every test), in a fresh system"
fresh
PRISTINE_ROOT=$root PRISTINE_CMD=$check_cmd timeout 3600 sh -c "$in_root" \
    >"$cache/check.log" 2>&1 </dev/null
status=$?
if [ $status != 0 ]; then
	fail "second command: exit status $status
$(grep -E '^(FAIL|ERROR|XPASS|SKIP)|^# [A-Z]+:|rror' "$cache/check.log" | tail -n 40)
$(tail -n 15 "$cache/check.log")
(all of it in $cache/check.log)"
fi
grep -E '^# (TOTAL|PASS|SKIP|XFAIL|FAIL|XPASS|ERROR):' "$cache/check.log"
grep -q '^# SKIP: *0$' "$cache/check.log" ||
    fail "second command: a test skipped, or no test ran: $(grep -E '^SKIP' "$cache/check.log")"
say "second command: PASS"
echo "PASS: pristine: both README commands, in $(( $(date +%s) - start ))s"
