#!/bin/sh
# limits.t.sh: the tools' known limits (docs/tools.md), each a correct program of harness/tests/limits and
# a faulty one beside it, through racelab diagnose (the labs' gates, limit.c among them). Each program's
# first line says "expect: pass GATES; notes GATES --" (those gates pass, the notes' gates carry a note,
# a known limit of their tool with its reason) or "expect: fail GATES --" (those gates fail, on records
# that are no notes). LIMITS_RUNS runs each program that many times (default 1; 20 for the counts in
# docs/tools.md); LIMITS_PROGS (file names) runs only those. Prints a count per program.
set -u
cd "$(dirname "$0")/../.." || exit 2
runs=${LIMITS_RUNS:-1}
n=0
t=$(mktemp -d) || exit 2
for prog in ${LIMITS_PROGS:-harness/tests/limits/*.c}; do
	n=$((n + 1))
	name=$(basename "$prog" .c)
	spec=$(sed -n '1s/.*expect: *\([a-z ;]*\) --.*/\1/p' "$prog")
	verdict=${spec%% *}
	gates=$(printf '%s' "${spec#* }" | sed 's/;.*//')
	notes=$(printf '%s' "$spec" | sed -n 's/.*; *notes *//p')
	good=0
	for i in $(seq "$runs"); do
		bin/racelab diagnose --format json "$prog" >"$t/out.json" 2>"$t/err.txt"
		rc=$?
		ok=1
		for g in $gates; do
			st=$(jq -r --arg g "$g" '.gates[] | select(.name == $g) | .status' "$t/out.json")
			kept=$(jq -r --arg g "$g" '.gates[] | select(.name == $g) | .findings | length' "$t/out.json")
			if [ "$verdict" = pass ]; then
				[ "$st" = pass ] || ok=0
			else
				[ "$st" = fail ] && [ "${kept:-0}" -gt 0 ] || ok=0
			fi
		done
		for g in $notes; do
			k=$(jq -r --arg g "$g" '[.gates[] | select(.name == $g) | .notes[] | select(.limit != null)] | length' "$t/out.json")
			[ "${k:-0}" -gt 0 ] || ok=0
		done
		[ "$ok" -eq 1 ] && good=$((good + 1))
		[ "$ok" -eq 1 ] || { cp "$t/out.json" "$t/$name.$i.json"; echo "exit $rc" | cat - "$t/err.txt" >"$t/$name.$i.err"; }
		[ -n "${LIMITS_KEEP:-}" ] && cp "$t/out.json" "$LIMITS_KEEP/$name.$i.json"
	done
	if [ "$good" -eq "$runs" ]; then
		echo "ok $n - $name: $verdict [$gates]${notes:+, notes [$notes]}: $good of $runs"
	else
		echo "not ok $n - $name: $verdict [$gates]${notes:+, notes [$notes]}: $good of $runs (failed runs' JSON kept in $t)"
		keep=1
	fi
done
[ -n "${keep:-}" ] || rm -rf "$t"
echo "1..$n"
