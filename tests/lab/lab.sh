# The network-namespace lab: a scanner, a router and target hosts, each
# in a namespace of its own, with no route out of 198.18.0.0/15 and
# 2001:2::/48. Source it from a test (POSIX sh); "The lab" in
# docs/HACKING.md describes the topology, the functions and the policies.
#
#   scanner 198.18.0.2 --- lan0 198.18.0.0/24 ---+
#                                         router .1 (forwards)
#   hosts 198.19.0.N   --- lan1 198.19.0.0/24 ---+
#
# Both bridges live in the router's namespace. Every link is made inside
# the lab's namespaces, so the root namespace never holds an end of one.

. "$TESTS_SRCDIR/e2e/lib.sh"

LAB_BIN="$TESTS_BUILDDIR/lab"
LAB_PREFIX=
LAB_DIR=
LAB_NLISTEN=0
LAB_PCAP_PID=
LAB_WATCH_PID=

trap 'lab_status=$?; lab_down; rm -rf "$TMPD"; exit $lab_status' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# lab__do CMD...: run CMD; fail with its error output if it fails.
lab__do() {
	"$@" 2>"$LAB_DIR/err" || fail "lab: $*: $(cat "$LAB_DIR/err")"
}

# lab__ns NAME: set lab_ns to the namespace of scanner, router or a host.
lab__ns() {
	case $1 in
	scanner|router)
		lab_ns=$LAB_PREFIX$1
		;;
	*)
		[ -n "$LAB_PREFIX" ] && [ -f "$LAB_DIR/host-$1" ] ||
		    fail "lab: $1: no such host"
		lab_ns=${LAB_PREFIX}h-$1
		;;
	esac
}

# lab__netns NS: make namespace NS and lab__netns_init it.
lab__netns() {
	lab__do ip netns add "$1"
	lab__netns_init "$1"
}

# lab__netns_init NS: loopback up, no duplicate address detection
# (addresses work at once) and no kernel ICMP rate limit (the icmp-rate
# policy sets one explicitly).
lab__netns_init() {
	lab__do ip -n "$1" link set lo up
	lab__do ip netns exec "$1" sysctl -q -w \
	    net.ipv6.conf.all.accept_dad=0 \
	    net.ipv6.conf.default.accept_dad=0 \
	    net.ipv4.icmp_ratemask=0 \
	    net.ipv6.icmp.ratemask=
}

# lab__attach NS LAN PORT: link NS's eth0 to bridge LAN as PORT.
lab__attach() {
	lab__do ip -n "$1" link add eth0 type veth peer name "$3" \
	    netns "${LAB_PREFIX}router"
	lab__do ip -n "${LAB_PREFIX}router" link set "$3" master "$2" up
	lab__do ip -n "$1" link set eth0 up
}

# lab__address NS V4/24 V6/64 GW4 GW6: address NS's eth0 and route the
# lab's prefixes, and only those, through the router.
lab__address() {
	lab__do ip -n "$1" addr add "$2" dev eth0
	lab__do ip -n "$1" addr add "$3" dev eth0
	lab__do ip -n "$1" route add 198.18.0.0/15 via "$4"
	lab__do ip -n "$1" route add 2001:2::/48 via "$5"
}

# lab__bridge LAN V4/24 V6/64: a bridge in the router, the router's
# address on it.
lab__bridge() {
	lab__do ip -n "${LAB_PREFIX}router" link add "$1" type bridge \
	    mcast_snooping 0
	lab__do ip -n "${LAB_PREFIX}router" addr add "$2" dev "$1"
	lab__do ip -n "${LAB_PREFIX}router" addr add "$3" dev "$1"
	lab__do ip -n "${LAB_PREFIX}router" link set "$1" up
}

