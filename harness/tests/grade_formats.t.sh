#!/bin/sh
# grade_formats.t.sh: racelab grade end to end: real gradings of labs 11 and 21 in every format, parsed back.
set -u
cd "$(dirname "$0")/../.." || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0

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

# Gradescope's results.json: the fields its autograder reads, on the whole and on every test.
gs_valid() {
	jqe "$1" '(.score|type=="number") and (.max_score|type=="number") and (.execution_time|type=="number")
		and (.output|type=="string") and (.tests|length>0) and all(.tests[]; (.name|type=="string")
		and (.score|type=="number") and (.max_score|type=="number") and (.status=="passed" or .status=="failed")
		and (.output|type=="string") and .output_format=="text" and .visibility=="visible" and (.tags|type=="array"))'
}

# PrairieLearn's results.json.
pl_valid() {
	jqe "$1" '(.gradable|type=="boolean") and (.score>=0 and .score<=1) and (.message|type=="string")
		and (.output|type=="string") and all(.tests[]; (.name|type=="string") and (.points|type=="number")
		and (.max_points|type=="number") and (.message|type=="string") and (.output|type=="string"))'
}

# JUnit: well formed, and its counts agree with its testcases.
xp() { xmllint --xpath "$2" "$tmp/$1.out"; }
junit_valid() {
	xmllint --noout "$tmp/$1.out" &&
		[ "$(xp "$1" 'string(/testsuites/testsuite/@tests)')" = "$(xp "$1" 'count(/testsuites/testsuite/testcase)')" ] &&
		[ "$(xp "$1" 'string(/testsuites/@failures)')" = "$(xp "$1" 'count(//testcase/failure)')" ] &&
		[ "$(xp "$1" 'string(/testsuites/@errors)')" = "$(xp "$1" 'count(//testcase/error)')" ] &&
		[ "$(xp "$1" 'string(/testsuites/@skipped)')" = "$(xp "$1" 'count(//testcase/skipped)')" ]
}

# TAP 14: version line, a plan as long as the test points, numbered in order; the same in each subtest.
tap_valid() {
	awk -v ind="$2" '
		function done() { if (plan != "" && plan != count) bad = 1 }
		NR == 1 && ind == "" { if ($0 != "TAP version 14") bad = 1; next }
		substr($0, 1, length(ind)) != ind || substr($0, length(ind) + 1, 1) == " " { next }
		{ line = substr($0, length(ind) + 1) }
		line ~ /^1\.\.[0-9]+$/ { plan = substr(line, 4) }
		line ~ /^(not )?ok [0-9]+ / { count++; split(line, w, " "); if (w[w[1] == "not" ? 3 : 2] != count) bad = 1 }
		END { done(); exit bad || count == 0 }' "$tmp/$1.out"
}
tap_notok_has_yaml() {
	awk '/^not ok / { want = 1; next } want { if ($0 != "  ---") bad = 1; want = 0 } END { exit bad }' "$tmp/$1.out"
}

sol11=solutions/11-lost-update
mkdir -p "$tmp/broken11" "$tmp/empty" "$tmp/nofile" "$tmp/badbuild" "$tmp/forged" "$tmp/broken21"
cp labs/11-lost-update/counter.c "$tmp/broken11/"
cp labs/21-lock-order/bank.c "$tmp/broken21/"
echo "counter.c lives elsewhere" >"$tmp/nofile/README.txt"
sed 's/c->value++;/c->value++/' $sol11/counter.c >"$tmp/badbuild/counter.c"
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

grade sol11 11 $sol11 gradescope
check "11 solution, gradescope: the fields of results.json" gs_valid sol11
check "11 solution, gradescope: 100 of 100, every test passed" jqe sol11 '.score==100 and .max_score==100 and all(.tests[]; .status=="passed")'
check "11 solution, gradescope: one entry per gate and per suite test" \
	jqe sol11 '[.tests[].name] | index("tsan") and index("tests: no_update_is_lost") and index("memcheck")'
check "11 solution, gradescope: says which files were graded and ignored" \
	jqe sol11 '.output | test("Graded: counter.c") and test("Ignored.*NOTES.md")'
check "11 solution: exit code 0" rc sol11 0

grade sol11j 11 $sol11 junit
check "11 solution, junit: well formed, counts agree" junit_valid sol11j
check "11 solution, junit: no failure, a testcase per gate and suite test" \
	test "$(xp sol11j 'count(//failure)')-$(xp sol11j 'count(//testcase[@name="no_update_is_lost"])')-$(xp sol11j 'count(//testcase[@name="tsan"])')" = 0-1-1

grade b11 11 "$tmp/broken11" tap
check "11 broken, tap: version, plan and test points agree" tap_valid b11 ""
check "11 broken, tap: the tests subtest's plan and points agree" tap_valid b11 "    "
check "11 broken, tap: tsan not ok, with a YAML block after every not ok" \
	sh -c "grep -q '^not ok [0-9]* - tsan$' '$tmp/b11.out' && grep -q '^  reason: .*data-race' '$tmp/b11.out'"
