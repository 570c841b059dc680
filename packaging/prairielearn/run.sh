#!/bin/sh
# run.sh: PrairieLearn's external-grader entry point: grade /grade/student into /grade/results/results.json.
# The lab is RACELAB_LAB, or the first line of the question's tests/lab (mounted at /grade/tests/lab).
# GRADE_ROOT (default /grade) moves the tree; RACELAB (default /opt/racelab/bin/racelab) is the grader.
set -u
root=${GRADE_ROOT:-/grade}
racelab=${RACELAB:-/opt/racelab/bin/racelab}
lab=${RACELAB_LAB:-$(head -1 "$root/tests/lab" 2>/dev/null)}
mkdir -p "$root/results"
if [ -z "$lab" ]; then
	echo '{"gradable": false, "message": "racelab: no lab given (RACELAB_LAB or tests/lab)"}' >"$root/results/results.json"
	exit 0
fi
# /grade/data/data.json holds the question's params; racelab needs only the student's file.
"$racelab" grade --lab "$lab" --src "$root/student" --format prairielearn --out "$root/results/results.json"
rc=$?
if [ "$rc" -gt 2 ] || [ ! -s "$root/results/results.json" ]; then
	echo "{\"gradable\": false, \"message\": \"racelab grade failed (exit $rc)\"}" >"$root/results/results.json"
fi
exit 0
