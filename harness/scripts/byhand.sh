#!/bin/sh
# byhand.sh: the compiles and tool runs of one racelab check typed by hand (builds at once, runs one after another).
#
# usage: sh harness/scripts/byhand.sh LAB SRC_DIR
# The yardstick of make bench: the same commands racelab runs for LAB's enabled gates,
# with the same flags, environment and stress runs, but no probes, limits, namespaces,
# watchdog or report reading. Every variant is built from all its sources, as a person
# would type it. Exit status: 0 when every run passed, else 1.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
lab=$(cd "$root/labs" && ls -d "$1"* 2>/dev/null | head -n 1)
[ -n "$lab" ] && [ -d "$2" ] || { echo "usage: byhand.sh LAB SRC_DIR" >&2; exit 2; }
dir=$root/labs/$lab rt=$root/harness/runtime ini=$root/labs/$lab/lab.ini

# ini SECTION KEY DEFAULT: a value of lab.ini.
ini() {
	awk -v s="[$1]" -v k="$2" -v d="$3" '
		/^\[/ { sec = $0; next }
		sec == s && index($0, "=") {
			key = substr($0, 1, index($0, "=") - 1); gsub(/[ \t]/, "", key)
			if (key == k) { v = substr($0, index($0, "=") + 1); gsub(/^[ \t]+|[ \t]+$/, "", v); print v; found = 1; exit }
		}
		END { if (!found) print d }' "$ini"
}
on() { [ -n "$(ini gates "$1" '')" ]; }

edit=$(ini lab edit '') timeout=$(ini limits timeout_s 10)
stress_runs=$(ini limits stress_runs 3) cap_mb=$(ini limits memory_cap_mb 256)
w=$(mktemp -d "${TMPDIR:-/tmp}/racelab-byhand.XXXXXX")
trap 'rm -rf "$w"' EXIT
cp "$2/$edit" "$w/$edit" || exit 2
fixed=$(ls "$dir"/*.c | grep -v "/$edit\$")
scale=$(ini limits tool_scale '')
flags="-std=c11 -D_GNU_SOURCE -g -O1 -Wall -Wextra -pthread -I$dir -I$rt${scale:+ -DRL_TOOL_SCALE=$scale}"
libs=$(pkg-config --libs check)

# The builds, all at once. The learner's file is compiled alone, its failable calls pointed at the
# fault shim (objcopy, as build.c does), so the tests can arm faults in it and in it only.
# learner CC OUT [FLAGS]: the learner's object.
learner() {
	cc=$1 out=$2
	shift 2
	$cc $flags "$@" -c "$w/$edit" -o "$out" && objcopy --redefine-syms="$rt/fault_syms.txt" "$out"
}
runtime="$rt/check_main.c $rt/rl_test.c $rt/shim_fault.c"
# The stress link's --wrap list, read from build.c's build_stress_wraps (one list, not two).
wraps=$(sed -n '/^static const char build_stress_wraps/,/;$/p' "$root/harness/build.c" | sed 1d | tr -d '\t"; \n')
# shellcheck disable=SC2086
{
	{ learner gcc "$w/edit.o" && gcc $flags "$w/edit.o" $fixed $runtime -o "$w/plain" $libs; } 2>"$w/plain.log" &
	clang $flags -fsyntax-only "$w/$edit" 2>"$w/syntax.log" &
	if on stress; then
		{ learner gcc "$w/edit-stress.o" && gcc $flags "$w/edit-stress.o" $fixed $runtime "$rt/shim_cond.c" \
			"$rt/shim_noise.c" "$rt/rl_noise.c" "$wraps" -o "$w/stress" $libs; } 2>"$w/stress.log" &
	fi
	if on tsan; then
		{ learner clang "$w/edit-tsan.o" -fsanitize=thread &&
			clang $flags -fsanitize=thread "$w/edit-tsan.o" $fixed $runtime -o "$w/tsan" $libs; } 2>"$w/tsan.log" &
	fi
	wait
}

# suite TAG TOOL TIMEOUT COMMAND...: one run of the suite in a folder of its own, with racelab's environment.
n=0 failed=0
suite() {
	n=$((n + 1))
	run=$w/run-$1-$n tool=$2 t=$3
	shift 3
	mkdir -p "$run/home"
	(cd "$run/home" && env -i PATH="$PATH" HOME="$run/home" LC_ALL=C CK_XML_LOG_FILE_NAME="$run/check.xml" \
		CK_DEFAULT_TIMEOUT="$(awk -v t="$t" 'BEGIN { printf "%d", t * 4 + 60 }')" CK_FORK=yes \
		CK_VERBOSITY=normal RACELAB_TOOL="$tool" ${extra:+"$extra"} "$@" >"$run/output.txt" 2>&1) ||
		{ failed=1; return 1; }
}
# vg TOOL [TOOL OPTIONS] BINARY: the suite under a Valgrind tool, as valgrind.c runs it.
vg() {
	vgtool=$1
	shift
	suite "$vgtool" "$vgtool" "$(awk -v t="$timeout" 'BEGIN { print t * 5 }')" valgrind --tool="$vgtool" -q \
		--xml=yes --xml-file="$w/run-$vgtool-vg.%p.xml" --error-exitcode=99 --vgdb=no "$@"
}

extra=
on tests && suite tests "" "$timeout" "$w/plain"
if on stress; then
	i=0
	while [ "$i" -lt "$stress_runs" ]; do
		extra=RACELAB_NOISE_SEED=$((i + 1)) # racelab picks a seed at random; here run i has seed i
		suite stress "" "$timeout" "$w/stress"
		i=$((i + 1))
	done
	extra=
fi
if on tsan; then
	extra="TSAN_OPTIONS=log_path=$w/tsan-log atexit_sleep_ms=0 handle_segv=0 second_deadlock_stack=1 history_size=2"
	suite tsan tsan "$(awk -v t="$timeout" 'BEGIN { print t * 2 }')" "$w/tsan"
	extra=
fi
on helgrind && vg helgrind "$w/plain"
on drd && vg drd --check-stack-var=yes "$w/plain"
on memcheck && vg memcheck --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite "$w/plain"
if on memory; then
	suite massif massif "$(awk -v t="$timeout" 'BEGIN { print t * 5 }')" valgrind --tool=massif --time-unit=B \
		--peak-inaccuracy=0 --massif-out-file="$w/massif.%p" "$w/plain"
	(ulimit -v $((cap_mb * 1024)) && suite capped "" "$timeout" "$w/plain") || failed=1
fi
on cpu && suite cpu "" "$timeout" "$w/plain"
exit "$failed"
