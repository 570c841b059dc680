#!/bin/sh
# replay.t.sh: racelab replay on katas 11 and 21 (and 23, for replays to the same bytes): the failing schedule found (exit 1), replayed to the same bytes, none in the fix (exit 0), usage errors (exit 2), and its page opened in headless Chromium. TAP lines.
# Usage: sh harness/tests/replay.t.sh [RUNS]   (replays compared per kata, 11, 21 and 23; default 5)
set -u
cd "$(dirname "$0")/../.." || exit 2
. harness/tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
runs=${1:-5}

# 23: its flush links a stack-local record into a list, so a pointer is written: told as "a pointer", not an address.
for lab in 11 21 23; do
	bin/racelab replay "$lab" >"$tmp/search$lab" 2>"$tmp/err$lab"
	ok $([ $? -eq 1 ] && echo 0 || echo 1) "replay $lab: the search finds a failing schedule (exit 1)"
	again=$(sed -n 's/^Again: racelab replay [^ ]* //p' "$tmp/search$lab")
	same=0
	for i in $(seq "$runs"); do
		bin/racelab replay "$lab" $again >"$tmp/r$lab.$i" 2>/dev/null
		[ $? -eq 1 ] && cmp -s "$tmp/r$lab.1" "$tmp/r$lab.$i" && same=$((same + 1))
	done
	echo "# $lab: $again: $same of $runs replays failed with the same bytes"
	seed=$(echo "$again" | sed -n 's/.*--seed \([0-9]*\).*/\1/p')
	ok $([ -n "$seed" ] && [ ${#seed} -le 8 ] && echo 0 || echo 1) "replay $lab: its seed $seed is 8 digits at most"
	ok $([ "$same" -eq "$runs" ] && echo 0 || echo 1) "replay $lab $again: $same of $runs identical"
done
grep -Eq 'one increment lost|T[0-9]+.s update was lost' "$tmp/r11.1"
ok $? "replay 11 concludes that an update was lost"
grep -q 'Outcome: deadlock: T[12] holds [a-z]*, waits for [a-z]*, held by T[12]; T[12] holds' "$tmp/r21.1"
ok $? "replay 21 names the cycle of locks"
! grep -Eq '0x[0-9a-f]{4,}|[0-9]{12,}|[0-9]+\.[0-9]+ ?s\b' "$tmp/r11.1" "$tmp/r21.1" "$tmp/r23.1"
ok $? "no address and no time in a timeline"

# The gate's verdict: one timeline (the shortest failing schedule's, about ten lines), and a replay line a failing test.
mkdir -p "$tmp/src11" && cp labs/11-lost-update/counter.c "$tmp/src11/"
bin/racelab grade --lab 11 --src "$tmp/src11" --format json 2>/dev/null |
	jq -r '.gates[] | select(.name == "schedules") | .detail' >"$tmp/gate11"
timelines=$(grep -c '^  step  T0' "$tmp/gate11")
rows=$(sed -n '/^Test .* steps:$/,/^Replay it/p' "$tmp/gate11" | wc -l)
echo "# the schedules gate on kata 11: $timelines timeline of $rows lines, $(grep -c '^Replay it' "$tmp/gate11") replay lines"
[ "$timelines" -eq 1 ] && [ "$rows" -le 14 ] && [ "$(grep -c '^Replay it' "$tmp/gate11")" -ge 1 ]
ok $? "the schedules gate shows one timeline of at most 14 lines and how to replay each failure"
cmd=$(sed -n 's/^Replay it: racelab //p' "$tmp/gate11" | head -1)
bin/racelab $cmd >"$tmp/fromgate" 2>&1
ok $([ $? -eq 1 ] && grep -Eq 'one increment lost|T[0-9]+.s update was lost' "$tmp/fromgate" && echo 0 || echo 1) "the gate's replay line replays its failure: racelab $cmd"

for lab in 11 21; do
	dir=$(ls -d solutions/$lab-*)
	bin/racelab replay "$lab" --src "$dir" --seconds 1 >"$tmp/fix$lab" 2>&1
	ok $([ $? -eq 0 ] && echo 0 || echo 1) "replay $lab of the solution: none failed (exit 0): $(head -1 "$tmp/fix$lab")"
done
bin/racelab replay >/dev/null 2>&1
ok $([ $? -eq 2 ] && echo 0 || echo 1) "replay with no lab: exit 2"
bin/racelab replay 11 --test x >/dev/null 2>&1
ok $([ $? -eq 2 ] && echo 0 || echo 1) "replay --test without --seed: exit 2"

# The page, in a real browser: one lane a thread, every shown step a cell, the outcome.
if command -v chromium >/dev/null 2>&1; then
	for lab in 11 21; do
		again=$(sed -n 's/^Again: racelab replay [^ ]* //p' "$tmp/search$lab")
		bin/racelab replay "$lab" $again --html "$tmp/$lab.html" >/dev/null 2>&1
		timeout 120 chromium --headless --no-sandbox --disable-gpu --user-data-dir="$tmp/chrome" \
			--dump-dom "file://$tmp/$lab.html" >"$tmp/$lab.dom" 2>/dev/null
		timeout 120 chromium --headless --no-sandbox --disable-gpu --user-data-dir="$tmp/chrome" \
			--window-size=1200,900 --screenshot="$tmp/$lab.png" "file://$tmp/$lab.html" >/dev/null 2>&1
		lanes=$(grep -o 'class="head lane"' "$tmp/$lab.dom" | wc -l)
		threads=$(head -3 "$tmp/r$lab.1" | grep -o ' T[0-9]*' | sort -u | wc -l)
		cells=$(grep -o 'class="cell[a-z ]*"' "$tmp/$lab.dom" | wc -l)
		echo "# $lab.html: $lanes lanes for $threads threads, $cells steps, screenshot $(wc -c <"$tmp/$lab.png" 2>/dev/null) bytes"
		[ "$lanes" -eq "$threads" ] && [ "$cells" -ge 3 ] && grep -q 'class="outcome"' "$tmp/$lab.dom" && [ -s "$tmp/$lab.png" ]
		ok $? "replay $lab --html: Chromium shows a lane a thread, the steps and the outcome"
	done
else
	echo "# chromium is missing (install-deps.sh test installs it)"
	ok 1 "replay --html checked in Chromium"
fi
[ -z "$(leftovers "$tmp")" ]
ok $? "no process left behind"
echo "1..$n"
