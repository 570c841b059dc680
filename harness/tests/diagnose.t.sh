#!/bin/sh
# diagnose.t.sh: racelab diagnose on each program of harness/tests/diagnose: its hazards are exactly the
# ones its "/* expect: ... --" comment names, and the exit code is 1 with a hazard, 0 without.
# DIAG_PROGS (file names) runs only those; DIAG_TIMEOUT sets --timeout (default 5 s, diagnose's own: a
# tool gets 5 times that, and a clean program slow under DRD must not run out of it).
set -u
cd "$(dirname "$0")/../.." || exit 2
n=0
err=$(mktemp)
trap 'rm -f "$err"' EXIT
for prog in ${DIAG_PROGS:-harness/tests/diagnose/*.c}; do
	n=$((n + 1))
	name=$(basename "$prog" .c)
	expect=$(sed -n '1s/.*expect: *\([a-z, ]*\) --.*/\1/p' "$prog" | tr -d ' ' | tr ',' '\n' | grep -v '^none$' | sort | paste -sd, -)
	json=$(bin/racelab diagnose --format json --timeout "${DIAG_TIMEOUT:-5}" "$prog" 2>"$err")
	rc=$?
	got=$(printf '%s' "$json" | jq -r '.hazards | sort | join(",")' 2>/dev/null)
	want_rc=1
	[ -z "$expect" ] && want_rc=0
	if [ "$got" = "$expect" ] && [ "$rc" -eq "$want_rc" ] && [ -n "$json" ]; then
		echo "ok $n - diagnose $name: [${got:-none}], exit $rc"
	else
		echo "not ok $n - diagnose $name: expected [${expect:-none}] exit $want_rc, got [${got:-none}] exit $rc"
		sed 's/^/# /' "$err" | head -20	# what racelab said, so that a failure in CI can be read
	fi
done
n=$((n + 1))
bin/racelab diagnose harness/tests/diagnose/missing.c >/dev/null 2>&1
rc=$?
[ "$rc" -eq 2 ] && echo "ok $n - diagnose of a missing file exits 2" || echo "not ok $n - diagnose of a missing file exited $rc"
