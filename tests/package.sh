# The Debian package: from the release tree (make distdir), built with
# `dpkg-buildpackage -us -uc -b` (nocheck: this is make check already),
# lintian with no error and no warning; it holds the program, the
# profiles and the manual pages. Then, in a mount namespace of its own
# with /usr, /etc and /var overlaid (nothing reaches this machine), it
# installs with dpkg: the system user and group tact, the program
# root:tact 0750 with cap_net_raw; a member of the group (a free uid)
# makes a SYN scan of loopback without sudo; purge forgets the mode.
. "$TESTS_SRCDIR/e2e/lib.sh"

[ "$(id -u)" = 0 ] || skip "needs root (mount namespaces, dpkg -i)"
for c in dpkg-buildpackage dh lintian unshare setpriv getcap; do
	command -v $c >/dev/null 2>&1 || skip "needs $c"
done

if [ -z "${PACKAGE_NS:-}" ]; then
	# The build, outside the namespace.
	version=$(sed -n '1s/^tact (\([^)]*\)).*/\1/p' \
	    "$TESTS_SRCDIR/../debian/changelog")
	make -s -C "$TESTS_BUILDDIR/.." distdir \
	    distdir="$TMPD/tact-$version" >"$TMPD/distdir.log" 2>&1 ||
	    fail "make distdir: $(tail -5 "$TMPD/distdir.log")"
	(cd "$TMPD/tact-$version" && DEB_BUILD_OPTIONS=nocheck \
	    dpkg-buildpackage -us -uc -b) >"$TMPD/build.log" 2>&1 ||
	    fail "dpkg-buildpackage: $(tail -20 "$TMPD/build.log")"
	deb=$TMPD/tact_${version}_$(dpkg --print-architecture).deb
	[ -f "$deb" ] || fail "no $deb: $(ls "$TMPD")"
	lintian --fail-on error,warning "$TMPD"/tact_*.changes \
	    >"$TMPD/lintian" 2>&1 || fail "lintian: $(cat "$TMPD/lintian")"
	! grep -q '^[EW]: ' "$TMPD/lintian" ||
	    fail "lintian: $(grep '^[EW]: ' "$TMPD/lintian")"
	dpkg-deb -c "$deb" >"$TMPD/contents"
	for f in usr/bin/tact usr/share/man/man1/tact.1.gz \
	    usr/share/man/man5/tact-profile.5.gz \
	    usr/share/man/man5/tact-scope.5.gz \
	    usr/share/tact/profiles/polite.yaml; do
		grep -q " \./$f\$" "$TMPD/contents" || fail "no $f in $deb"
	done
	exec env PACKAGE_NS=1 PACKAGE_DEB="$deb" PACKAGE_TMP="$TMPD" \
	    unshare --mount --propagation private sh "$0"
fi

# In the namespace: this machine's /usr, /etc and /var, overlaid.
rm -rf "$TMPD"
TMPD=$PACKAGE_TMP
ov=$TMPD/ov
trap 'umount /usr /etc /var "$ov" 2>/dev/null; rm -rf "$TMPD"' EXIT INT TERM
mkdir "$ov"
mount -t tmpfs tmpfs "$ov" || fail "mount tmpfs"
for d in usr etc var; do
	mkdir "$ov/$d.u" "$ov/$d.w"
	mount -t overlay overlay \
	    -o "lowerdir=/$d,upperdir=$ov/$d.u,workdir=$ov/$d.w" /$d ||
	    fail "overlay on /$d"
done
getent passwd tact >/dev/null && fail "a user tact is already here"
dpkg -i "$PACKAGE_DEB" >"$TMPD/dpkg.log" 2>&1 ||
    fail "dpkg -i: $(cat "$TMPD/dpkg.log")"

[ "$(stat -c '%U:%G %a' /usr/bin/tact)" = "root:tact 750" ] ||
    fail "/usr/bin/tact: $(stat -c '%U:%G %a' /usr/bin/tact)"
getcap /usr/bin/tact | grep -q 'cap_net_raw[=+]ep$' ||
    fail "capabilities: $(getcap /usr/bin/tact)"
uid=$(getent passwd tact | cut -d: -f3)
[ -n "$uid" ] && [ "$uid" -lt 1000 ] || fail "user tact: $uid"
getent passwd tact | grep -q ':/usr/sbin/nologin$' ||
    fail "user tact: $(getent passwd tact)"
gid=$(getent group tact | cut -d: -f3)
[ -n "$gid" ] || fail "no group tact"
[ -f /usr/share/tact/profiles/polite.yaml ] || fail "no profiles"

# A member of the group, no account needed, scans without sudo.
user=4321
while getent passwd $user >/dev/null; do
	user=$((user + 1))
done
chmod 755 "$TMPD"
mkdir -m 700 "$TMPD/home"
chown $user:$user "$TMPD/home"
setpriv --reuid=$user --regid=$user --groups=$gid --inh-caps=-all \
    env -i PATH=/usr/bin:/bin HOME="$TMPD/home" /usr/bin/tact scan -sS \
    -p 1 127.0.0.1 >"$TMPD/out" 2>"$TMPD/err" ||
    fail "group member's scan: $(cat "$TMPD/err")"
grep -Eq '^1/tcp +closed +[^ ]+ +reset' "$TMPD/out" ||
    fail "not a SYN scan: $(cat "$TMPD/out" "$TMPD/err")"
! grep -q 'connect scan' "$TMPD/err" || fail "$(cat "$TMPD/err")"
# (Through env: setpriv may keep its capabilities up to its own exec.)
setpriv --reuid=$user --regid=$user --clear-groups --inh-caps=-all \
    env /usr/bin/tact --version >"$TMPD/out" 2>&1 &&
    fail "a user outside the group ran it: $(cat "$TMPD/out")"

dpkg --purge tact >"$TMPD/dpkg.log" 2>&1 ||
    fail "dpkg --purge: $(cat "$TMPD/dpkg.log")"
dpkg-statoverride --list /usr/bin/tact >/dev/null &&
    fail "purge left the statoverride"
exit 0
