#!/bin/sh
# grade_formats.t.sh: racelab grade end to end, one real grading per format, each of what only a whole
# grading shows: the solution's exit 0, a hang's test listed, a forged submission's files ignored, a
# machine without Valgrind or without a compiler. What each writer writes, for results of every shape,
# the unit tests check (test_harness.c), and so a submission without the file to edit.
set -u
cd "$(dirname "$0")/../.." || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
. harness/tests/tap.sh
# Lab 11's gates and points, as its lab.ini gives them; Valgrind's gates are helgrind and memcheck.
gates11=$(lab_gates 11 | awk '{ printf "%s\"%s\"", (NR > 1 ? "," : ""), $1 }')
points11=$(lab_points 11)
ran11=$(lab_gates 11 | awk '$1 != "helgrind" && $1 != "memcheck" { s += $2 } END { print s }')

# ok/not ok: one TAP line for one check.
check() {
	desc=$1
	shift
	n=$((n + 1))
	if "$@" >/dev/null 2>&1; then echo "ok $n - $desc"; else echo "not ok $n - $desc"; fi
}

# grade NAME LAB SRC FORMAT [env...]: one grading into $tmp/NAME.out, its exit code in $tmp/NAME.rc.
grade() {
	name=$1 lab=$2 src=$3 format=$4
	shift 4
	env "$@" bin/racelab grade --lab "$lab" --src "$src" --format "$format" --jobs 2 \
		--out "$tmp/$name.out" 2>"$tmp/$name.err"
	echo $? >"$tmp/$name.rc"
}

rc() { [ "$(cat "$tmp/$1.rc")" = "$2" ]; }
jqe() { jq -e "$2" "$tmp/$1.out"; }

# JUnit: well formed, and its counts agree with its testcases.
xp() { xmllint --xpath "$2" "$tmp/$1.out"; }
junit_valid() {
	xmllint --noout "$tmp/$1.out" &&
		[ "$(xp "$1" 'string(/testsuites/testsuite/@tests)')" = "$(xp "$1" 'count(/testsuites/testsuite/testcase)')" ] &&
		[ "$(xp "$1" 'string(/testsuites/@failures)')" = "$(xp "$1" 'count(//testcase/failure)')" ] &&
		[ "$(xp "$1" 'string(/testsuites/@errors)')" = "$(xp "$1" 'count(//testcase/error)')" ] &&
		[ "$(xp "$1" 'string(/testsuites/@skipped)')" = "$(xp "$1" 'count(//testcase/skipped)')" ]
}

# TAP 14: version line, a plan (there must be one) as long as the test points, numbered in order; the same
# in each subtest (a run of lines indented by $2, ended by a line indented less).
tap_valid() {
	awk -v ind="$2" '
		function done() { if (open && (plan == "" || plan != count)) bad = 1; if (open) blocks++; open = 0; plan = ""; count = 0 }
		NR == 1 && ind == "" { if ($0 != "TAP version 14") bad = 1; next }
		substr($0, 1, length(ind)) != ind { done(); next }
		substr($0, length(ind) + 1, 1) == " " { next }
		{ open = 1; line = substr($0, length(ind) + 1) }
		line ~ /^1\.\.[0-9]+$/ { plan = substr(line, 4) }
		line ~ /^(not )?ok [0-9]+ / { count++; split(line, w, " "); if (w[w[1] == "not" ? 3 : 2] != count) bad = 1 }
		END { done(); exit bad || blocks == 0 }' "$tmp/$1.out"
}

