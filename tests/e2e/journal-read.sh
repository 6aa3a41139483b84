# Read a scan's journal from the shell (the layout is in docs/HACKING.md:
# a 16-byte file header, then records of a 32-byte header and a payload
# padded to 8 bytes). Source it; XDG_STATE_HOME must be set.

# journal_of ID: the scan's journal.
journal_of() {
	echo "$XDG_STATE_HOME/tact/scans/$1/journal"
}

# journal_ports FILE: "ADDRESS PORT STATE" for every port of a
# port-state record and of a port-run record, in order (IPv4; STATE as
# event.h numbers it: 1 open, 2 closed, 3 filtered). A port-run's ports
# follow its 28-byte struct as items of LEB128 numbers: x, and n if x is
# odd; the item starts x / 2 past the last port before it (the first:
# at x / 2) and holds n ports more.
journal_ports() {
	od -An -v -tu1 "$1" | awk '
	function leb(	v, s) {
		for (s = 1; b[p] >= 128; p++) {
			v += (b[p] - 128) * s
			s *= 128
		}
		return v + b[p++] * s
	}
	{ for (i = 1; i <= NF; i++) b[n++] = $i }
	END {
		for (o = 16; o + 32 <= n; o += 32 + int((l + 7) / 8) * 8) {
			t = b[o + 6] + 256 * b[o + 7]
			l = b[o + 8] + 256 * b[o + 9] + 65536 * b[o + 10]
			a = b[o + 33] "." b[o + 34] "." b[o + 35] "." b[o + 36]
			if (t == 3)
				print a, b[o + 50] + 256 * b[o + 51], b[o + 53]
			if (t != 11)
				continue
			port = 0
			for (p = o + 60; p < o + 32 + l; ) {
				x = leb()
				port += int(x / 2)
				print a, port, b[o + 50]
				if (x % 2 == 0)
					continue
				for (k = leb(); k > 0; k--)
					print a, ++port, b[o + 50]
			}
		}
	}'
}

# journal_progress FILE: "MONO_NS PAIRS_DONE" of the last progress
# record (type 5), or "0 0" before the first.
journal_progress() {
	od -An -v -tu1 "$1" | awk '
	function u64(q,	i, v) {
		for (i = 7; i >= 0; i--)
			v = v * 256 + b[q + i]
		return v
	}
	{ for (i = 1; i <= NF; i++) b[n++] = $i }
	END {
		t = d = 0
		for (o = 16; o + 32 <= n; o += 32 + int((l + 7) / 8) * 8) {
			l = b[o + 8] + 256 * b[o + 9] + 65536 * b[o + 10]
			if (b[o + 6] + 256 * b[o + 7] == 5 && o + 40 <= n) {
				t = u64(o + 24)
				d = u64(o + 32)
			}
		}
		printf "%.0f %.0f\n", t, d
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
