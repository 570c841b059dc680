#!/bin/sh
# docs-outputs.sh: every output the docs quote comes from a real run; --update rewrites the quotes, --check compares them (TAP).
#
# usage: docs-outputs.sh --update|--check [FILE ...]   (default: README.md docs/*.md docs/watch-session.txt)
#
# A quoted output is a fenced block right after a marker line naming the command that prints it:
#
#   <!-- output: racelab check 21 -->
#   ```
#   ...what the command printed...
#   ```
#
# The command runs with sh from the project's top folder, with this tree's bin/ first in PATH
# (so `racelab` and `bin/racelab` are this tree's build), NO_COLOR=1, TERM=dumb, stdin from
# /dev/null, stdout and stderr into one file (no terminal), and its progress kept in a
# temporary RACELAB_STATE and RACELAB_CACHE (the tree's .racelab/ is not touched). It grades the labs as they
# are in the tree: a kata's file edited (racelab check) changes its quotes; `racelab reset NN`.
# Trailing blanks and blank lines at the start and end are dropped. A command quoted by
# several blocks runs once per invocation of this script; DOCS_JOBS (default 2) commands
# run at once, each with its own RACELAB_STATE.
#
# Options go after " # " at the end of the marker, separated by blanks, grep= last:
#
#   <!-- output: racelab check 41 # gates=tests,memory -->
#   <!-- output: racelab check 21 # gates=tests grep=Deadlock|hung -->
#   <!-- output: harness/scripts/without.sh libc6-dbg racelab check 21 # root gates=tests -->
#
#   gates=NAME,NAME  an excerpt: the lines of these gates, each gate's line (PASS, FAIL,
#                    ERROR ...) and the lines indented under it
#   grep=ERE         an excerpt: of those, only the lines that match this extended regular
#                    expression (awk's); it takes the rest of the marker, spaces included
#   root             the command needs root: run by another user, the block is skipped
#                    (a TAP SKIP), neither run nor compared
#
# A run of lines left out between two kept lines becomes one line "...", indented as the
# first line it stands for; lines left out before the first kept line or after the last are
# simply dropped.
#
# --update writes each block from a fresh run (as printed, not normalised). --check runs the
# commands again and prints one TAP line per block: "not ok" (with the difference) when the
# quote, normalised, is not the fresh output, normalised. normalise() below is the only
# place where two runs may differ; everything else must match exactly. Exit 1 on any "not ok".
#
# docs/watch-session.txt is the screens of a `racelab watch` in tmux, caught mid-check by
# `make bench-watch CAPTURE=FILE`: --update makes it again that way (RUNS=1); --check skips
# it, since which gates have finished when the screen is caught is a race.
set -u
self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 2

# What varies from run to run, on both sides of a comparison, and nothing else:
#   timings           "5.2s", "(2.0s)", "1.42 s later"     -> N.Ns, N.N s (and the blanks before one:
#                                                             a gate line's time column is right-aligned)
#   TSan threads      T2, T4                               -> Tn      (which thread wrote first is a race)
#   Valgrind threads  thread #5, Thread #1                 -> #n
#   gdb threads       thread 2 in transfer                 -> thread n
#   thread ids, pids  thread id 4711, tid=16794, pid=123   -> N
#   addresses         0x114360                             -> 0xN
#   temporary paths   /tmp/racelab-gate.x1Yz/...           -> /tmp/...
#   progress spinner  "/ checking ... (1s)"                -> "checking ... (Ns)"
#   racy test totals  "counted 3069958: 930042 updates"    -> N (how many updates a race loses)
#   heap peaks        "131102.7 KiB", "134234112 bytes"    -> N KiB, N bytes (when the consumer thread
#                                                             frees varies by a few blocks)
#   heap chart bars   "  128.0 MiB |      #####"           -> "  128.0 MiB | ..." (the axes stay)
normalise() {
	sed -E \
		-e 's/ +[0-9]+\.[0-9]+( ?)s\b/ N.N\1s/g' -e 's/[0-9]+\.[0-9]+( ?)s\b/N.N\1s/g' \
		-e 's/\bT[0-9]+\b/Tn/g' \
		-e 's/([Tt]hread) #[0-9]+/\1 #n/g' \
		-e 's/\b(thread|threads) [0-9]+( and [0-9]+)?\b/\1 n/g' \
		-e 's/\b(thread id|tid=|pid=|pid |process )[0-9]+/\1N/g' \
		-e 's/0x[0-9a-fA-F]+/0xN/g' \
		-e 's#/tmp/[^[:space:]:)"]*#/tmp/...#g' \
		-e 's/^[-\\|/] (checking .*)\([0-9]+s\)$/\1(Ns)/' \
		-e 's/counted [0-9]+: [0-9]+ updates/counted N: N updates/g' \
		-e 's/[0-9]+\.[0-9]+ KiB/N KiB/g' -e 's/[0-9]+ bytes from/N bytes from/g' \
		-e 's/^( +[^|]*\|)[-# ]+$/\1 .../'
}