# lab_up: build the scanner, the router and the two bridges.
lab_up() {
	[ "$(id -u)" = 0 ] || skip "the lab needs root"
	for lab_t in ip nft tcpdump; do
		command -v $lab_t >/dev/null 2>&1 || skip "the lab needs $lab_t"
	done
	for lab_t in lab-listen lab-probe; do
		[ -x "$LAB_BIN/$lab_t" ] ||
		    fail "lab: $LAB_BIN/$lab_t: not built"
	done
	[ -z "$LAB_PREFIX" ] || fail "lab: lab_up twice"

	LAB_DIR=$TMPD/lab
	mkdir "$LAB_DIR" || fail "lab: cannot make $LAB_DIR"
	LAB_PREFIX=tl$$-$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')-
	lab_r=${LAB_PREFIX}router
	ip netns add "$lab_r" 2>"$LAB_DIR/err" ||
	    skip "cannot make a network namespace: $(cat "$LAB_DIR/err")"
	lab__netns_init "$lab_r"
	lab__do ip netns exec "$lab_r" sysctl -q -w net.ipv4.ip_forward=1 \
	    net.ipv6.conf.all.forwarding=1
	lab__bridge lan0 198.18.0.1/24 2001:2:0:1::1/64
	lab__bridge lan1 198.19.0.1/24 2001:2:0:2::1/64

	lab__netns "${LAB_PREFIX}scanner"
	lab__attach "${LAB_PREFIX}scanner" lan0 scanner
	lab__address "${LAB_PREFIX}scanner" 198.18.0.2/24 2001:2:0:1::2/64 \
	    198.18.0.1 2001:2:0:1::1
}

# lab_host NAME ADDR [POLICY...]: a target at ADDR, 198.19.0.N (behind
# the router) or 198.18.0.N (on the scanner's own link); it also has the
# IPv6 address 2001:2:0:2::N or 2001:2:0:1::N.
lab_host() {
	[ $# -ge 2 ] || fail "lab: usage: lab_host NAME ADDR [POLICY...]"
	lab_name=$1
	lab_a=$2
	shift 2
	case $lab_name in
	''|scanner|router|*[!a-z0-9]*)
		fail "lab: \"$lab_name\": bad host name" ;;
	esac
	[ ! -f "$LAB_DIR/host-$lab_name" ] || fail "lab: $lab_name: host exists"
	case $lab_a in
	198.18.0.*)
		lab_lan=0 ;;
	198.19.0.*)
		lab_lan=1 ;;
	*)
		fail "lab: \"$lab_a\": not in 198.18.0.0/24 or 198.19.0.0/24" ;;
	esac
	lab_n=${lab_a#198.1?.0.}
	case $lab_n in
	''|*[!0-9]*|0*)
		fail "lab: \"$lab_a\": bad address" ;;
	esac
	[ "$lab_n" -ge 3 ] && [ "$lab_n" -le 254 ] ||
	    fail "lab: \"$lab_a\": reserved or out of range"
	for lab_f in "$LAB_DIR"/host-*; do
		[ ! -f "$lab_f" ] ||
		    [ "$(cut -d' ' -f1 "$lab_f")" != "$lab_a" ] ||
		    fail "lab: $lab_a: taken by ${lab_f##*/host-}"
	done
	lab_a6=2001:2:0:$((lab_lan + 1))::$lab_n
	lab_port=h$lab_lan-$lab_n

	lab_ns=${LAB_PREFIX}h-$lab_name
	lab__netns "$lab_ns"
	echo "$lab_a $lab_a6 $lab_port" >"$LAB_DIR/host-$lab_name"
	lab__attach "$lab_ns" "lan$lab_lan" "$lab_port"
	lab__address "$lab_ns" "$lab_a/24" "$lab_a6/64" \
	    "198.1$((8 + lab_lan)).0.1" "2001:2:0:$((lab_lan + 1))::1"
	lab_policy "$lab_name" "$@"
}

# lab_addr NAME [6]: print the IPv4 (or IPv6) address of NAME.
lab_addr() {
	case $1 in
	scanner)
		[ "$2" = 6 ] && echo 2001:2:0:1::2 || echo 198.18.0.2 ;;
	router)
		[ "$2" = 6 ] && echo 2001:2:0:1::1 || echo 198.18.0.1 ;;
	*)
		lab__ns "$1"
		read -r lab_a4 lab_a6 lab_port <"$LAB_DIR/host-$1"
		[ "$2" = 6 ] && echo "$lab_a6" || echo "$lab_a4" ;;
	esac
}

