#!/bin/sh
# cache.t.sh: racelab's caches never grade stale code: a changed test file, header, runtime or learner's file is rebuilt and re-graded.
#
# In a copy of the project (RACELAB_ROOT) with a cache folder of its own (RACELAB_CACHE), kata 11:
# the object cache (racelab grade: every build after the first reuses the lab's objects) and the
# cache of answers (racelab check). Each edit is dated an hour back, so that no "too new to trust"
# rule hides a stale object: only the content of the files can tell.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/harness/tests/tap.sh"
t=$(mktemp -d "${TMPDIR:-/tmp}/racelab-cache-test.XXXXXX")
trap 'rm -rf "$t"' EXIT
mkdir -p "$t/tree/harness" "$t/state"
cp -r "$root/labs" "$root/solutions" "$t/tree/" && cp -r "$root/harness/runtime" "$t/tree/harness/"
find "$t/tree" -exec touch -d '1 hour ago' {} +
export RACELAB_ROOT="$t/tree" RACELAB_STATE="$t/state" RACELAB_CACHE="$t/cache"
lab=$t/tree/labs/11-lost-update rl=$root/bin/racelab

# edit FILE SED-SCRIPT: change a file of the copy, dated an hour back.
edit() {
	sed -i "$2" "$1" && touch -d '1 hour ago' "$1"
}
# grade NAME: the solution graded (grade never uses the cache of answers), as JSON in $t/NAME.json.
grade() {
	"$rl" grade --lab 11 --src "$root/solutions/11-lost-update" --format json --out "$t/$1.json" >/dev/null 2>&1
}
gates() { jq -r '[.gates[] | "\(.name)=\(.status)"] | join(" ")' "$t/$1.json"; }
all_pass() { [ "$(jq '[.gates[] | select(.status != "pass")] | length' "$t/$1.json")" = 0 ]; }
# check NAME: racelab check of the file in the copy, its output in $t/NAME.out, exit code in $t/NAME.rc.
check() {
	"$rl" check 11 ${2:-} >"$t/$1.out" 2>&1
	echo $? >"$t/$1.rc"
}
cached() { grep -q "its answer again" "$t/$1.out"; }

