# libtact's boundary: nothing in src/ reads the environment, writes to
# the terminal or exits, and nothing there includes a header of the
# front ends (cli/, tui/). Comments, strings and character constants are
# blanked first, so "exit" in a message or printf( in a comment is no
# violation, nor are snprintf and fprintf to a FILE the caller gave.
# Every violation is named file:line. The check first proves itself on a
# tree with planted violations (each must be named, nothing else), then
# runs on src/.

set -u

top=$(cd "${TESTS_SRCDIR:-$(dirname "$0")}/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tact-boundary.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT HUP INT TERM

# Not an identifier character, nor a member access before the name.
B='(^|[^[:alnum:]_.>])'
E='([^[:alnum:]_]|$)'
C='[[:space:]]*\('

# name, pattern, why: one rule a line.
rules="getenv	${B}(secure_)?getenv${E}	libtact reads no environment
environ	${B}(__)?environ${E}	libtact reads no environment
printf	${B}v?printf${C}	libtact writes to no terminal
puts	${B}(puts|putchar)${C}	libtact writes to no terminal
perror	${B}perror${C}	libtact writes to no terminal
stdio	${B}(stdout|stderr|STDERR_FILENO)${E}	libtact writes to no terminal
err	${B}v?(err|errx|errc|warn|warnx|warnc)${C}	libtact prints nothing
exit	${B}(exit|_exit|_Exit|quick_exit)${C}	only the front ends exit"

# file:rule pairs allowed: running out of memory is fatal in xmalloc.c,
# which says so on stderr before it aborts.
allow="xmalloc.c:stdio"

# FILE with comments, strings and character constants blanked, line for
# line.
blank() {
	awk '{
		out = ""; n = length($0); i = 1
		while (i <= n) {
			c = substr($0, i, 1); d = substr($0, i, 2)
			if (incomment) {
				if (d == "*/") { incomment = 0; i += 2 }
				else i++
				out = out " "
				continue
			}
			if (d == "/*") { incomment = 1; i += 2; out = out " "; continue }
			if (d == "//") break
			if (c == "\"" || c == "\047") {
				q = c; out = out q; i++
				while (i <= n) {
					c = substr($0, i, 1)
					if (c == "\\") { i += 2; continue }
					if (c == q) break
					i++
				}
				out = out q; i++
				continue
			}
			out = out c; i++
		}
		print out
	}' "$1"
}

# Print every violation under ROOT/src as src/FILE:LINE: RULE: WHY.
check() {
	root=$1
	headers=
	for h in "$root"/cli/*.h "$root"/tui/*.h; do
		[ -e "$h" ] || continue
		h=${h##*/}
		[ -e "$root/src/$h" ] || headers="$headers $h"
	done
	for f in "$root"/src/*.c "$root"/src/*.h; do
		[ -e "$f" ] || continue
		name=${f##*/}
		blank "$f" >"$tmp/code"
		printf '%s\n' "$rules" | while IFS='	' read -r rule re why; do
			case " $allow " in *" $name:$rule "*) continue ;; esac
			grep -nE "$re" "$tmp/code" | while IFS=: read -r line _; do
				echo "src/$name:$line: $rule: $why"
			done
		done
		grep -nE '^[[:space:]]*#[[:space:]]*include' "$f" |
		    while IFS=: read -r line text; do
			inc=$(printf '%s\n' "$text" |
			    sed -n 's/.*include[[:space:]]*[<"]\([^>"]*\)[>"].*/\1/p')
			bad=
			case "$inc" in
			*cli/*|*tui/*) bad=1 ;;
			esac
			for h in $headers; do
				[ "${inc##*/}" = "$h" ] && bad=1
			done
			[ -n "$bad" ] && echo "src/$name:$line: include: libtact" \
			    "includes no header of cli/ or tui/ ($inc)"
		done
	done
}

# A tree with a violation on each numbered line of bad.c, and good.c
# with what looks like one but is not.
mkdir -p "$tmp/t/src" "$tmp/t/cli" "$tmp/t/tui"
: >"$tmp/t/cli/cmd.h"
: >"$tmp/t/tui/tui.h"
cat >"$tmp/t/src/bad.c" <<'EOF'
#include "cmd.h"
#include <tui.h>
#include "../cli/other.h"
static const char *h(void) { return getenv("HOME"); }
static const char *s(void) { return secure_getenv("HOME"); }
static void p(void) { printf("x\n"); }
static void q(void) { puts("x"); }
static void r(FILE *f) { fputs("x", stderr); (void)f; }
static void t(void) { fprintf(stdout, "x"); }
static void u(void) { perror("x"); }
static void v(void) { err(1, "x"); }
static void w(void) { warnx("x"); }
static void x(void) { exit(1); }
static void y(void) { _exit(1); }
static void z(void) { write(STDERR_FILENO, "x", 1); }
static char **e(void) { return environ; }
static void a(const char *m) { vprintf(m, NULL); }
EOF
cat >"$tmp/t/src/good.c" <<'EOF'
/*
 * Comments may say getenv("HOME"), printf(, stderr and exit(1);
 */
#include "good.h"
#include <stdio.h>
// fputs("x", stdout);
static void a(char *b, size_t n) { snprintf(b, n, "exit(%d) stderr", 1); }
static void b(FILE *f) { fprintf(f, "getenv(\"X\") \" stdout"); fputc('"', f); }
static void c(struct e *e) { e->warn = 0; e->exit(e); int err = 0; (void)err; }
static const char d[] = "/* not a comment */ printf(";
static void f(FILE *o) { vfprintf(o, "%s", NULL); fputs("x", o); }
EOF
: >"$tmp/t/src/good.h"
cat >"$tmp/want" <<'EOF'
src/bad.c:1: include
src/bad.c:2: include
src/bad.c:3: include
src/bad.c:4: getenv
src/bad.c:5: getenv
src/bad.c:6: printf
src/bad.c:7: puts
src/bad.c:8: stdio
src/bad.c:9: stdio
src/bad.c:10: perror
src/bad.c:11: err
src/bad.c:12: err
src/bad.c:13: exit
src/bad.c:14: exit
src/bad.c:15: stdio
src/bad.c:16: environ
src/bad.c:17: printf
EOF
check "$tmp/t" | cut -d: -f1-3 | sort -t: -k1,1 -k2,2n -k3 >"$tmp/got"
if ! cmp -s "$tmp/want" "$tmp/got"; then
	echo "FAIL: boundary: the check itself: planted violations found" \
	    "differ from those planted:"
	diff "$tmp/want" "$tmp/got"
	exit 1
fi

check "$top" >"$tmp/found"
if [ -s "$tmp/found" ]; then
	sed 's/^/boundary: /' "$tmp/found"
	echo "FAIL: boundary: $(wc -l <"$tmp/found") violation(s) in src/"
	exit 1
fi
echo "PASS: boundary: src/ reads no environment, writes to no terminal," \
    "exits nowhere, includes nothing of cli/ or tui/"
exit 0