# lab__ports VALUE: fail unless VALUE is a port list nft takes (22,80-90).
lab__ports() {
	case $1 in
	''|*[!0-9,-]*|,*|*,|*,,*|-*|*-)
		fail "lab: \"$1\": bad port list" ;;
	esac
}

# lab__count VALUE: fail unless VALUE is a decimal number.
lab__count() {
	case $1 in
	''|*[!0-9]*)
		fail "lab: \"$1\": bad number" ;;
	esac
}

# lab_policy NAME [POLICY...]: replace the firewall of host NAME. Loss
# comes first; the other input rules apply in the order given.
lab_policy() {
	lab__ns "$1"
	shift
	lab_pre=
	lab_in=
	lab_out=
	for lab_p in "$@"; do
		lab_v=${lab_p#*=}
		lab_proto=${lab_p%%=*}
		lab_proto=${lab_proto#*-}
		case $lab_p in
		none)
			;;
		drop-tcp=*|drop-udp=*)
			lab__ports "$lab_v"
			lab_in="$lab_in $lab_proto dport { $lab_v } drop;" ;;
		reject-tcp=*|reject-udp=*)
			lab__ports "$lab_v"
			lab_in="$lab_in $lab_proto dport { $lab_v } reject"
			lab_in="$lab_in with icmpx type admin-prohibited;" ;;
		no-ping)
			lab_in="$lab_in icmp type echo-request drop;"
			lab_in="$lab_in icmpv6 type echo-request drop;" ;;
		only-tcp=*)
			lab__ports "$lab_v"
			lab_in="$lab_in icmpv6 type { nd-neighbor-solicit,"
			lab_in="$lab_in nd-neighbor-advert } accept;"
			lab_in="$lab_in tcp dport { $lab_v } accept; drop;" ;;
		loss=*)
			lab__count "$lab_v"
			[ "$lab_v" -le 100 ] ||
			    fail "lab: loss: \"$lab_v\": over 100"
			lab_pre="numgen random mod 100 < $lab_v drop;" ;;
		rst-rate=*)
			lab__count "$lab_v"
			lab_out="$lab_out tcp flags & rst == rst"
			lab_out="$lab_out limit rate over $lab_v/second"
			lab_out="$lab_out drop;" ;;
		icmp-rate=*)
			lab__count "$lab_v"
			lab_out="$lab_out icmp type { destination-unreachable,"
			lab_out="$lab_out time-exceeded, parameter-problem }"
			lab_out="$lab_out limit rate over $lab_v/second drop;"
			lab_out="$lab_out icmpv6 type { packet-too-big,"
			lab_out="$lab_out destination-unreachable,"
			lab_out="$lab_out time-exceeded, parameter-problem }"
			lab_out="$lab_out limit rate over $lab_v/second"
			lab_out="$lab_out drop;" ;;
		*)
			fail "lab: \"$lab_p\": unknown policy" ;;
		esac
	done
	cat >"$LAB_DIR/$lab_ns.nft" <<-EOF
	table inet lab
	delete table inet lab
	table inet lab {
		chain input {
			type filter hook input priority 0; policy accept;
			$lab_pre $lab_in
		}
		chain output {
			type filter hook output priority 0; policy accept;
			$lab_out
		}
	}
	EOF
	lab__do ip netns exec "$lab_ns" nft -f "$LAB_DIR/$lab_ns.nft"
}

