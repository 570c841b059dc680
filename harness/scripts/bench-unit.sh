#!/bin/sh
# bench-unit.sh: how long `make unit` takes with the build up to date (every unit test, run): the median of RUNS (default 3); goal under 30 s.
set -u
cd "$(dirname "$0")/../.." || exit 2
runs=${RUNS:-3}
goal=30
make --no-print-directory build/unit_tests >/dev/null || exit 2
times=""
for i in $(seq "$runs"); do
	t0=$(date +%s.%N)
	make --no-print-directory unit >/dev/null 2>&1 || { echo "make unit failed: run it to see which test"; exit 1; }
	t1=$(date +%s.%N)
	times="$times $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')"
done
median=$(echo $times | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}')
printf 'make unit: median %.2f s of %d runs (runs:%s); goal under %d s\n' "$median" "$runs" "$times" "$goal"
awk -v m="$median" -v g="$goal" 'BEGIN { exit !(m < g) }'
