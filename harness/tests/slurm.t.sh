#!/bin/sh
# slurm.t.sh: grade-class --slurm on a real single-node Slurm: slurmctld and slurmd from Debian, started
# here with a configuration of their own on free ports, stopped after by their pids. The gradebook of 12
# submissions graded through Slurm is grade-class's, but for the seconds column (and the tests and stress
# marks of the racy submissions, which may differ between any two gradings: class.t.sh says why).
set -u
cd "$(dirname "$0")/../.." || exit 2
t=$(mktemp -d "${TMPDIR:-/tmp}/racelab-slurmtest.XXXXXX")
. harness/tests/tap.sh
ctld_pid="" d_pid=""
cleanup() {
	for p in $d_pid $ctld_pid; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	rm -rf "$t"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

for c in slurmctld slurmd sbatch sinfo; do
	if ! command -v $c >/dev/null 2>&1; then
		echo "not ok 1 - $c is not installed (harness/scripts/install-deps.sh test installs slurmctld, slurmd and slurm-client)"
		exit 0
	fi
done
if [ "$(id -u)" -ne 0 ]; then
	echo "ok 1 - # SKIP slurmd starts jobs as their users: only root can run a test cluster"
	echo "1..1"
	exit 0
fi

# A port nothing listens on (/proc/net/tcp lists the ones in use, in hex).
free_port() {
	while :; do
		p=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 40000))
		grep -qi ":$(printf '%04X' "$p") " /proc/net/tcp /proc/net/tcp6 2>/dev/null || { echo "$p"; return; }
	done
}

# ---- A cluster of one node: this machine, its CPUs and memory as slurmd -C reads them ----
host=$(hostname -s)
mkdir -p "$t/state" "$t/spool" "$t/tmp"
conf=$t/slurm.conf
cat >"$conf" <<EOF
ClusterName=racelabtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
AuthType=auth/none
CredType=cred/none
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$t/state
SlurmdSpoolDir=$t/spool
SlurmctldPidFile=$t/slurmctld.pid
SlurmdPidFile=$t/slurmd.pid
SlurmctldLogFile=$t/slurmctld.log
SlurmdLogFile=$t/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
SchedulerType=sched/builtin
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
$(slurmd -C | head -1 | sed 's/^NodeName=[^ ]*/NodeName=racelab NodeAddr=127.0.0.1/') State=UNKNOWN
PartitionName=racelab Nodes=racelab Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$conf"
slurmctld -D -i -f "$conf" >"$t/slurmctld.out" 2>&1 &
ctld_pid=$!
slurmd -D -f "$conf" -N racelab >"$t/slurmd.out" 2>&1 &
d_pid=$!
up=1
for _ in $(seq 60); do
	[ "$(sinfo -h -o %T 2>/dev/null)" = idle ] && { up=0; break; }
	sleep 0.5
done
ok $up "a single-node Slurm is up: $(sinfo -h -o '%P %D %T %c CPUs %m MB' 2>&1 | head -1)"
if [ $up -ne 0 ]; then
	sed 's/^/# /' "$t/slurmctld.log" "$t/slurmd.log" 2>/dev/null | tail -20
	echo "1..$n"
	exit 0
fi

# ---- 12 submissions: 2 racy (their tests and stress marks may vary), 10 whose every mark is fixed ----
HOSTILE=no FIXED=2 BROKEN=1 sh harness/tests/class-fixtures.sh "$t/all" >/dev/null
mkdir -p "$t/subs"
for s in fixed-1 fixed-2 extra-files broken-1 wrong-volatile-1 empty empty-file syntax-error-1 syntax-error-2 \
	misnamed-main.c nested-folder missing-counter_inc; do
	cp -r "$t/all/$s" "$t/subs/"
done
racy="^(broken-1|wrong-volatile-1),"

TMPDIR=$t/tmp bin/racelab grade-class --lab 11 "$t/subs" --jobs 2 --csv "$t/class.csv" --out "$t/class" 2>"$t/class.err"
ok $? "grade-class grades the 12 on this machine ($(($(wc -l <"$t/class.csv") - 1)) rows)"

