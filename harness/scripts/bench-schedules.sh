#!/bin/sh
# bench-schedules.sh: per kata with the schedules gate, how soon the search finds the broken code's failing schedule (seeds 1..SEEDS), and the solution and alternatives explored clean.
# Usage: sh harness/scripts/bench-schedules.sh [NN...]   (default: every kata whose lab.ini enables schedules; SEEDS=20)
set -u
cd "$(dirname "$0")/../.." || exit 2
seeds=${SEEDS:-20}
labs=${*:-$(grep -l '^schedules *=' labs/*/lab.ini | sed 's|labs/\([0-9]*\)-.*|\1|')}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
median() { sort -n | awk '{ v[NR] = $1 } END { print NR ? (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) : "-" }'; }
for lab in $labs; do
	found=0
	: >"$tmp/n"; : >"$tmp/s"
	for seed in $(seq "$seeds"); do
		start=$(date +%s.%N)
		RACELAB_SCHED_SEED=$seed bin/racelab replay "$lab" --seconds 5 >"$tmp/out" 2>&1
		rc=$?
		end=$(date +%s.%N)
		[ "$rc" -eq 1 ] || continue
		found=$((found + 1))
		sed -n 's/.* in schedule \([0-9]*\) of its search.*/\1/p' "$tmp/out" | head -1 >>"$tmp/n"
		echo "$end - $start" | bc >>"$tmp/s"
	done
	echo "$lab broken: $found of $seeds seeds found a failing schedule; median $(median <"$tmp/n") schedules, median $(median <"$tmp/s") s, slowest $(sort -n "$tmp/s" | tail -1) s (build, search and replay)"
	for f in solutions/$lab-*/$(sed -n 's/^edit *= *\([^ ;]*\).*/\1/p' labs/$lab-*/lab.ini) solutions/$lab-*/alt/*.c; do
		[ -e "$f" ] || continue
		mkdir -p "$tmp/src" && cp "$f" "$tmp/src/$(sed -n 's/^edit *= *\([^ ;]*\).*/\1/p' labs/$lab-*/lab.ini)"
		bin/racelab replay "$lab" --src "$tmp/src" >"$tmp/out" 2>&1
		echo "$lab ${f#solutions/}: exit $? $(head -1 "$tmp/out")"
	done
done
