#!/bin/sh
# sched.t.sh: the controlled scheduler (harness/runtime/rl_sched*) on programs made for it (harness/tests/sched/): each bug found and named, each fix explored clean, a failing schedule replayed to the same bytes. TAP lines.
set -u
cd "$(dirname "$0")/../.." || exit 2
. harness/tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

wraps=$(grep -v '^#' harness/runtime/rl_sched.wrap | sed 's/^/--wrap=/' | paste -sd, -)
flags="-std=c11 -D_GNU_SOURCE -g -O1 -Wall -Wextra -pthread -Iharness/runtime"

# build NAME [FIXED]: the program's learner part with clang's TSan calls, its test part and the runtime with gcc.
build() {
	d="$tmp/$1${2:+-fixed}"
	mkdir -p "$d" &&
	clang $flags -DRL_LEARNER ${2:+-DRL_FIXED} -fsanitize=thread -mllvm -tsan-instrument-read-before-write=1 \
		-mllvm -tsan-instrument-func-entry-exit=0 -c "harness/tests/sched/$1.c" -o "$d/learner.o" &&
	gcc $flags "$d/learner.o" "harness/tests/sched/$1.c" harness/runtime/check_main.c harness/runtime/rl_test.c harness/runtime/shim_fault.c \
		harness/runtime/rl_sched*.c -Wl,"$wraps" $(pkg-config --libs check) -o "$d/prog" 2>"$d/build.log"
}

# explore DIR: search its program's schedules (budget 500 or 5 s a test); the record line in DIR/out.
explore() {
	rm -rf "$1/out" "$1/traces" && mkdir "$1/traces"
	(cd "$1" && RACELAB_SCHED_OUT=out RACELAB_SCHED_TRACE_DIR=traces RACELAB_SCHED_BUDGET=500 RACELAB_SCHED_SECONDS=5 \
		CK_DEFAULT_TIMEOUT=30 ./prog >log 2>&1)
}

# replay DIR TEST SEED FILE: run that one schedule, its trace in FILE.
replay() {
	(cd "$1" && RACELAB_SCHED_REPLAY=$3 RACELAB_SCHED_TEST=$2 RACELAB_SCHED_TRACE=$4 CK_DEFAULT_TIMEOUT=30 ./prog >/dev/null 2>&1)
}

# found NAME KIND [WORDS]: the broken program's search fails with KIND (and its reason holds WORDS), the fixed one explores clean.
found() {
	if ! build "$1" || ! build "$1" fixed; then
		ok 1 "$1 builds"; cat "$tmp"/$1*/build.log | sed 's/^/# /'; return
	fi
	explore "$tmp/$1"
	line=$(cat "$tmp/$1/out")
	echo "# $line"
	echo "$line" | grep -q " kind $2 why .*${3:-}"
	ok $? "$1: the search finds a failing schedule ($2${3:+: $3})"
	explore "$tmp/$1-fixed"
	clean=$(cat "$tmp/$1-fixed/out")
	echo "# $clean"
	echo "$clean" | grep -Eq ' explored [1-9][0-9]* too-long 0 .* failed 0 kind - '
	ok $? "$1, fixed: every schedule explored passes"
}

found lost_update assertion "two increments gave 1"
found abba deadlock "T[12] holds {s:[0-9a-f]*}, waits for {s:[0-9a-f]*}, held by T[12]; T[12] holds"
found lost_wakeup lost-wakeup "T1 waits on {s:[0-9a-f]*}.*no thread is left to wake"
found barrier_short barrier-short "(2 of 3 threads arrived).*no other thread will arrive"
found cond_if assertion "take returned 0 with 0 items left"
found livelock livelock "T1 and T2 have each yielded 10000 times in a row with nothing written"

# The lost update's failing schedule, replayed by its seed: the same failure, the same trace, twice.
seed=$(sed -n 's/.* failed \([0-9]*\) kind.*/\1/p' "$tmp/lost_update/out")
replay "$tmp/lost_update" two_bumps_make_two "$seed" "$tmp/r1"
rc1=$?
replay "$tmp/lost_update" two_bumps_make_two "$seed" "$tmp/r2"
[ "$rc1" -ne 0 ] && grep -q '^fail assertion .*two increments gave 1' "$tmp/r1" && cmp -s "$tmp/r1" "$tmp/r2" &&
	cmp -s "$tmp/r1" "$tmp/lost_update/traces/two_bumps_make_two.trace"
ok $? "lost_update: seed $seed replays the failure, and its trace is the same bytes each time"
# Both threads read the counter at 0 before either writes it back: the lost update itself.
reads=$(grep -c ' read {s:[0-9a-f]*} [0-9a-f]* 0 8$' "$tmp/r1")
writes=$(grep -c ' write {s:[0-9a-f]*} [0-9a-f]* 1 8$' "$tmp/r1")
[ "$reads" -eq 2 ] && [ "$writes" -eq 2 ]
ok $? "lost_update: its trace shows both threads read 0 and write 1 ($reads reads of 0, $writes writes of 1)"

# The spurious wakeup is in the trace of the cond_if failure.
grep -q ' spurious ' "$tmp/cond_if/traces/take_waits_for_put.trace"
ok $? "cond_if: the failing schedule wakes the waiter spuriously"

# A file that waits in a call the scheduler does not model (a futex of its own) is not explored: the
# gate passes with a note that names the call, and the other gates judge the file.
mkdir "$tmp/futex" && cp solutions/43-lost-wakeup/alt/futex-atomic-flag.c "$tmp/futex/event.c"
bin/racelab grade --lab 43 --src "$tmp/futex" --format json --out "$tmp/futex.json" >/dev/null 2>&1
jq -e '.score == .max_score and (.gates[] | select(.name == "schedules") | .status == "pass"
	and (.reason | test("not explored")) and (.notes[0].text | test("syscall\\(\\)")))' "$tmp/futex.json" >/dev/null
ok $? "a futex of the learner's own: schedules not explored, a note names syscall(), full marks"

[ -z "$(leftovers "$tmp")" ]
ok $? "no process left behind"
echo "1..$n"
