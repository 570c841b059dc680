#!/bin/sh
# bench-watch.sh: how soon racelab watch shows the fast gates (build, tests) passing after a save: the median of RUNS.
# Each run, twice, with a fresh progress file: `racelab watch 11` in tmux on the shipped code, then the
# solution saved over counter.c: once after the first verdict (idle), once a second after the first check's
# fast gates, while its detectors run (that check is cancelled). CAPTURE=FILE keeps the last idle run's screens.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/harness/tests/tmux.sh"
runs=${RUNS:-5}
command -v tmux >/dev/null 2>&1 || { echo "bench-watch needs tmux (make deps installs it)"; exit 1; }
tw_setup
trap tw_cleanup EXIT

# One flip in session $1; $2 is what to wait for before the save. Prints the seconds.
bench_one() {
	cp "$root/labs/11-lost-update/counter.c" "$tw/tree/labs/11-lost-update/counter.c"
	rm -rf "$tw/state" && mkdir "$tw/state"
	tw_start "$1" watch 11
	if [ "$2" = idle ]; then
		tw_wait "$1" 180 "(check 1)" " points: " "keys: h hint" || { echo "none"; return; }
	else
		tw_wait "$1" 180 "(check 1)" "fast gates" || { echo "none"; return; }
		sleep 1
	fi
	tw_cap "$1" >"$tw/before"
	tw_flip "$1" 2 60
	tw_cap "$1" >"$tw/after"
	$tw_tmux send-keys -t "$1" q
	tw_wait_exit "$1" 30
	$tw_tmux kill-session -t "$1"
}

median() {
	tr ' ' '\n' | grep -E '^[0-9.]+$' | sort -n | awk '{ a[NR] = $1 } END { printf "%.2f", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

idle="" busy=""
for i in $(seq "$runs"); do
	s=$(bench_one "b$i" busy)
	busy="$busy $s"
	s=$(bench_one "a$i" idle)
	idle="$idle $s"
	echo "run $i: fast gates passed $s s after a save (idle), $(echo "$busy" | awk '{ print $NF }') s after a save during a check"
	[ -n "${CAPTURE:-}" ] && [ "$s" != none ] && cp "$tw/before" "$tw/capture-before" && cp "$tw/after" "$tw/capture-after" && echo "$s" >"$tw/capture-secs"
done
if [ -n "${CAPTURE:-}" ] && [ -e "$tw/capture-secs" ]; then
	{
		echo "(made by: make bench-watch CAPTURE=FILE; the screens of its last run)"
		echo
		echo "racelab watch 11, in a 120x50 terminal (tmux), on the shipped code: the first verdict"
		echo "================================================================================"
		cat "$tw/capture-before"
		echo
		echo "the solution saved over labs/11-lost-update/counter.c; $(cat "$tw/capture-secs") s later:"
		echo "================================================================================"
		cat "$tw/capture-after"
	} | sed -e 's/[[:space:]]*$//' | cat -s >"$CAPTURE"
fi
echo "median over $runs runs, seconds from the save to the fast gates passing on screen (goal: within 3 s):"
echo "  after the verdict:     $(echo "$idle" | median)   (runs:$idle)"
echo "  during a check:        $(echo "$busy" | median)   (runs:$busy)"
echo "$idle $busy" | grep -q none && exit 1
exit 0