# The marked blocks of one file: "LINE<TAB>COMMAND<TAB>OPTIONS", or "LINE<TAB>!<TAB>why" for a marker without a block.
markers() {
	awk '
	function emit(body, i) {
		i = index(body, " # ")
		if (i) printf "%d\t%s\t%s\n", mark, substr(body, 1, i - 1), substr(body, i + 3)
		else printf "%d\t%s\t\n", mark, body
	}
	mark && !fence { if ($0 ~ /^```/) emit(body); else printf "%d\t!\tthe marker is not followed by a fenced block\n", mark; mark = 0 }
	/^```/ { fence = !fence; next }
	!fence && /^<!-- output: .* -->[[:space:]]*$/ {
		body = $0; sub(/^<!-- output: /, "", body); sub(/ -->[[:space:]]*$/, "", body); mark = NR
	}
	END { if (mark) printf "%d\t!\tthe marker is not followed by a fenced block\n", mark }' "$1"
}

# The quoted block under the marker on line $2 of file $1.
quoted() {
	awk -v m="$2" 'NR == m + 1 { on = 1; next } on && /^```/ { exit } on' "$1"
}

# The excerpt that OPTIONS ($1) keep of the output on stdin.
excerpt() {
	awk -v opts="$1" '
	BEGIN {
		re = ""; head = opts
		if ((p = index(opts, "grep=")) > 0) { re = substr(opts, p + 5); head = substr(opts, 1, p - 1) }
		g = ""; k = split(head, words, " ")
		for (i = 1; i <= k; i++) if (words[i] ~ /^gates=/) g = substr(words[i], 7)
		n = split(g, names, ","); for (i = 1; i <= n; i++) want[names[i]] = 1
	}
	{ line[NR] = $0 }
	END {
		gate = ""
		for (i = 1; i <= NR; i++) {
			s = line[i]
			if (s ~ /^  (PASS|FAIL|ERROR|SKIP) +[a-z]+ /) { split(s, w, " +"); gate = w[3] }
			else if (s !~ /^   /) gate = ""
			keep[i] = (g == "" || (gate in want)) && (re == "" || s ~ re)
		}
		gap = ""
		for (i = 1; i <= NR; i++) {
			if (!keep[i]) { if (gap == "" && shown) { gap = line[i]; sub(/[^ ].*/, "...", gap) } continue }
			if (gap != "") print gap
			print line[i]; shown = 1; gap = ""
		}
	}'
}

# Whether options $1 say the command needs root while we are not root.
needs_root() {
	case " ${1%%grep=*} " in *" root "*) [ "$(id -u)" -ne 0 ] ;; *) false ;; esac
}

# The file that holds command $1's output (under $tmp/out, made by run_one).
output_of() {
	echo "$tmp/out/$(printf '%s' "$1" | cksum | tr ' ' '-')"
}

# Run the command in file $1 (named by its key), its output into $tmp/out/KEY.
run_one() {
	key=$(basename "$1")
	mkdir "$tmp/state/$key"
	# A cache of its own too: a quote shows a first check, never an answer kept from another one.
	PATH="$root/bin:$PATH" NO_COLOR=1 TERM=dumb RACELAB_STATE="$tmp/state/$key" RACELAB_CACHE="$tmp/state/$key/cache" \
		timeout 600 sh -c "$(cat "$1")" </dev/null >"$tmp/out/$key.raw" 2>&1
	sed -e 's/[[:space:]]*$//' "$tmp/out/$key.raw" |
		awk 'NF { for (; blank > 0; blank--) print ""; print; seen = 1; next } seen { blank++ }' >"$tmp/out/$key"
}

