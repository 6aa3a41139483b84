#!/bin/sh
# Service detection benchmark in the namespace lab (root): the daemons of
# tests/lab/scan-service.sh (sshd, vsftpd, nginx with HTTP, HTTPS and TLS
# on 4567, redis-server) scanned with -sV by nmap (its default
# intensity, 7) and by tact (`standard`, whose intensity is 7 too), in
# the same run, with nmap's nmap-service-probes and with tact's own
# table. Prints each time, the ratio tact/nmap and the agreement: the
# ports where tact names the service nmap names, with nmap's product and
# version where it gives them. Figures only; it never fails on a timing.
#
# usage: bench/service-lab.sh [builddir]   (from the top of the source)
build=$(cd "${1:-.}" && pwd)
TACT=$build/tact
TESTS_SRCDIR=$(pwd)/tests
TESTS_BUILDDIR=$build/tests
TACT_DATADIR=$(pwd)
export TACT TESTS_SRCDIR TESTS_BUILDDIR TACT_DATADIR
[ -x "$TACT" ] || { echo "service-lab.sh: $TACT: not built" >&2; exit 1; }
command -v nmap >/dev/null 2>&1 ||
    { echo "service-lab.sh: needs nmap" >&2; exit 1; }
. "$TESTS_SRCDIR/lab/lab.sh"
. "$TESTS_SRCDIR/lab/service-daemons.sh"

SRV=198.19.0.20
lab_up
lab_host srv $SRV
service_daemons srv $SRV "$TMPD"
mkdir -p "$TMPD/nodata"

# timed NAME CMD...: run CMD in the scanner, print and keep its seconds.
timed() {
	name=$1
	shift
	t0=$(date +%s%N)
	lab_exec scanner "$@" >"$TMPD/$name.out" 2>&1 ||
	    echo "service-lab.sh: $name failed: $(tail -1 "$TMPD/$name.out")"
	t1=$(date +%s%N)
	secs=$(echo "$t0 $t1" | awk '{ printf "%.2f", ($2 - $1) / 1e9 }')
	eval "t_$name=$secs"
	printf '%-10s %7s s  %s\n' "$name" "$secs" "$*"
}

# port name|product|version, from nmap's XML or tact's JSON.
nmap_view() {
	for p in $SERVICE_PORTS_LIST; do
		q="//port[@portid='$p']/service"
		t=$(xmllint --xpath "string($q/@tunnel)" "$1")
		echo "$p ${t:+$t/}$(xmllint --xpath "string($q/@name)" "$1")|$(
		    xmllint --xpath "string($q/@product)" "$1")|$(
		    xmllint --xpath "string($q/@version)" "$1")"
	done
}
tact_view() {
	jq -r 'select(.type == "host") | .ports[] | select(.state ==
	    "open") | "\(.port) \(if .detection.tunnel then "ssl/" else ""
	    end)\(.detection.name)|\(.detection.product // "")|\(
	    .detection.version // "")"' "$1"
}
# agree NAME: the percentage of ports where tact agrees with nmap.
agree() {
	tact_view "$TMPD/$1.json" >"$TMPD/$1.view"
	nmap_view "$TMPD/nmap.xml" | awk -F'|' -v got="$TMPD/$1.view" '
	BEGIN { while ((getline l < got) > 0) { split(l, f, "|");
		split(f[1], k, " "); g[k[1]] = l } }
	{ split($1, k, " "); n++
	  split(g[k[1]], t, "|")
	  if (t[1] == $1 && ($2 == "" || t[2] == $2) &&
	      ($3 == "" || t[3] == $3)) ok++ }
	END { printf "%.0f", 100 * ok / n }'
}

echo "service detection on $SERVICE_PORTS of $SRV:"
timed nmap nmap -n -Pn -sV -p $SERVICE_PORTS -oX "$TMPD/nmap.xml" $SRV
timed tact "$TACT" scan -sV --purpose bench --i-have-permission \
    -T standard -Pn -p $SERVICE_PORTS -oJ "$TMPD/tact.json" $SRV
timed tact_own "$TACT" scan -sV --datadir "$TMPD/nodata" --purpose bench \
    --i-have-permission -T standard -Pn -p $SERVICE_PORTS \
    -oJ "$TMPD/tact_own.json" $SRV
echo "$t_tact $t_nmap $t_tact_own" | awk '{
	printf "ratio tact/nmap: %.2f (nmap-service-probes), %.2f (own table)\n",
	    $1 / $2, $3 / $2 }'
echo "agreement with nmap: $(agree tact)% (nmap-service-probes)," \
    "$(agree tact_own)% (own table)"
