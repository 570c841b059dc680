#!/bin/sh
# bench-replay.sh: per kata with the schedules gate, its broken code's recorded failing schedule replayed RUNS times: how many replays fail with the same outcome, and how many print the same bytes as the first.
# Usage: sh harness/scripts/bench-replay.sh [NN...]   (default: every kata whose lab.ini enables schedules; RUNS=100)
set -u
cd "$(dirname "$0")/../.." || exit 2
. harness/scripts/sched-files.sh
runs=${RUNS:-100}
labs=${*:-$(sched_labs)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0

# Kata $1's file $2 (label $3): its recorded failing schedule replayed RUNS times. A file the scheduler
# cannot explore sets unexplored to the call it makes, and nothing is printed.
replay_file() {
	unexplored=
	mkdir -p "$tmp/src" && cp "$2" "$tmp/src/$(edit_of "$1")"
	# The seed the search records, as the gate would show it under its failure.
	bin/racelab replay "$1" --src "$tmp/src" >"$tmp/search" 2>&1
	unexplored=$(unexplored_in "$tmp/search")
	[ -n "$unexplored" ] && return
	again=$(sed -n 's/^Again: racelab replay [^ ]* //p' "$tmp/search")
	if [ -z "$again" ]; then
		echo "$1 $3: the search found no failing schedule to replay"
		status=1
		return
	fi
	failed=0 same=0 outcome=0
	for i in $(seq "$runs"); do
		bin/racelab replay "$1" --src "$tmp/src" $again >"$tmp/r$i" 2>&1
		[ $? -eq 1 ] && failed=$((failed + 1))
		cmp -s "$tmp/r1" "$tmp/r$i" && same=$((same + 1))
		[ "$(grep '^Outcome:' "$tmp/r$i")" = "$(grep '^Outcome:' "$tmp/r1")" ] && outcome=$((outcome + 1))
		[ "$i" -gt 1 ] && rm -f "$tmp/r$i"
	done
	echo "$1 $3 $again: $failed of $runs replays failed, $outcome of $runs with the same outcome, $same of $runs printed the same bytes ($(grep '^Outcome:' "$tmp/r1" | cut -c1-80))"
	[ "$failed" -eq "$runs" ] && [ "$same" -eq "$runs" ] || status=1
}

for lab in $labs; do
	each_broken "$lab" replay_file
done
exit $status