mode=${1:-}
# --run TMP FILE: one command, run by this script's own xargs below.
if [ "$mode" = --run ]; then
	tmp=$2
	run_one "$3"
	exit 0
fi
case $mode in --update | --check) shift ;; *)
	echo "usage: $0 --update|--check [FILE ...]" >&2
	exit 2
	;;
esac
[ -x bin/racelab ] || { echo "docs-outputs: build bin/racelab first (make)" >&2; exit 2; }
[ $# -gt 0 ] || set -- README.md docs/*.md docs/watch-session.txt
tmp=$(mktemp -d "${TMPDIR:-/tmp}/racelab-docs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/out" "$tmp/state" "$tmp/new" "$tmp/cmd"

# Every command the files quote, each once, DOCS_JOBS at a time.
tab=$(printf '\t')
for file in "$@"; do
	[ "$file" = docs/watch-session.txt ] && continue
	markers "$file" | while IFS="$tab" read -r line cmd opts; do
		[ "$cmd" = "!" ] || needs_root "$opts" || printf '%s' "$cmd" >"$(output_of "$cmd" | sed 's#/out/#/cmd/#')"
	done
done
ls "$tmp/cmd" | sed "s#^#$tmp/cmd/#" | xargs -r -P "${DOCS_JOBS:-2}" -n 1 sh "$self" --run "$tmp"

n=0 failed=0
tap() { # ok|not-ok description
	n=$((n + 1))
	if [ "$1" = ok ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}
for file in "$@"; do
	if [ "$file" = docs/watch-session.txt ]; then
		if [ "$mode" = --check ]; then
			n=$((n + 1))
			echo "ok $n - $file # SKIP screens caught mid-check (a race): make docs-outputs makes them again"
		elif make --no-print-directory bench-watch RUNS=1 CAPTURE="$file" >"$tmp/watch.log" 2>&1; then
			tap ok "$file: made again by make bench-watch RUNS=1 CAPTURE=$file"
		else
			tap not-ok "$file: make bench-watch RUNS=1 CAPTURE=$file failed"
			sed 's/^/# /' "$tmp/watch.log"
		fi
		continue
	fi
	rm -rf "$tmp/new" && mkdir "$tmp/new"
	markers "$file" >"$tmp/markers"
	while IFS="$tab" read -r line cmd opts; do
		what="$file:$line: $cmd${opts:+ # $opts}"
		if [ "$cmd" = "!" ]; then
			tap not-ok "$file:$line: $opts"
			continue
		fi
		if needs_root "$opts"; then
			n=$((n + 1))
			echo "ok $n - $what # SKIP needs root"
			continue
		fi
		out=$(output_of "$cmd")
		excerpt "$opts" <"$out" >"$tmp/new/$line"
		if [ ! -s "$tmp/new/$line" ]; then
			tap not-ok "$what: printed nothing that the options keep"
			sed 's/^/# /' "$out" | head -40
		elif [ "$mode" = --update ]; then
			quoted "$file" "$line" | normalise >"$tmp/want"
			normalise <"$tmp/new/$line" | cmp -s - "$tmp/want" && tap ok "$what: the same (normalised)" ||
				tap ok "$what: changed"
		else
			quoted "$file" "$line" | normalise >"$tmp/want"
			normalise <"$tmp/new/$line" >"$tmp/got"
			if cmp -s "$tmp/want" "$tmp/got"; then
				tap ok "$what"
			else
				tap not-ok "$what: the quote is not what it prints now (docs-outputs.sh --update; normalised diff below)"
				diff -u "$tmp/want" "$tmp/got" | tail -n +3 | sed 's/^/#   /'
			fi
		fi
	done <"$tmp/markers"
	# Rewrite the file's blocks, each from its fresh output.
	if [ "$mode" = --update ] && [ -s "$tmp/markers" ]; then
		awk -v dir="$tmp/new" '
		skip && /^```/ { skip = 0 }
		skip { next }
		{ print }
		NR == m + 1 && m { while ((getline l <(dir "/" m)) > 0) print l; close(dir "/" m); skip = 1; m = 0; next }
		/^<!-- output: .* -->[[:space:]]*$/ && (getline t <(dir "/" NR)) > 0 { close(dir "/" NR); m = NR }' \
			"$file" >"$tmp/rewritten" && cat "$tmp/rewritten" >"$file"
	fi
done
echo "1..$n"
[ "$failed" -eq 0 ]
