#!/bin/sh
# packaging.t.sh: the course packages: Gradescope zip run end to end, PrairieLearn entry point,
# GitHub Classroom workflow, learner bundle without solutions that builds.
set -u
cd "$(dirname "$0")/../.." || exit 2
top=$(pwd)
t=$(mktemp -d "${TMPDIR:-/tmp}/racelab-packtest.XXXXXX")
trap 'rm -rf "$t"' EXIT
. harness/tests/tap.sh
score() { jq -r '.score' "$1" 2>/dev/null; }

# The three submissions every package is tried on.
mkdir -p "$t/sub/fixed" "$t/sub/broken" "$t/sub/empty"
cp solutions/11-lost-update/counter.c "$t/sub/fixed/"
cp labs/11-lost-update/counter.c "$t/sub/broken/"

# Gradescope: the zip's root, its setup.sh building racelab, run_autograder in a temporary /autograder.
make --no-print-directory gradescope LAB=11 >"$t/gs.log" 2>&1
ok $? "make gradescope LAB=11 ($(tail -1 "$t/gs.log"))"
unzip -Z1 dist/gradescope-11.zip >"$t/zip.list" 2>/dev/null
grep -qx setup.sh "$t/zip.list" && grep -qx run_autograder "$t/zip.list" && ! grep -q '^racelab/solutions/' "$t/zip.list"
ok $? "the zip has setup.sh and run_autograder at its root, and no solutions"
mkdir -p "$t/gs/source"
unzip -q dist/gradescope-11.zip -d "$t/gs/source"
(cd "$t/gs/source" && sh ./setup.sh) >"$t/setup.log" 2>&1
ok $? "setup.sh installs the tools and builds racelab ($(tail -1 "$t/setup.log"))"
for s in fixed broken empty; do
	root=$t/ag-$s
	mkdir -p "$root"
	ln -s "$t/gs/source" "$root/source"
	cp -r "$t/sub/$s" "$root/submission"
	AUTOGRADER_ROOT=$root sh "$t/gs/source/run_autograder" >"$t/ag-$s.log" 2>&1
	ok $? "run_autograder on the $s submission exits 0"
	eval "gs_$s=\$(score \"\$root/results/results.json\")"
done
[ "$gs_fixed" = "$(lab_points 11)" ] || [ "$gs_fixed" = "$(lab_points 11).0" ]
ok $? "results.json: fixed gets full marks ($gs_fixed)"
awk -v b="$gs_broken" -v f="$gs_fixed" -v e="$gs_empty" 'BEGIN { exit !(b > e && b < f && e == 0) }'
ok $? "results.json: broken gets less ($gs_broken), empty nothing ($gs_empty)"

# PrairieLearn: /grade/student in, /grade/results/results.json out.
mkdir -p "$t/pl/student" "$t/pl/data"
cp "$t/sub/fixed/counter.c" "$t/pl/student/"
echo '{"params": {}}' >"$t/pl/data/data.json"
GRADE_ROOT=$t/pl RACELAB=$top/bin/racelab RACELAB_LAB=11 sh packaging/prairielearn/run.sh >"$t/pl.log" 2>&1
ok $? "prairielearn/run.sh exits 0"
jq -e '.gradable and .score == 1' "$t/pl/results/results.json" >/dev/null 2>&1
ok $? "prairielearn/run.sh writes results.json: the fixed submission gradable, at full marks ($(score "$t/pl/results/results.json"))"

# GitHub Classroom: one graded step per gate, worth the lab's points.
make --no-print-directory classroom LAB=11 >/dev/null 2>&1
y=dist/classroom-11/.github/workflows/classroom.yml
steps=$(grep -c 'autograding-command-grader@v1' "$y")
gates=$(lab_gates 11 | wc -l)
total=$(awk '/max-score:/ { s += $2 } END { print s }' "$y")
[ "$steps" -eq "$gates" ] && [ "$total" -eq "$(lab_points 11)" ]
ok $? "classroom workflow: $steps graded steps for $gates gates, $total points"
cmp -s "$y" packaging/github-classroom/.github/workflows/classroom.yml
ok $? "the shipped classroom template is what make classroom LAB=11 makes"

# The learner bundle: no solutions, and make builds it.
make --no-print-directory dist >/dev/null 2>&1
tar -tzf dist/racelab-learner.tar.gz >"$t/dist.list"
! grep -q '^racelab/solutions/' "$t/dist.list" && grep -q '^racelab/labs/11-lost-update/counter.c$' "$t/dist.list"
ok $? "make dist: the bundle has the labs and no solutions/"
tar -xzf dist/racelab-learner.tar.gz -C "$t"
make -C "$t/racelab" >"$t/distmake.log" 2>&1 && "$t/racelab/bin/racelab" --help >/dev/null
ok $? "make builds racelab in the unpacked bundle"

# Docker and the devcontainer install through the README's step, and say why ptrace is needed.
grep -q 'install-deps.sh' packaging/docker/Dockerfile && grep -q 'SYS_PTRACE' packaging/docker/Dockerfile &&
	grep -q 'seccomp=unconfined' .devcontainer/devcontainer.json
ok $? "Dockerfile and devcontainer.json: install-deps.sh, SYS_PTRACE, seccomp=unconfined"
echo "1..$n"