check "11 broken, tap: every not ok has its YAML block" tap_notok_has_yaml b11
check "11 broken, tap: says which files were graded" grep -q '^# Graded: counter.c' "$tmp/b11.out"
check "11 broken: exit code 1" rc b11 1

grade b11p 11 "$tmp/broken11" prairielearn
check "11 broken, prairielearn: the fields of results.json" pl_valid b11p
check "11 broken, prairielearn: gradable, score between 0 and 1, tsan at 0 points" \
	jqe b11p '.gradable and .score>0 and .score<1 and (.tests[]|select(.name=="tsan")|.points==0 and .max_points==30)'

grade b21 21 "$tmp/broken21" junit
check "21 broken, junit: well formed, counts agree" junit_valid b21
check "21 broken, junit: the tests gate fails with the hang, the test that hung is listed" \
	test "$(xp b21 'count(//testcase[@name="tests"]/failure[contains(@message,"hang")])')-$(xp b21 'count(//testcase[@name="(the test that hung)"]/failure)')" = 1-1

grade sol21 21 solutions/21-lock-order tap
check "21 solution, tap: valid, every point ok" \
	sh -c "! grep -q '^not ok' '$tmp/sol21.out' && grep -q '^1\.\.4$' '$tmp/sol21.out'"
check "21 solution, tap: version, plan and test points agree" tap_valid sol21 ""

grade empty 11 "$tmp/empty" gradescope
check "empty folder, gradescope: a valid result file, 0 points, build failed as missing" \
	sh -c "jq -e '.score==0 and (.tests[0]|.name==\"build\" and .status==\"failed\" and (.output|test(\"missing\")))' '$tmp/empty.out' && jq -e '.tests|length>0 and all(.[]; .status and .output_format)' '$tmp/empty.out'"
check "empty folder, gradescope: the fields of results.json" gs_valid empty

grade gone 11 "$tmp/does-not-exist" prairielearn
check "folder missing, prairielearn: a valid result file, score 0, says the folder does not exist" \
	sh -c "jq -e '.score==0 and .gradable and (.tests[0].message|test(\"does not exist\"))' '$tmp/gone.out'"
check "folder missing, prairielearn: the fields of results.json" pl_valid gone

grade nofile 11 "$tmp/nofile" tap
check "edited file missing, tap: written, build not ok, README.txt ignored" \
	sh -c "grep -q '^not ok 1 - build' '$tmp/nofile.out' && grep -q 'Ignored.*README.txt' '$tmp/nofile.out'"
check "edited file missing, tap: version, plan and test points agree" tap_valid nofile ""

grade badbuild 11 "$tmp/badbuild" junit
check "build error, junit: well formed, counts agree" junit_valid badbuild
check "build error, junit: build fails at the line, the other gates are skipped" \
	test "$(xp badbuild 'count(//testcase[@name="build"]/failure[contains(.,"counter.c:")])')-$(xp badbuild 'count(//testcase/skipped)')" = 1-5

grade forged 11 "$tmp/forged" json
check "forged tests, header, lab.ini and Makefile: the lab's own are used (build passes, tsan fails)" \
	jqe forged '(.gates|map(.name)) == ["build","tests","stress","tsan","helgrind","memcheck"] and .gates[0].status=="pass" and (.gates[]|select(.name=="tsan")|.status=="fail")'
check "forged submission: only counter.c graded, the rest listed as ignored" \
	jqe forged '.graded_files==["counter.c"] and (.ignored_files|sort)==["Makefile","counter.h","lab.ini","test_counter.c"]'

# Broken 11 without Valgrind: 70 of its 100 points could run (helgrind 20 and memcheck 10 could not);
# what it earned of them (tsan fails; the plain tests may or may not see the lost update) is scaled to 100.
grade novg 11 "$tmp/broken11" gradescope PATH="$tmp/novalgrind"
check "no valgrind, gradescope: helgrind and memcheck could not run, at 0 of 0 points, tagged not-counted" \
	jqe novg '[.tests[]|select(.name=="helgrind" or .name=="memcheck")|select(.max_score==0 and (.tags|index("not-counted")))]|length==2'
check "no valgrind, gradescope: the score is scaled over the gates that ran (earned of 70, times 100/70)" \
	jqe novg '([.tests[].max_score]|add)==70 and .max_score==100 and .score>0 and .score<100
		and ((.score - ([.tests[].score]|add)*100/70)|fabs) < 0.001 and (.output|test("not counted"))'
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

# Written in place, not renamed over: as root a rename would turn /dev/null into a file.
to_devnull() {
	bin/racelab grade --lab 11 --src "$tmp/no-such-folder" --format tap --out /dev/null >/dev/null 2>&1
	[ -c /dev/null ]
}
check "--out /dev/null leaves /dev/null a device" to_devnull

echo "1..$n"
