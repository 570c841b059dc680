#!/bin/sh
# memory.sh: peak memory of grading one lab: the largest single process, and racelab with all its children at once.
# usage: sh harness/scripts/memory.sh LAB [SRC]   (SRC: the lab's solution by default; RUNS=3 gradings)
set -u
cd "$(dirname "$0")/../.." || exit 2
lab=${1:?usage: memory.sh LAB [SRC]}
id=$(ls labs | grep "^$lab" | head -1)
src=${2:-solutions/$id}
runs=${RUNS:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# The resident memory of root and every process below it (racelab is their subreaper), in KiB.
tree_rss() {
	cat /proc/[0-9]*/stat 2>/dev/null | awk -v root="$1" -v page="$(getconf PAGESIZE)" '
		{ s = $0; sub(/^.*\) /, "", s); split(s, f, " "); parent[$1] = f[2]; rss[$1] = f[22] }
		END {
			for (p in parent) { q = p; while (q != "" && q != root && q > 1) q = parent[q]; if (q == root) sum += rss[p] }
			print int(sum * page / 1024)
		}'
}

i=0
while [ "$i" -lt "$runs" ]; do
	i=$((i + 1))
	/usr/bin/time -v bin/racelab grade --lab "$lab" --src "$src" --format gradescope --out "$out/r.json" \
		2>"$out/time.txt" &
	timepid=$!
	peak=0
	while kill -0 "$timepid" 2>/dev/null; do
		now=$(tree_rss "$timepid")
		[ "$now" -gt "$peak" ] && peak=$now
		sleep 0.05
	done
	wait "$timepid"
	single=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$out/time.txt")
	wall=$(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$out/time.txt")
	echo "$id run $i: largest single process $((single / 1024)) MiB; all processes at once (sampled every 50 ms) $((peak / 1024)) MiB; $wall"
done
echo "goal: under 768 MiB"