# lab_listen [-b BANNER] NAME tcp|udp PORT...: serve PORTs on NAME (both
# address families) until lab_down. TCP: accept, send BANNER and CRLF if
# given, close. UDP: answer with BANNER and CRLF, or echo.
lab_listen() {
	lab_banner=
	if [ "$1" = -b ]; then
		lab_banner=$2
		shift 2
	fi
	[ $# -ge 3 ] ||
	    fail "lab: usage: lab_listen [-b BANNER] NAME PROTO PORT..."
	lab__ns "$1"
	shift
	LAB_NLISTEN=$((LAB_NLISTEN + 1))
	lab_ready=$LAB_DIR/listen-$LAB_NLISTEN.ready
	lab_log=$LAB_DIR/listen-$LAB_NLISTEN.log
	set -- -r "$lab_ready" "$@"
	[ -z "$lab_banner" ] || set -- -b "$lab_banner" "$@"
	ip netns exec "$lab_ns" "$LAB_BIN/lab-listen" "$@" >"$lab_log" 2>&1 &
	lab_pid=$!
	lab_i=0
	while [ ! -f "$lab_ready" ]; do
		kill -0 $lab_pid 2>/dev/null || fail "lab: $(cat "$lab_log")"
		[ $lab_i -lt 100 ] ||
		    fail "lab: lab-listen $*: not ready after 10 s"
		lab_i=$((lab_i + 1))
		sleep 0.1
	done
}

# lab_exec NAME CMD...: run CMD in the namespace of NAME.
lab_exec() {
	lab__ns "$1"
	shift
	ip netns exec "$lab_ns" "$@"
}

# lab_probe NAME ARGS...: run lab-probe (see lab-probe.c) from NAME.
lab_probe() {
	lab__ns "$1"
	shift
	ip netns exec "$lab_ns" "$LAB_BIN/lab-probe" "$@"
}

# lab_link_down NAME, lab_link_up NAME: unplug or replug NAME's cable
# at the bridge; NAME keeps its addresses and routes, and its link comes
# back (carrier) before lab_link_up returns.
lab_link_down() {
	lab__port "$1"
	lab__do ip -n "${LAB_PREFIX}router" link set "$lab_port" down
}

lab_link_up() {
	lab__port "$1"
	lab__do ip -n "${LAB_PREFIX}router" link set "$lab_port" up
	lab_i=0
	until ip -n "$lab_ns" link show eth0 | grep -q 'state UP'; do
		[ $lab_i -lt 50 ] || fail "lab: $1: no carrier after 5 s"
		lab_i=$((lab_i + 1))
		sleep 0.1
	done
}

# lab__port NAME: set lab_ns and lab_port, NAME's bridge port.
lab__port() {
	lab__ns "$1"
	case $1 in
	scanner)
		lab_port=scanner ;;
	router)
		fail "lab: the router has no cable" ;;
	*)
		read -r lab_a4 lab_a6 lab_port <"$LAB_DIR/host-$1" ;;
	esac
}