grade cold
all_pass cold; ok $? "the solution passes every gate with a cold cache ($(gates cold))"
objs=$(ls "$t/cache/obj"/*.o 2>/dev/null | wc -l)
[ "$objs" -ge 5 ]; ok $? "the lab's objects are kept: $objs objects (gcc and clang: test, main, helpers, shim)"
grade warm
all_pass warm; ok $? "and passes again from the cached objects"
[ "$(ls "$t/cache/obj"/*.o | wc -l)" = "$objs" ]; ok $? "with no object made anew"

# A test file changed: the test now expects 11 from ten increments, so the tests gate must fail.
edit "$lab/test_counter.c" 's/counter_get(&shared) == 10,/counter_get(\&shared) == 11,/'
grade test_changed
[ "$(jq -r '.gates[] | select(.name == "tests") | .status' "$t/test_changed.json")" = fail ]
ok $? "a changed test file is rebuilt: its new assertion fails the tests gate"
cp "$root/labs/11-lost-update/test_counter.c" "$lab/test_counter.c" && touch -d '1 hour ago' "$lab/test_counter.c"

# A header changed: counter_get becomes counter_get_v2 for the solution and the tests alike. Only a
# test object built anew calls the new name; a stale one would call counter_get and fail to link.
edit "$lab/counter.h" 's|^#endif|#define counter_get counter_get_v2\n#endif|'
grade header_changed
all_pass header_changed; ok $? "a changed header rebuilds the tests that include it: they link ($(gates header_changed))"
cp "$root/labs/11-lost-update/counter.h" "$lab/counter.h" && touch -d '1 hour ago' "$lab/counter.h"

# The runtime's header changed: a string it adds must be in every object of a file that includes it
# (the tests, Check's main, the helpers and shims; with gcc and with clang). An object without it
# must come from a source that does not include the header (its name from the object's debug info).
edit "$t/tree/harness/runtime/racelab_test.h" \
	's|^#endif|static const char rl_marker[] __attribute__((used)) = "runtime-v2";\n#endif|'
RACELAB_KEEP=1 "$rl" grade --lab 11 --src "$root/solutions/11-lost-update" --format json \
	--out "$t/runtime_changed.json" >/dev/null 2>"$t/keep.err"
kept=$(sed -n 's/^racelab: kept //p' "$t/keep.err")
marked=0 stale=""
for o in "$kept"/oc-*.o; do
	[ -e "$o" ] || continue
	if grep -q runtime-v2 "$o"; then marked=$((marked + 1)); continue; fi
	src=$(objdump --dwarf=info "$o" 2>/dev/null | awk '/DW_AT_name/ { print $NF; exit }')
	grep -q racelab_test.h "$src" 2>/dev/null && stale="$stale $(basename "$src")"
done
all_pass runtime_changed && [ "$marked" -ge 6 ] && [ -z "$stale" ]
ok $? "a changed runtime header rebuilds every object that includes it ($marked rebuilt${stale:+; stale:$stale})"
rm -rf "$kept"
cp "$root/harness/runtime/racelab_test.h" "$t/tree/harness/runtime/racelab_test.h"
touch -d '1 hour ago' "$t/tree/harness/runtime/racelab_test.h"

# The runtime's code changed: rl_parallel runs fn once more on its own thread, so the total is off.
edit "$t/tree/harness/runtime/rl_test.c" 's|^\t/\* Destroyed only after every join|\tfn(args);\n&|'
grade runtime_code
[ "$(jq -r '.gates[] | select(.name == "tests") | .status' "$t/runtime_code.json")" = fail ]
ok $? "a changed runtime source is rebuilt: the tests gate sees it"
cp "$root/harness/runtime/rl_test.c" "$t/tree/harness/runtime/rl_test.c"
touch -d '1 hour ago' "$t/tree/harness/runtime/rl_test.c"

# Two racelabs building at once from an empty cache: both get whole objects.
rm -rf "$t/cache"
grade race1 &
grade race2
wait
all_pass race1 && all_pass race2; ok $? "two gradings at once with an empty cache both pass"
[ -z "$(ls "$t/cache/obj" | grep '\.tmp\.')" ]; ok $? "and leave no half-written file in the cache"

# racelab check: the answer for the same bytes comes back; anything else is graded anew.
cp "$root/solutions/11-lost-update/counter.c" "$lab/counter.c"
check first
[ "$(cat "$t/first.rc")" = 0 ] && ! cached first; ok $? "check grades the solution (exit 0)"
check again
[ "$(cat "$t/again.rc")" = 0 ] && cached again; ok $? "a re-check of the same bytes answers from the cache (exit 0)"
[ "$(grep -v 'its answer again' "$t/again.out")" = "$(cat "$t/first.out")" ]
ok $? "with the same lines as the check it repeats"
check forced --no-cache
[ "$(cat "$t/forced.rc")" = 0 ] && ! cached forced; ok $? "--no-cache grades it anew"
cp "$root/labs/11-lost-update/counter.c" "$lab/counter.c"
check broken
[ "$(cat "$t/broken.rc")" = 1 ] && ! cached broken; ok $? "the shipped (broken) file is graded anew and fails"
cp "$root/solutions/11-lost-update/counter.c" "$lab/counter.c"
check back
[ "$(cat "$t/back.rc")" = 0 ] && cached back; ok $? "the solution's bytes again: its answer from the cache"
if command -v taskset >/dev/null; then
	taskset -c 0 "$rl" check 11 >"$t/one_cpu.out" 2>&1
	! cached one_cpu; ok $? "on one CPU the same bytes are graded anew (its tests may see less)"
fi
edit "$lab/test_counter.c" 's/counter_get(&shared) == 10,/counter_get(\&shared) == 11,/'
check kata_changed
[ "$(cat "$t/kata_changed.rc")" = 1 ] && ! cached kata_changed; ok $? "after a change to the kata's tests the same bytes are graded anew (and fail)"
cp "$root/labs/11-lost-update/test_counter.c" "$lab/test_counter.c" && touch -d '1 hour ago' "$lab/test_counter.c"
answers=$(ls "$t/cache/answer/11-lost-update" | wc -l)
mkdir -p "$t/variant" && { cat "$root/solutions/11-lost-update/counter.c"; echo "/* another file */"; } >"$t/variant/counter.c"
"$rl" grade --lab 11 --src "$t/variant" --out /dev/null >/dev/null 2>&1
[ "$answers" -ge 2 ] && [ "$(ls "$t/cache/answer/11-lost-update" | wc -l)" = "$answers" ]
ok $? "racelab grade keeps no answer ($answers, from the checks only)"
RACELAB_CACHE=off "$rl" check 11 >"$t/off.out" 2>&1
[ $? = 0 ] && ! cached off; ok $? "RACELAB_CACHE=off: no cache at all, and the check still grades"
echo "1..$n"
