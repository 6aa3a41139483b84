# The cluster jobs of contrib/, as a user renders them (envsubst with
# their variables), run here as they would run there: the Kubernetes
# Indexed Job's command in three processes with JOB_COMPLETION_INDEX
# 0-2 and its merge Job's command, then the Slurm array script itself
# for tasks 1-3 of an array declared 1-3 and its merge script, all in
# the lab's scanner, at once against the same hosts. Each merge exits 0
# and its results are those of the same scan unsharded, port for port.
. "$TESTS_SRCDIR/lab/lab.sh"

command -v envsubst >/dev/null 2>&1 || skip "needs envsubst (gettext-base)"
CONTRIB=$TESTS_SRCDIR/../contrib

lab_up
lab_host web 198.19.0.10
lab_host fw 198.19.0.11 drop-tcp=1005-1009
lab_host quiet 198.19.0.12 no-ping
lab_host near 198.18.0.5
lab_listen web tcp 1001 1020
lab_listen fw tcp 1002
lab_listen near tcp 1003

mkdir "$TMPD/bin"
ln -s "$TACT" "$TMPD/bin/tact"
PATH=$TMPD/bin:$PATH
TACT_SHARDS=3
TACT_PROFILE=standard
TACT_PURPOSE="lab test"
TACT_SEED=4242
TACT_PORTS=1000-1029
TACT_TARGETS="198.19.0.10-12 198.18.0.5"
TACT_IMAGE=unused
TACT_VOLUME=$TMPD/vol
TACT_STATE_DIR=$TMPD/slurm/state
export TACT_SHARDS TACT_PROFILE TACT_PURPOSE TACT_SEED TACT_PORTS \
    TACT_TARGETS TACT_IMAGE TACT_VOLUME TACT_STATE_DIR PATH

# render FILE: FILE with the variables put in; none may be left.
render() {
	envsubst <"$1" >"$TMPD/$(basename "$1")" || fail "envsubst $1"
	! grep -q '\${' "$TMPD/$(basename "$1")" ||
	    fail "$1: left unrendered: $(grep '\${' "$TMPD/$(basename "$1")")"
}
# args FILE: the container's command (sh -c ARGS) in a rendered Job.
args() {
	sed -n 's/^ *args: \["\(.*\)"\]$/\1/p' "$TMPD/$1"
}
# ports FILE: the grepable output's hosts and ports (and those folded).
ports() {
	sed -n 's/^\(Host: [^ ]*\).*\(Ports: .*\)/\1 \2/p' "$1" | sort
}

lab_exec scanner tact scan -T $TACT_PROFILE --purpose "$TACT_PURPOSE" \
    --i-have-permission --seed $TACT_SEED -p $TACT_PORTS $TACT_TARGETS \
    -oG "$TMPD/all.gnmap" >"$TMPD/out" 2>"$TMPD/err" ||
    fail "unsharded scan: $(cat "$TMPD/err")"
ports "$TMPD/all.gnmap" >"$TMPD/all"
[ "$(wc -l <"$TMPD/all")" = 4 ] || fail "unsharded: $(cat "$TMPD/all")"

# Kubernetes: the Indexed Job's pods, then the merge Job.
render "$CONTRIB/kubernetes/tact-job.yaml"
render "$CONTRIB/kubernetes/tact-merge.yaml"
grep -q '^  completionMode: Indexed$' "$TMPD/tact-job.yaml" ||
    fail "not an Indexed Job"
grep -q "^  completions: 3$" "$TMPD/tact-job.yaml" || fail "completions"
scan=$(args tact-job.yaml)
merge=$(args tact-merge.yaml)
[ -n "$scan" ] && [ -n "$merge" ] || fail "no command in the Jobs"
mkdir -p "$TACT_VOLUME"
for i in 0 1 2; do
	JOB_COMPLETION_INDEX=$i lab_exec scanner /bin/sh -c "$scan" \
	    >"$TMPD/k$i.out" 2>"$TMPD/k$i.err" &
	eval job$i=$!
done
for i in 0 1 2; do
	eval wait \$job$i || fail "pod $i: $(cat "$TMPD/k$i.err")"
done
/bin/sh -c "$merge" >"$TMPD/out" 2>"$TMPD/err" ||
    fail "merge Job: $(cat "$TMPD/err")"
ports "$TACT_VOLUME/results.gnmap" >"$TMPD/k8s"
cmp -s "$TMPD/all" "$TMPD/k8s" ||
    fail "Kubernetes (unsharded < > merged): $(diff "$TMPD/all" "$TMPD/k8s")"

# Slurm: the array's tasks 1-3, then the dependent merge.
render "$CONTRIB/slurm/tact-shards.sbatch"
render "$CONTRIB/slurm/tact-merge.sbatch"
grep -q '^#SBATCH --array=1-3$' "$TMPD/tact-shards.sbatch" ||
    fail "the array: $(grep array "$TMPD/tact-shards.sbatch")"
mkdir -p "$TMPD/slurm"
for i in 1 2 3; do
	SLURM_ARRAY_TASK_MIN=1 SLURM_ARRAY_TASK_ID=$i lab_exec scanner \
	    /bin/sh "$TMPD/tact-shards.sbatch" >"$TMPD/s$i.out" \
	    2>"$TMPD/s$i.err" &
	eval job$i=$!
done
for i in 1 2 3; do
	eval wait \$job$i || fail "task $i: $(cat "$TMPD/s$i.err")"
done
/bin/sh "$TMPD/tact-merge.sbatch" >"$TMPD/out" 2>"$TMPD/err" ||
    fail "merge job: $(cat "$TMPD/err")"
ports "$TACT_STATE_DIR.results.gnmap" >"$TMPD/slurm.ports"
cmp -s "$TMPD/all" "$TMPD/slurm.ports" ||
    fail "Slurm (unsharded < > merged): $(diff "$TMPD/all" "$TMPD/slurm.ports")"
cat "$TMPD/all"
exit 0
