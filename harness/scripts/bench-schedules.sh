#!/bin/sh
# bench-schedules.sh: per kata with the schedules gate, how soon the search finds the broken code's failing schedule (seeds 1..SEEDS), the solution and alternatives explored clean, and beside it the stress gate's catch rate on the same time budget.
# Usage: sh harness/scripts/bench-schedules.sh [NN...]   (default: every kata whose lab.ini enables schedules; SEEDS=20, BUDGET=5 s)
set -u
cd "$(dirname "$0")/../.." || exit 2
. harness/scripts/sched-files.sh
seeds=${SEEDS:-20}
budget=${BUDGET:-5}
labs=${*:-$(sched_labs)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
median() { sort -n | awk '{ v[NR] = $1 } END { print NR ? (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) : "-" }'; }

# A racelab root of its own (RACELAB_ROOT) whose copy of kata $1 enables the build and stress gates only, $2 stress runs.
stress_root() {
	rm -rf "$tmp/root" && mkdir -p "$tmp/root/labs"
	for d in harness solutions docs; do ln -s "$PWD/$d" "$tmp/root/$d"; done
	cp -r labs/$1-* "$tmp/root/labs/"
	awk -v runs="$2" '
		/^\[/ { sect = $0; print; if (sect == "[gates]") print "build = 5\nstress = 10"; if (sect == "[limits]") { print "stress_runs = " runs; lim = 1 }; next }
		sect == "[gates]" && /^[a-z]/ { next }
		sect == "[limits]" && /^stress_runs/ { next }
		{ print }
		END { if (!lim) print "[limits]\nstress_runs = " runs }' labs/$1-*/lab.ini >"$tmp/root/labs/$(basename labs/$1-*)/lab.ini"
}

# The stress gate of kata $1 on file $2 under root $tmp/root: "pass|fail SECONDS".
stress_grade() {
	mkdir -p "$tmp/ssrc" && cp "$2" "$tmp/ssrc/$(edit_of "$1")"
	RACELAB_ROOT="$tmp/root" bin/racelab grade --lab "$1" --src "$tmp/ssrc" --format json 2>/dev/null |
		jq -r '.gates[] | select(.name == "stress") | "\(.status) \(.seconds)"'
}

# The stress gate beside the search: as many noisy runs as fit in the budget, SEEDS grades. A run is timed as a third
# of a 3-run gate on the broken code: one that fails at its first run makes that third short, and the gate more runs.
stress_side() {
	stress_root "$1" 3
	one=$(stress_grade "$1" "$(ls labs/$1-*/"$(edit_of "$1")")" | awk '{ print $2 / 3 }')
	runs=$(echo "$one" | awk -v b="$budget" '{ r = int(b / $1); print r < 1 ? 1 : r }')
	stress_root "$1" "$runs"
	caught=0
	: >"$tmp/ss"
	for i in $(seq "$seeds"); do
		set -- "$1" $(stress_grade "$1" "$(ls labs/$1-*/"$(edit_of "$1")")")
		[ "${2:-}" = fail ] && caught=$((caught + 1))
		echo "${3:-0}" >>"$tmp/ss"
	done
	echo "$1 stress gate beside it: $caught of $seeds grades caught the broken code, up to $runs noisy runs each (${one} s a run, a ${budget} s budget); median $(median <"$tmp/ss") s"
}

# The search from seeds 1..SEEDS on kata $1's file $2 (label $3): how many seeds find a failing schedule, how soon.
# A file the scheduler cannot explore sets unexplored to the call it makes, and nothing is printed.
search_seeds() {
	found=0 unexplored=
	: >"$tmp/n"; : >"$tmp/s"
	mkdir -p "$tmp/bsrc" && cp "$2" "$tmp/bsrc/$(edit_of "$1")"
	for seed in $(seq "$seeds"); do
		start=$(date +%s.%N)
		RACELAB_SCHED_SEED=$seed bin/racelab replay "$1" --src "$tmp/bsrc" --seconds "$budget" >"$tmp/out" 2>&1
		rc=$?
		end=$(date +%s.%N)
		unexplored=$(unexplored_in "$tmp/out")
		[ -n "$unexplored" ] && return
		[ "$rc" -eq 1 ] || continue
		found=$((found + 1))
		sed -n 's/.* in schedule \([0-9]*\) of its search.*/\1/p' "$tmp/out" | head -1 >>"$tmp/n"
		echo "$end - $start" | bc >>"$tmp/s"
	done
	echo "$1 $3: $found of $seeds seeds found a failing schedule; median $(median <"$tmp/n") schedules, median $(median <"$tmp/s") s, slowest $(sort -n "$tmp/s" | tail -1) s (build, search and replay)"
}

for lab in $labs; do
	each_broken "$lab" search_seeds
	[ "${STRESS:-1}" = 0 ] || stress_side "$lab"
	for f in solutions/$lab-*/$(edit_of "$lab") solutions/$lab-*/alt/*.c; do
		[ -e "$f" ] || continue
		mkdir -p "$tmp/src" && cp "$f" "$tmp/src/$(edit_of "$lab")"
		bin/racelab replay "$lab" --src "$tmp/src" >"$tmp/out" 2>&1
		echo "$lab ${f#solutions/}: exit $? $(head -1 "$tmp/out")"
	done
done
