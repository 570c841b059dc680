#!/bin/sh
# bench.sh: how long a whole check of each solved kata takes, against the same compiles and tool runs by hand.
#
# For each kata (LAB="11 21" for some; all 25 by default), RUNS pairs (default 5) of
#   racelab grade --lab LAB --src solutions/LAB      (every gate, never from the cache of answers)
#   sh harness/scripts/byhand.sh LAB solutions/LAB           (the same builds at once, the same runs in turn)
# taken one after the other, the pair's order alternating. Printed: each side's median wall and
# CPU seconds (user + system of every process), and the median over the pairs of racelab's CPU
# and wall over the by-hand ones. racelab works with a cache folder of the bench's own, empty
# at the start: before the pairs, one racelab check fills it for the kata, as a learner's first
# check does (its wall time is the "first" column; the first kata's also probes the detectors).
# Last, a re-check of an unchanged file by `racelab check` (answered from its cache), RUNS times.
# All 25 katas with RUNS=5 take about ten minutes of both cores.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 2
runs=${RUNS:-5}
labs=${LAB:-$(ls labs)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export RACELAB_CACHE="$tmp/cache"

median() {
	tr ' ' '\n' | grep -E '^[0-9.]+$' | sort -n |
		awk '{ a[NR] = $1 } END { printf "%.2f", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# timed OUT COMMAND...: run it, and append "wall cpu exit-status" to OUT.
timed() {
	out=$1
	shift
	/usr/bin/time -q -f '%e %U %S %x' -o "$tmp/t" "$@" >/dev/null 2>&1
	awk '{ printf "%.2f %.2f %d\n", $1, $2 + $3, $4 }' "$tmp/t" >>"$out"
}

col() { awk -v c="$1" '{ print $c }' "$2" | tr '\n' ' ' | median; }

printf 'Checks of each solved kata, every gate: median of %s paired runs, seconds (wall, CPU).\n' "$runs"
printf '%-24s %6s | %-13s | %-13s | %s\n' "" "first" "racelab" "by hand" "racelab / by hand"
printf '%-24s %6s | %6s %6s | %6s %6s | %6s %6s\n' lab wall wall cpu wall cpu cpu wall
all_rl="" all_cpu="" all_wall=""
for lab in $labs; do
	id=$(basename "$(ls -d labs/"$lab"* | head -n 1)")
	rm -f "$tmp/rl" "$tmp/bh" "$tmp/first"
	timed "$tmp/first" bin/racelab grade --lab "$id" --src "solutions/$id" --out /dev/null
	i=0
	while [ "$i" -lt "$runs" ]; do
		if [ $((i % 2)) -eq 0 ]; then
			timed "$tmp/rl" bin/racelab grade --lab "$id" --src "solutions/$id" --out /dev/null
			timed "$tmp/bh" sh harness/scripts/byhand.sh "$id" "solutions/$id"
		else
			timed "$tmp/bh" sh harness/scripts/byhand.sh "$id" "solutions/$id"
			timed "$tmp/rl" bin/racelab grade --lab "$id" --src "solutions/$id" --out /dev/null
		fi
		i=$((i + 1))
	done
	# The ratios of each pair, then their median: the pair ran under the same load.
	paste "$tmp/rl" "$tmp/bh" | awk '{ print ($5 > 0 ? $2 / $5 : 0), ($4 > 0 ? $1 / $4 : 0) }' >"$tmp/ratio"
	rl_wall=$(col 1 "$tmp/rl") cpu_ratio=$(col 1 "$tmp/ratio") wall_ratio=$(col 2 "$tmp/ratio")
	# A solution must pass every gate, by racelab and by hand: a run that did not is no timing of a check.
	bad=$(cat "$tmp/first" "$tmp/rl" "$tmp/bh" | awk '$3 != 0' | wc -l)
	printf '%-24s %6s | %6s %6s | %6s %6s | %6s %6s%s\n' "$id" "$(col 1 "$tmp/first")" "$rl_wall" \
		"$(col 2 "$tmp/rl")" "$(col 1 "$tmp/bh")" "$(col 2 "$tmp/bh")" "$cpu_ratio" "$wall_ratio" \
		"$([ "$bad" -gt 0 ] && echo "  ! $bad runs did not pass every gate")"
	all_rl="$all_rl $rl_wall" all_cpu="$all_cpu $cpu_ratio" all_wall="$all_wall $wall_ratio"
done
printf '%-24s %6s | %6s %6s | %6s %6s | %6s %6s\n' "median of the katas" "" "$(echo "$all_rl" | median)" "" "" "" \
	"$(echo "$all_cpu" | median)" "$(echo "$all_wall" | median)"
printf '%-24s %6s | %6s        |               |\n' "slowest kata" "" "$(echo "$all_rl" | tr ' ' '\n' | sort -n | tail -n 1)"

# A re-check of an unchanged file: racelab check in a copy of the project holding the solution.
first=$(echo $labs | awk '{ print $1 }')
id=$(basename "$(ls -d labs/"$first"* | head -n 1)")
mkdir -p "$tmp/tree/harness" "$tmp/tree/labs" "$tmp/state"
cp -r harness/runtime "$tmp/tree/harness/" && cp -r "labs/$id" "$tmp/tree/labs/" && cp -r solutions "$tmp/tree/"
edit=$(awk -F= '$1 ~ /^edit[ \t]*$/ { gsub(/[ \t]/, "", $2); print $2 }' "labs/$id/lab.ini")
cp "solutions/$id/$edit" "$tmp/tree/labs/$id/$edit"
rm -f "$tmp/re"
(
	export RACELAB_ROOT="$tmp/tree" RACELAB_STATE="$tmp/state"
	bin/racelab check "$id" >/dev/null 2>&1
	i=0
	while [ "$i" -lt "$runs" ]; do
		timed "$tmp/re" bin/racelab check "$id"
		i=$((i + 1))
	done
	bin/racelab check "$id" 2>&1 | grep -q "its answer again" || echo "(not answered from the cache: this racelab keeps no answers)"
)
printf 'Re-check of an unchanged %s (racelab check, answered from its cache): median %s s wall, %s s CPU.\n' \
	"$id" "$(col 1 "$tmp/re")" "$(col 2 "$tmp/re")"