# lab_pcap_start FILE [FILTER...]: capture the scanner's link, as the
# router sees it, into FILE until lab_pcap_stop.
lab_pcap_start() {
	[ $# -ge 1 ] || fail "lab: usage: lab_pcap_start FILE [FILTER...]"
	[ -z "$LAB_PCAP_PID" ] || fail "lab: a capture is running"
	lab_file=$1
	shift
	: >"$LAB_DIR/tcpdump.err"
	ip netns exec "${LAB_PREFIX}router" tcpdump -i scanner -n -U \
	    --immediate-mode -Z root -w "$lab_file" "$@" 2>"$LAB_DIR/tcpdump.err" &
	LAB_PCAP_PID=$!
	lab_i=0
	until grep -q '^tcpdump: listening on' "$LAB_DIR/tcpdump.err"; do
		kill -0 $LAB_PCAP_PID 2>/dev/null ||
		    fail "lab: tcpdump: $(cat "$LAB_DIR/tcpdump.err")"
		[ $lab_i -lt 100 ] ||
		    fail "lab: tcpdump not listening after 10 s"
		lab_i=$((lab_i + 1))
		sleep 0.1
	done
}

# lab_pcap_stop: end the capture; the file is complete on return. The
# pause lets tcpdump read what the kernel has queued for it: a TERM drops
# packets "received by filter" but not yet read.
lab_pcap_stop() {
	[ -n "$LAB_PCAP_PID" ] || fail "lab: no capture is running"
	sleep 0.5
	kill -TERM $LAB_PCAP_PID
	wait $LAB_PCAP_PID
	LAB_PCAP_PID=
}

# lab_nat LIMIT LIFE CLOSE: make the router a NAT router with a small
# state table. It masquerades what the scanner sends to lan1, so that
# conntrack tracks every probe, and drops a new connection of the
# scanner's once it has more than LIMIT tracked (nf_conntrack_max is
# not per namespace: a dynamic set with `ct count over` stands in).
# Unanswered TCP, UDP and ICMP entries live LIFE seconds, those a RST
# ended CLOSE seconds. Again: a fresh set and counter, same sysctls.
lab_nat() {
	[ $# = 3 ] || fail "lab: usage: lab_nat LIMIT LIFE CLOSE"
	for lab_v in "$@"; do
		lab__count "$lab_v"
	done
	lab_r=${LAB_PREFIX}router
	lab__do ip netns exec "$lab_r" sysctl -q -w \
	    net.netfilter.nf_conntrack_tcp_timeout_syn_sent="$2" \
	    net.netfilter.nf_conntrack_udp_timeout="$2" \
	    net.netfilter.nf_conntrack_icmp_timeout="$2" \
	    net.netfilter.nf_conntrack_tcp_timeout_close="$3"
	cat >"$LAB_DIR/nat.nft" <<-EOF
	table ip labnat
	delete table ip labnat
	table ip labnat {
		set tracked {
			type ipv4_addr; size 16; flags dynamic;
		}
		chain forward {
			type filter hook forward priority 0; policy accept;
			ip saddr 198.18.0.2 ct state new add @tracked \
			    { ip saddr ct count over $1 } counter drop
		}
		chain postrouting {
			type nat hook postrouting priority 100; policy accept;
			ip saddr 198.18.0.2 oifname "lan1" masquerade
		}
	}
	EOF
	lab__do ip netns exec "$lab_r" nft -f "$LAB_DIR/nat.nft"
}

# lab_nat_drops: print how many packets lab_nat's limit has dropped.
lab_nat_drops() {
	ip netns exec "${LAB_PREFIX}router" nft list chain ip labnat forward |
	    sed -n 's/.* counter packets \([0-9]*\) .*/\1/p'
}

# lab_nat_count: print how many conntrack entries the router has alive.
# Its nf_conntrack_count keeps entries whose time is up until the
# kernel's collector gets to them, seconds later; a read of
# /proc/net/nf_conntrack lists only the live ones (and ends the rest).
lab_nat_count() {
	ip netns exec "${LAB_PREFIX}router" sh -c \
	    'wc -l </proc/net/nf_conntrack' ||
	    fail "lab: cannot read the router's /proc/net/nf_conntrack"
}

# lab_nat_watch FILE: write lab_nat_count to FILE every 50 ms, one a
# line, until lab_nat_unwatch.
lab_nat_watch() {
	[ -z "$LAB_WATCH_PID" ] || fail "lab: already watching"
	ip netns exec "${LAB_PREFIX}router" sh -c 'while :; do
		wc -l </proc/net/nf_conntrack
		sleep 0.05
	done' >"$1" 2>&1 &
	LAB_WATCH_PID=$!
}

lab_nat_unwatch() {
	[ -n "$LAB_WATCH_PID" ] || fail "lab: not watching"
	kill $LAB_WATCH_PID
	wait $LAB_WATCH_PID 2>/dev/null
	LAB_WATCH_PID=
}

# lab_state_up: the lab of state entries (tests/lab/scan-state.sh,
# bench/state-lab.sh): lab_up, then host t, 198.19.0.30, with 700
# filtered ports (101-800), 2 open (22, 80) and 98 closed; the profile
# $TMPD/natlab.yaml (brisk, one retry, the lifetimes of lab_nat's
# router) and $TMPD/want, "PORT STATE" a line, what a scan should find.
LAB_STATE_LIMIT=512
lab_state_up() {
	lab_up
	lab_host t 198.19.0.30 drop-tcp=101-800
	lab_listen t tcp 22 80
	cat >"$TMPD/natlab.yaml" <<-EOF
	name: natlab
	description: "brisk behind the lab's NAT router"
	extends: brisk
	unlocked: true
	max_retries: 1
	state_entry_lifetime: 3s
	state_icmp_lifetime: 3s
	state_udp_lifetime: 3s
	state_close_lifetime: 2s
	EOF
	awk 'BEGIN {
		for (p = 1; p <= 800; p++)
			print p, (p == 22 || p == 80 ? "open" : \
			    p <= 100 ? "closed" : "filtered")
	}' >"$TMPD/want"
}

# lab_state_scan NAME ARGS...: behind a fresh lab_nat of
# LAB_STATE_LIMIT entries (3 s, 2 s), once the router's table is empty,
# scan t's 800 ports with natlab and ARGS while watching the table.
# Sets lab_peak (the most entries seen), lab_drops (packets the limit
# dropped) and lab_secs (the scan's time); the states go into
# $TMPD/NAME.got, the output into $TMPD/NAME.out and NAME.err. Returns
# the scan's exit status.
lab_state_scan() {
	lab_sn=$1
	shift
	lab_nat $LAB_STATE_LIMIT 3 2
	lab_i=0
	while [ "$(lab_nat_count)" -gt 0 ]; do
		[ $lab_i -lt 100 ] || fail "lab: $lab_sn: the router's table" \
		    "is not empty after 10 s"
		lab_i=$((lab_i + 1))
		sleep 0.1
	done
	lab_drops=$(lab_nat_drops)
	lab_nat_watch "$TMPD/$lab_sn.count"
	lab_t0=$(date +%s%N)
	lab_exec scanner "$TACT" scan --purpose "state lab" \
	    --i-have-permission -T "$TMPD/natlab.yaml" -p 1-800 \
	    -oJ "$TMPD/$lab_sn.json" "$@" 198.19.0.30 \
	    >"$TMPD/$lab_sn.out" 2>"$TMPD/$lab_sn.err"
	lab_rc=$?
	lab_t1=$(date +%s%N)
	lab_nat_unwatch
	lab_secs=$(awk -v a="$lab_t0" -v b="$lab_t1" \
	    'BEGIN { printf "%.2f", (b - a) / 1e9 }')
	lab_peak=$(sort -n "$TMPD/$lab_sn.count" | tail -1)
	lab_drops=$(($(lab_nat_drops) - lab_drops))
	jq -r 'select(.type == "host") | .ports[]? | "\(.port) \(.state)"' \
	    "$TMPD/$lab_sn.json" 2>/dev/null | sort -n >"$TMPD/$lab_sn.got"
	return $lab_rc
}

# lab_worst_second FILE: of the probes in FILE (tcpdump -tt -n lines),
# the most any one host got in a window [t, t + 1 s): prints that count,
# the host and how many hosts were probed.
lab_worst_second() {
	awk '{
		sub(":$", "", $5)
		split($5, a, ".")
		h = a[1] "." a[2] "." a[3] "." a[4]
		n[h]++
		t[h, n[h]] = $1
	} END {
		worst = 0
		for (h in n) {
			j = 1
			for (i = 1; i <= n[h]; i++) {
				while (t[h, j] + 1.0 <= t[h, i])
					j++
				if (i - j + 1 > worst) {
					worst = i - j + 1
					who = h
				}
			}
		}
		print worst, who, length(n)
	}' "$1"
}

# lab_down: end every process in the lab's namespaces and remove them,
# and with them every link. Safe to call twice; the EXIT trap calls it.
lab_down() {
	[ -n "$LAB_PREFIX" ] || return 0
	lab_nss=$(ip netns list | sed -n "s/^\($LAB_PREFIX[^ ]*\).*/\1/p")
	for lab_ns in $lab_nss; do
		lab_pids=$(ip netns pids "$lab_ns")
		[ -z "$lab_pids" ] || kill $lab_pids 2>/dev/null
	done
	lab_i=0
	for lab_ns in $lab_nss; do
		while lab_pids=$(ip netns pids "$lab_ns") &&
		    [ -n "$lab_pids" ]; do
			if [ $lab_i -ge 20 ]; then
				kill -KILL $lab_pids 2>/dev/null
				break
			fi
			lab_i=$((lab_i + 1))
			sleep 0.1
		done
		ip netns del "$lab_ns"
	done
	LAB_PREFIX=
	LAB_PCAP_PID=
	LAB_WATCH_PID=
	rm -rf "$LAB_DIR"
}
