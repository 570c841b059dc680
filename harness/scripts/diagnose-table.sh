#!/bin/sh
# diagnose-table.sh [OUT.md]: racelab diagnose against each single detector on the corpus of harness/tests/diagnose.
#
# Each program's first line labels it ("/* expect: race, misuse -- why */"). Each program is
# built as diagnose builds it (gcc and clang, -std=gnu11 -O1 -g) and run under ThreadSanitizer
# alone, Helgrind alone and DRD alone, then given to racelab diagnose. A tool "says race" when it
# reports a data race (TSan data race, Helgrind Race, DRD ConflictingAccess), "says deadlock" when
# it reports a lock-order cycle (TSan lock-order-inversion, Helgrind LockOrder; DRD has no such
# check, and no tool reports a real hang); racelab says what its "hazards" list says. Prints the
# comparison table and each program's row (markdown), and racelab's median and longest time;
# OUT.md, when given, gets the same. DIAG_PROGS (paths) limits the corpus; TOOL_TIMEOUT (s,
# default 20) bounds a single tool's run (a hung program is killed there, with no report).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-}
racelab=$top/bin/racelab
command -v jq >/dev/null || { echo "diagnose-table: needs jq" >&2; exit 1; }
[ -x "$racelab" ] || { echo "diagnose-table: build bin/racelab first (make)" >&2; exit 1; }
progs=${DIAG_PROGS:-$(ls "$top"/harness/tests/diagnose/*.c)}
limit=${TOOL_TIMEOUT:-20}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
flags="-std=gnu11 -D_GNU_SOURCE -g -O1 -pthread"

# label PROG CLASS: 1 when the program's expect line names CLASS.
label() {
	sed -n '1s/.*expect: *\([a-z, ]*\) --.*/\1/p' "$1" | tr -d ' ' | tr ',' '\n' | grep -qx "$2" && echo 1 || echo 0
}

# Each tool alone: prints "RACE DEADLOCK" (1 or 0 each) for program $1.
tsan_alone() {
	d=$tmp/tsan; rm -rf "$d"; mkdir -p "$d"
	clang $flags -fsanitize=thread "$1" -o "$d/prog" 2>/dev/null || { echo "- -"; return; }
	(cd "$d" && timeout -k 2 "$limit" env TSAN_OPTIONS="log_path=$d/log atexit_sleep_ms=0" ./prog >/dev/null 2>&1)
	r=0; k=0
	cat "$d"/log.* 2>/dev/null | grep -q 'WARNING: ThreadSanitizer: data race' && r=1
	cat "$d"/log.* 2>/dev/null | grep -q 'WARNING: ThreadSanitizer: lock-order-inversion' && k=1
	echo "$r $k"
}
vg_alone() { # TOOL PROG
	d=$tmp/$1; rm -rf "$d"; mkdir -p "$d"
	gcc $flags "$2" -o "$d/prog" 2>/dev/null || { echo "- -"; return; }
	extra=; [ "$1" = drd ] && extra=--check-stack-var=yes
	(cd "$d" && timeout -k 2 "$limit" valgrind --tool="$1" $extra -q --xml=yes --xml-file="$d/vg.xml" ./prog >/dev/null 2>&1)
	r=0; k=0
	grep -q '<kind>\(Race\|ConflictingAccess\)</kind>' "$d/vg.xml" 2>/dev/null && r=1
	grep -q '<kind>LockOrder</kind>' "$d/vg.xml" 2>/dev/null && k=1
	echo "$r $k"
}
racelab_alone() {
	t0=$(date +%s.%N)
	"$racelab" diagnose --format json "$1" >"$tmp/diag.json" 2>/dev/null
	t1=$(date +%s.%N)
	echo "$t0 $t1" | awk '{ printf "%.1f\n", $2 - $1 }' >>"$tmp/times"
	r=$(jq -r '[.hazards[] | select(. == "race")] | length' "$tmp/diag.json" 2>/dev/null)
	k=$(jq -r '[.hazards[] | select(. == "deadlock")] | length' "$tmp/diag.json" 2>/dev/null)
	echo "${r:--} ${k:--} $(jq -r '.hazards | join(",")' "$tmp/diag.json" 2>/dev/null)"
}

: >"$tmp/times"
: >"$tmp/rows"
for p in $progs; do
	name=$(basename "$p" .c)
	lr=$(label "$p" race); ld=$(label "$p" deadlock); lc=$(label "$p" none)
	set -- $(tsan_alone "$p") $(vg_alone helgrind "$p") $(vg_alone drd "$p") $(racelab_alone "$p")
	echo "$name $lr $ld $lc $1 $2 $3 $4 $5 $6 $7 $8 ${9:-}" >>"$tmp/rows"
	echo "$name: label race=$lr deadlock=$ld clean=$lc | tsan $1/$2 helgrind $3/$4 drd $5/$6 racelab $7/$8 [${9:-}]" >&2
done

# One tool's column pair (race at $1, deadlock at $2 of each row): precision, recall, clean called racy.
score() {
	awk -v rc="$1" -v dc="$2" '
	function ratio(a, b) { return b ? sprintf("%.2f", a / b) : "-" }
	{ r = $rc; d = $dc
	  if (r == 1 && $2 == 1) rtp++; if (r == 1 && $2 == 0) rfp++; if ($2 == 1) rpos++
	  if (d == 1 && $3 == 1) dtp++; if (d == 1 && $3 == 0) dfp++; if ($3 == 1) dpos++
	  if ($4 == 1) { clean++; if (r == 1) cracy++ } }
	END { printf "%s | %s | %s | %s | %d of %d", ratio(rtp, rtp + rfp), ratio(rtp, rpos), ratio(dtp, dtp + dfp),
	      ratio(dtp, dpos), cracy, clean }' "$tmp/rows"
}
mark() { [ "$1" = 1 ] && echo "yes" || { [ "$1" = 0 ] && echo "" || echo "?"; }; }

n=$(wc -l <"$tmp/rows")
times=$(sort -n "$tmp/times")
median=$(echo "$times" | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
longest=$(echo "$times" | tail -1)
{
	echo "| on $n programs | race precision | race recall | deadlock precision | deadlock recall | clean programs called racy |"
	echo "| --- | --- | --- | --- | --- | --- |"
	echo "| racelab diagnose | $(score 11 12) |"
	echo "| ThreadSanitizer alone | $(score 5 6) |"
	echo "| Helgrind alone | $(score 7 8) |"
	echo "| DRD alone | $(score 9 10) |"
	echo
	echo "racelab diagnose took $median s (median) and $longest s at most per program (load average $(cut -d' ' -f1-3 /proc/loadavg) at the end)."
	echo
	echo "| program | label | TSan race / lock order | Helgrind race / lock order | DRD race | racelab hazards |"
	echo "| --- | --- | --- | --- | --- | --- |"
	while read -r name lr ld lc t1 t2 h1 h2 d1 d2 r1 r2 hz; do
		lab=$(sed -n '1s/.*expect: *\([a-z, ]*\) --.*/\1/p' "$top/harness/tests/diagnose/$name.c")
		echo "| $name | $lab | $(mark "$t1") / $(mark "$t2") | $(mark "$h1") / $(mark "$h2") | $(mark "$d1") | ${hz:-none} |"
	done <"$tmp/rows"
} >"$tmp/table.md"
cat "$tmp/table.md"
[ -n "$out" ] && cp "$tmp/table.md" "$out"
exit 0