bin/racelab grade-class --lab 11 "$t/subs" --slurm "$t/out" >"$t/slurm.out" 2>&1 &&
	grep -q '^#SBATCH --array=0-11$' "$t/out/grade.sbatch" && [ "$(ls "$t/out/tasks" | grep -c '^[0-9]*$')" -eq 12 ]
ok $? "grade-class --slurm writes a job array of 12 tasks ($(head -1 "$t/slurm.out"))"
bin/racelab grade-class --lab 11 "$t/subs" --slurm "$t/out" >"$t/again.out" 2>&1
[ $? -eq 1 ] && grep -q 'already holds a graded class' "$t/again.out"
ok $? "grade-class --slurm into a folder that holds a class already is refused ($(head -c 120 "$t/again.out"))"

start=$(date +%s)
TMPDIR=$t/tmp timeout 1200 sbatch --wait --quiet "$t/out/grade.sbatch" >"$t/sbatch.out" 2>&1
rc=$?
echo "# the job array ran in $(($(date +%s) - start)) s"
ok $rc "sbatch --wait: every task of the array ended well ($(head -c 200 "$t/sbatch.out"))"

bin/racelab gradebook "$t/out" --csv "$t/slurm.csv" 2>"$t/gradebook.err"
ok $? "racelab gradebook gathers the 12 results ($(head -c 200 "$t/gradebook.err"))"

# The same gradebook: every column but the seconds, and for the racy two their fixed columns.
for b in class slurm; do
	grep -Ev "$racy" "$t/$b.csv" | cut -d, -f1-9 >"$t/$b.steady"
	grep -E "$racy" "$t/$b.csv" | cut -d, -f1,4,7-9 >"$t/$b.racy"
done
diff "$t/class.steady" "$t/slurm.steady" >"$t/diff"
ok $? "through Slurm, the gradebook of the 10 is grade-class's, but for the seconds: $(tr '\n' ' ' <"$t/diff")"
diff "$t/class.racy" "$t/slurm.racy" >"$t/diff" && [ "$(wc -l <"$t/slurm.racy")" -eq 2 ]
ok $? "and the racy two have the same build and detector marks: $(tr '\n' ' ' <"$t/diff")"
[ "$(head -1 "$t/class.csv")" = "$(head -1 "$t/slurm.csv")" ] && [ "$(wc -l <"$t/slurm.csv")" -eq 13 ]
ok $? "the same columns and rows: $(head -1 "$t/slurm.csv")"
echo "# racy rows, grade-class then Slurm: $(grep -hE "$racy" "$t/class.csv" "$t/slurm.csv" | cut -d, -f1-9 | tr "\n" " ")"
grep -q '"error"' "$t"/out/results/*.json
ok $([ $? -ne 0 ] && echo 0 || echo 1) "no task's grading itself failed (no \"error\" in the results)"

# ---- A task that never ran: its row says so, and gradebook exits 1 ----
rm "$t/out/results/fixed-1.json"
bin/racelab gradebook "$t/out" --csv "$t/missing.csv" 2>"$t/missing.err"
rc=$?
[ $rc -eq 1 ] && grep -q "^fixed-1,0,$(lab_points 11),$(lab_gates 11 | awk '{ printf "error," }')" "$t/missing.csv" &&
	[ ! -e "$t/out/results/fixed-1.json" ]
ok $? "a submission without results: an error row, exit 1, and no results file made up for it ($(head -c 160 "$t/missing.err"))"

# ---- Stopped by their pids; nothing of the job left ----
[ -z "$(squeue -h 2>/dev/null)" ]
ok $? "no job left in the queue"
for p in $d_pid $ctld_pid; do kill "$p"; done
stopped=0
for p in $d_pid $ctld_pid; do wait "$p" || [ $? -eq 143 ] || stopped=1; done
d_pid="" ctld_pid=""
ok $stopped "slurmd and slurmctld stopped"
left=$(leftovers "$t")
ok $([ -z "$left" ] && echo 0 || echo 1) "no process left under the test's folders $left"
echo "1..$n"
