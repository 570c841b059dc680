#!/bin/sh
# run.sh: the project's tests: the harness's unit tests, then every lab's proof; ends "N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

make --no-print-directory unit >"$out/build.log" 2>&1 || { cat "$out/build.log"; echo "0 passed, 1 failed"; exit 1; }

# Each unit test is one line of TAP; each lab gives one for the broken code, one for the
# solution and one per wrong fix.
echo "unit tests of the harness:"
CK_TAP_LOG_FILE_NAME="$out/unit.tap" CK_VERBOSITY=silent build/unit_tests
[ -s "$out/unit.tap" ] || echo "not ok - the unit test runner wrote no results" >"$out/unit.tap"
grep -E '^(ok|not ok)' "$out/unit.tap"

echo "proof of every lab:"
bin/racelab prove --all --tap 2>"$out/prove.log" | tee "$out/prove.tap" | grep -E '^(ok|not ok)'
grep -q '^1\.\.' "$out/prove.tap" || { echo "not ok - racelab prove did not finish"; cat "$out/prove.log"; } >>"$out/prove.tap"

# End-to-end tests of the commands: each harness/tests/*.t.sh prints TAP lines of its own.
for t in harness/tests/*.t.sh; do
	[ -e "$t" ] || continue
	echo "$(basename "$t" .t.sh):"
	sh "$t" 2>"$out/$(basename "$t").log" | tee "$out/$(basename "$t").tap" | grep -E '^(ok|not ok)'
	grep -qE '^(ok|not ok)' "$out/$(basename "$t").tap" ||
		echo "not ok - $t printed no results" | tee -a "$out/$(basename "$t").tap"
done

passed=$(cat "$out"/*.tap | grep -c '^ok')
failed=$(cat "$out"/*.tap | grep -c '^not ok')
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
