#!/bin/sh
# bench-room.sh: racelab serve under LEARNERS learners (100) posting checks back to back, all at once, for
# SECONDS (60), on loopback, while the page and /api/room are fetched every 100 ms: posts per second, nothing
# lost (every post answered 200 is in the room file and counted in the room, none failed), and the page's
# p50/p99 latency. RUNS runs (3), each with a fresh room; the median of each figure. Goal: p99 under 200 ms.
set -u
cd "$(dirname "$0")/../.." || exit 2
runs=${RUNS:-3} learners=${LEARNERS:-100} seconds=${SECONDS_PER_RUN:-60}
t=$(mktemp -d "${TMPDIR:-/tmp}/racelab-benchroom.XXXXXX")
. harness/tests/room.sh
trap 'serve_stop >/dev/null 2>&1; rm -rf "$t"' EXIT
trap 'exit 1' INT TERM
median() { tr ' ' '\n' | grep . | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
get() { sed -n "s/^$1 //p" "$2"; }
labs=$(ls labs | head -3 | tr '\n' ' ')
echo "$learners learners posting at once for $seconds s, $runs runs, katas $labs; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
fail=0
rates="" p50s="" p99s="" api99s=""
for i in $(seq "$runs"); do
	serve_start "$t/room-$i" bench-token || { echo "racelab serve did not start: $(cat "$t/serve.err")"; exit 1; }
	build/bench-room "$url" bench-token "$learners" "$seconds" $labs >"$t/run-$i"
	lines=$(wc -l <"$t/room-$i/results.jsonl")
	checks=$(curl -s "$url/api/room" | jq '[.learners[].katas[].checks] | add // 0')
	serve_stop
	size=$(du -sh "$t/room-$i" | cut -f1)
	rm -rf "$t/room-$i" # a minute at full speed writes a few hundred MB
	okp=$(get posts_ok "$t/run-$i")
	lost=0
	[ "$okp" -eq "$lines" ] && [ "$okp" -eq "$checks" ] && [ "$(get posts_failed "$t/run-$i")" -eq 0 ] &&
		[ "$(get posts_refused "$t/run-$i")" -eq 0 ] && [ "$(get unfinished "$t/run-$i")" -eq 0 ] || lost=1
	echo "  run $i: $(get posts_per_s "$t/run-$i") posts/s ($okp answered 200, $lines in the file, $checks in the room ($size)," \
		"$(get posts_failed "$t/run-$i") failed); page p50 $(get page_p50_ms "$t/run-$i") ms p99 $(get page_p99_ms "$t/run-$i") ms" \
		"(max $(get page_max_ms "$t/run-$i"), $(get page_n "$t/run-$i") fetches); /api/room p50 $(get api_p50_ms "$t/run-$i") ms" \
		"p99 $(get api_p99_ms "$t/run-$i") ms; a post p50 $(get post_p50_ms "$t/run-$i") ms p99 $(get post_p99_ms "$t/run-$i") ms" \
		"(load $(cut -d' ' -f1 /proc/loadavg))"
	[ $lost -eq 0 ] || { echo "  run $i LOST POSTS: $(tr '\n' ' ' <"$t/run-$i")"; fail=1; }
	rates="$rates $(get posts_per_s "$t/run-$i")"
	p50s="$p50s $(get page_p50_ms "$t/run-$i")"
	p99s="$p99s $(get page_p99_ms "$t/run-$i")"
	api99s="$api99s $(get api_p99_ms "$t/run-$i")"
done
p99=$(echo "$p99s" | median)
api99=$(echo "$api99s" | median)
echo "median of $runs: $(echo "$rates" | median) posts/s; page p50 $(echo "$p50s" | median) ms, p99 $p99 ms;" \
	"/api/room p99 $api99 ms (goal: p99 under 200 ms, nothing lost)"
awk -v a="$p99" -v b="$api99" 'BEGIN { exit !(a < 200 && b < 200) }' || { echo "the page missed its goal"; fail=1; }
exit $fail
