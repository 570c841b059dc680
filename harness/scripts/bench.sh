#!/bin/sh
# bench.sh: how long a whole check of each solved kata takes: the median of RUNS gradings.
set -u
cd "$(dirname "$0")/../.." || exit 2
runs=${RUNS:-5}
labs=${LAB:-$(ls labs)}
printf '%-24s %s\n' "lab" "median seconds of $runs checks of the solution (every gate)"
for lab in $labs; do
	id=$(basename "labs/$lab"*)
	times=""
	for i in $(seq "$runs"); do
		t0=$(date +%s.%N)
		bin/racelab grade --lab "$id" --src "solutions/$id" --out /dev/null >/dev/null 2>&1
		t1=$(date +%s.%N)
		times="$times $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')"
	done
	median=$(echo $times | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}')
	printf '%-24s %.2f   (runs:%s)\n' "$id" "$median" "$times"
done
