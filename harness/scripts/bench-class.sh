#!/bin/sh
# bench-class.sh: grade-class over the same generated class (harness/tests/class-fixtures.sh), --jobs 1
# against --jobs 2: the median of RUNS wall times each, and their ratio (the goal: 1.7 or more on 2 cores).
# The runs alternate (1, 2, 1, 2, ...) so that a change in the machine's load falls on both.
set -u
cd "$(dirname "$0")/../.." || exit 2
runs=${RUNS:-3}
t=$(mktemp -d "${TMPDIR:-/tmp}/racelab-benchclass.XXXXXX")
trap 'rm -rf "$t"' EXIT
# A class as it usually is: no hostile code (its hang alone would set the pace of --jobs 2).
FIXED=${FIXED:-12} BROKEN=${BROKEN:-6} HOSTILE=no sh harness/tests/class-fixtures.sh "$t/subs"
echo "$(wc -l <"$t/subs/expected") submissions of 11-lost-update; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
median() { tr ' ' '\n' | grep . | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
times1="" times2=""
for i in $(seq "$runs"); do
	for jobs in 1 2; do
		t0=$(date +%s.%N)
		bin/racelab grade-class --lab 11 "$t/subs" --jobs "$jobs" --csv "$t/book.csv" --out "$t/res" 2>/dev/null
		t1=$(date +%s.%N)
		s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
		eval "times$jobs=\"\$times$jobs $s\""
		echo "  run $i --jobs $jobs: $s s (load $(cut -d' ' -f1 /proc/loadavg))"
	done
done
m1=$(echo "$times1" | median)
m2=$(echo "$times2" | median)
awk -v a="$m1" -v b="$m2" 'BEGIN { printf "median --jobs 1: %.1f s, --jobs 2: %.1f s, ratio %.2fx (goal >= 1.7x)\n", a, b, a / b }'
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
