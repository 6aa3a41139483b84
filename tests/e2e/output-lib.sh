# Helpers for the output tests: loopback listeners on free high ports.
# Source after lib.sh.

# listen PORT: accept on 127.0.0.1:PORT until the test ends; each
# connection appends a line to $TMPD/connections.
LISTENERS=
listen() {
	socat -u TCP-LISTEN:"$1",bind=127.0.0.1,fork,reuseaddr \
	    SYSTEM:"echo $1 >>$TMPD/connections" 2>/dev/null &
	LISTENERS="$LISTENERS $!"
	i=0
	until ss -Htln "sport = :$1" | grep -q .; do
		i=$((i + 1))
		[ $i -lt 50 ] || fail "socat did not listen on $1"
		sleep 0.1
	done
}

# Stop every listener and wait until each is gone, so that the next
# listen on the same port cannot race the old socket.
stop_listeners() {
	for pid in $LISTENERS; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	LISTENERS=
}

trap 'stop_listeners; rm -rf "$TMPD"' EXIT INT TERM

command -v socat >/dev/null || skip "socat is not installed"
command -v ss >/dev/null || skip "ss (iproute2) is not installed"
