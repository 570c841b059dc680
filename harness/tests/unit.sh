#!/bin/sh
# unit.sh BINARY [TAPFILE]: run the harness's unit tests (plain or sanitized); failures, then "N passed, N failed".
set -u
cd "$(dirname "$0")/../.." || exit 2
bin=$1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
tap=${2:-$out/unit.tap}
: >"$tap"

# A sanitized build reports into the test that found it, and that test fails: each report ends
# its process with an error, which Check counts against the test it ran. The options go to this
# process only: racelab gives the programs it runs a clean environment of their own (run.c).
export TSAN_OPTIONS="exitcode=66 second_deadlock_stack=1 history_size=4"
export ASAN_OPTIONS="detect_leaks=1 abort_on_error=0 exitcode=23 detect_stack_use_after_return=1 strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1 halt_on_error=1"

# Check's own per-test timeouts (tcase_set_timeout) stand; its TAP log is the record.
CK_TAP_LOG_FILE_NAME="$tap" CK_VERBOSITY=normal "$bin" >"$out/stdout" 2>"$out/stderr"
rc=$?
passed=$(grep -c '^ok' "$tap")
failed=$(grep -c '^not ok' "$tap")
# A runner that died (or a sanitizer that stopped it) leaves no plan line: that is a failure too.
if ! grep -q '^1\.\.' "$tap" || { [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; }; then
	echo "not ok - $bin exited $rc before its tests ended" | tee -a "$tap"
	failed=$((failed + 1))
fi
if [ "$failed" -gt 0 ]; then
	# Check's own lines for each failure (whole messages, which TAP cuts at a newline), then what
	# a sanitizer or the runner printed: the reports that failed those tests.
	grep -v -e '^Running suite' -e '^[0-9]*%: Checks' "$out/stdout"
	[ -s "$out/stderr" ] && sed -n '1,200p' "$out/stderr"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