sol11=solutions/11-lost-update
mkdir -p "$tmp/forged" "$tmp/broken11" "$tmp/broken21"
cp labs/11-lost-update/counter.c "$tmp/broken11/"
cp labs/21-lock-order/bank.c "$tmp/broken21/"
# A forged submission: broken code, and its own tests, header, build and lab.ini, none of which may count.
cp labs/11-lost-update/counter.c "$tmp/forged/"
echo '#error the submission'"'"'s own test file was compiled' >"$tmp/forged/test_counter.c"
echo '#error the submission'"'"'s own header was used' >"$tmp/forged/counter.h"
printf '[lab]\nedit = counter.c\n[gates]\nbuild = 100\n' >"$tmp/forged/lab.ini"
printf 'all:\n\ttrue\n' >"$tmp/forged/Makefile"
# A grading machine without Valgrind (and one without compilers): PATH holds everything else.
mkdir "$tmp/novalgrind" "$tmp/nocc"
for d in /bin /usr/bin; do
	ln -sf "$d"/* "$tmp/novalgrind/" 2>/dev/null
	ln -sf "$d"/* "$tmp/nocc/" 2>/dev/null
done
rm -f "$tmp/novalgrind"/valgrind* "$tmp/nocc"/gcc* "$tmp/nocc"/clang* "$tmp/nocc"/cc "$tmp/nocc"/*-linux-gnu-gcc*

# TAP: the solution, every gate passing through the whole pipeline; the folder's other files listed.
grade sol11 11 $sol11 tap
check "11 solution, tap: version, plan and test points agree" tap_valid sol11 ""
check "11 solution, tap: each subtest's plan and points agree" tap_valid sol11 "    "
check "11 solution, tap: every point ok, one per gate" \
	sh -c "! grep -q 'not ok' '$tmp/sol11.out' && grep -q '^1\.\.$(lab_gates 11 | wc -l)$' '$tmp/sol11.out' && grep -q '^ok 4 - tsan$' '$tmp/sol11.out'"
check "11 solution, tap: says which files were graded and ignored" \
	grep -q '^# Graded: counter.c\. Ignored.*NOTES\.md' "$tmp/sol11.out"
check "11 solution: exit code 0" rc sol11 0

# JUnit: a deadlock, which the watchdog explains and the tests gate lists as the test that hung.
grade b21 21 "$tmp/broken21" junit
check "21 broken, junit: well formed, counts agree" junit_valid b21
check "21 broken, junit: the tests gate fails with the hang, the test that hung is listed" \
	test "$(xp b21 'count(//testcase[@name="tests"]/failure[contains(@message,"hang")])')-$(xp b21 'count(//testcase[@name="(the test that hung)"]/failure[contains(@message,"Deadlock")])')" = 1-1
check "21 broken: exit code 1" rc b21 1

# JSON: only the file to edit is taken from a submission; the lab's own tests, header and build are used.
grade forged 11 "$tmp/forged" json
check "forged tests, header, lab.ini and Makefile: the lab's own are used (build passes, tsan fails)" \
	jqe forged "(.gates|map(.name)|sort) == ([$gates11]|sort) and .gates[0].status==\"pass\" and (.gates[]|select(.name==\"tsan\")|.status==\"fail\")"
check "forged submission: only counter.c graded, the rest listed as ignored" \
	jqe forged '.graded_files==["counter.c"] and (.ignored_files|sort)==["Makefile","counter.h","lab.ini","test_counter.c"]'
check "forged submission: exit code 1 (tsan failed)" rc forged 1

# Broken 11 without Valgrind: its points but helgrind's and memcheck's could run; what it earned of
# them (tsan fails; the plain tests may or may not see the lost update) is scaled to the lab's points.
grade novg 11 "$tmp/broken11" gradescope PATH="$tmp/novalgrind"
check "no valgrind, gradescope: helgrind and memcheck could not run, at 0 of 0 points, tagged not-counted" \
	jqe novg '[.tests[]|select(.name=="helgrind" or .name=="memcheck")|select(.max_score==0 and (.tags|index("not-counted")))]|length==2'
check "no valgrind, gradescope: the score is scaled over the gates that ran (earned of $ran11, times $points11/$ran11)" \
	jqe novg "([.tests[].max_score]|add)==$ran11 and .max_score==$points11 and .score>0 and .score<$points11
		and ((.score - ([.tests[].score]|add)*$points11/$ran11)|fabs) < 0.001 and (.output|test(\"not counted\"))"
check "no valgrind: exit code 1 (tsan failed)" rc novg 1

grade nocc 11 $sol11 prairielearn PATH="$tmp/nocc"
check "no compiler, prairielearn: not gradable, score 0, every gate could not run" \
	jqe nocc '(.gradable|not) and .score==0 and all(.tests[]; .max_points==0)'
check "no compiler: exit code 2 (nothing failed, something could not run)" rc nocc 2

refused() {
	out=$(bin/racelab grade --lab 11 --src $sol11 --format xml 2>&1)
	[ $? -eq 1 ] && echo "$out" | grep -q 'gradescope, prairielearn, junit, tap, json'
}
check "an unknown format is refused before grading, naming the formats" refused

echo "1..$n"
