# Read a scan's journal from the shell (the layout is in docs/HACKING.md:
# a 16-byte file header, then records of a 32-byte header and a payload
# padded to 8 bytes). Source it; XDG_STATE_HOME must be set.

# journal_of ID: the scan's journal.
journal_of() {
	echo "$XDG_STATE_HOME/tact/scans/$1/journal"
}

# journal_ports FILE: "ADDRESS PORT STATE" for every port of a
# port-state record and of a port-run record (its ports after the
# 28-byte struct, LEB128: the first, then differences), in order (IPv4;
# STATE as event.h numbers it: 1 open, 2 closed, 3 filtered).
journal_ports() {
	od -An -v -tu1 "$1" | awk '
	{ for (i = 1; i <= NF; i++) b[n++] = $i }
	END {
		for (o = 16; o + 32 <= n; o += 32 + int((l + 7) / 8) * 8) {
			t = b[o + 6] + 256 * b[o + 7]
			l = b[o + 8] + 256 * b[o + 9] + 65536 * b[o + 10]
			a = b[o + 33] "." b[o + 34] "." b[o + 35] "." b[o + 36]
			if (t == 3)
				print a, b[o + 50] + 256 * b[o + 51], b[o + 53]
			if (t != 10)
				continue
			port = 0
			for (p = o + 60; p < o + 32 + l; p++) {
				v = 0
				for (s = 1; b[p] >= 128; p++) {
					v += (b[p] - 128) * s
					s *= 128
				}
				port += v + b[p] * s
				print a, port, b[o + 50]
			}
		}
	}'
}

# journal_count FILE TYPE: how many records of TYPE (event.h) it holds.
journal_count() {
	od -An -v -tu1 "$1" | awk -v want="$2" '
	{ for (i = 1; i <= NF; i++) b[n++] = $i }
	END {
		for (o = 16; o + 32 <= n; o += 32 + int((l + 7) / 8) * 8) {
			l = b[o + 8] + 256 * b[o + 9] + 65536 * b[o + 10]
			if (b[o + 6] + 256 * b[o + 7] == want)
				c++
		}
		print c + 0
	}'
}
