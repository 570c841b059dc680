#!/bin/sh
# run.sh: the project's tests: the harness's unit tests (plain and sanitized), then every lab's proof; ends "N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

units="build/unit_tests build-tsan/unit_tests build-asan/unit_tests"
make -j2 --no-print-directory $units >"$out/build.log" 2>&1 || { cat "$out/build.log"; echo "0 passed, 1 failed"; exit 1; }

# Each unit test is one line of TAP, three times: plain, under ThreadSanitizer, and under
# AddressSanitizer with UndefinedBehaviorSanitizer. Each lab gives one for the broken code,
# one for the solution and one per wrong fix.
# took SINCE: how long a part ran, for whoever keeps the whole run under CI's 90 minutes.
took() { echo "# took $(($(date +%s) - $1)) s, $(cut -d' ' -f1-3 /proc/loadavg) load"; }

for bin in $units; do
	build=${bin%/unit_tests}
	san=${build#build}
	echo "unit tests of the harness${san:+ (${san#-})}:"
	t0=$(date +%s)
	sh harness/tests/unit.sh "$bin" "$out/unit$san.tap" >"$out/unit$san.log" 2>&1
	grep -E '^(ok|not ok)' "$out/unit$san.tap"
	grep -q '^not ok' "$out/unit$san.tap" && sed 's/^/# /' "$out/unit$san.log"
	took "$t0"
done

echo "proof of every lab:"
t0=$(date +%s)
bin/racelab prove --all --tap 2>"$out/prove.log" | tee "$out/prove.tap" | grep -E '^(ok|not ok)'
grep -q '^1\.\.' "$out/prove.tap" || { echo "not ok - racelab prove did not finish"; cat "$out/prove.log"; } >>"$out/prove.tap"
took "$t0"

# End-to-end tests of the commands: each harness/tests/*.t.sh prints TAP lines of its own. The
# proof's TAP goes with them: what it graded clean is not graded again (hints.t.sh).
export PROVE_TAP="$out/prove.tap"
for t in harness/tests/*.t.sh; do
	[ -e "$t" ] || continue
	echo "$(basename "$t" .t.sh):"
	t0=$(date +%s)
	sh "$t" 2>"$out/$(basename "$t").log" | tee "$out/$(basename "$t").tap" | grep -E '^(ok|not ok)'
	grep -qE '^(ok|not ok)' "$out/$(basename "$t").tap" ||
		echo "not ok - $t printed no results" | tee -a "$out/$(basename "$t").tap"
	took "$t0"
done

passed=$(cat "$out"/*.tap | grep -c '^ok')
failed=$(cat "$out"/*.tap | grep -c '^not ok')
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
