#!/bin/sh
# bench-watch.sh: how soon racelab watch shows the fast gates (build, tests) passing after a save: the median of RUNS.
# Each run: a fresh progress file, `racelab watch 11` in tmux on the shipped code, its first verdict, then
# the solution saved over counter.c. CAPTURE=FILE keeps the last run's screens before and after the save.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/harness/tests/tmux.sh"
runs=${RUNS:-5}
command -v tmux >/dev/null 2>&1 || { echo "bench-watch needs tmux (make deps installs it)"; exit 1; }
tw_setup
trap tw_cleanup EXIT
times=""
for i in $(seq "$runs"); do
	cp "$root/labs/11-lost-update/counter.c" "$tw/tree/labs/11-lost-update/counter.c"
	rm -rf "$tw/state" && mkdir "$tw/state"
	tw_start "b$i" watch 11
	if ! tw_wait "b$i" 180 "(check 1)" " points: " "keys: h hint"; then
		echo "run $i: no first verdict in 180 s"
		exit 1
	fi
	before=$(tw_cap "b$i")
	secs=$(tw_flip "b$i" 2 60)
	after=$(tw_cap "b$i")
	$tw_tmux send-keys -t "b$i" q
	tw_wait_exit "b$i" 30
	$tw_tmux kill-session -t "b$i"
	echo "run $i: fast gates passed $secs s after the save"
	times="$times $secs"
done
if [ -n "${CAPTURE:-}" ]; then
	{
		echo "(made by: make bench-watch CAPTURE=FILE; the screens of its last run)"
		echo
		echo "racelab watch 11, in a 120x50 terminal (tmux), on the shipped code: the first verdict"
		echo "================================================================================"
		echo "$before"
		echo
		echo "the solution saved over labs/11-lost-update/counter.c; $secs s later:"
		echo "================================================================================"
		echo "$after"
	} | sed -e 's/[[:space:]]*$//' | cat -s >"$CAPTURE"
fi
echo $times | tr ' ' '\n' | sort -n | awk -v runs="$runs" '{ a[NR] = $1 } END {
	m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
	printf "median over %d runs: the fast gates passed %.2f s after the save (goal: within 3 s)\n", runs, m }'
