#!/bin/sh
# docs.t.sh: the docs hold: links, anchors and the files they name exist, quoted outputs are what racelab prints, the kata template proves. TAP lines.
set -u
cd "$(dirname "$0")/../.." || exit 2
. harness/tests/tap.sh
tmp=$(mktemp -d "${TMPDIR:-/tmp}/racelab-docs-t.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Every Markdown file of the project a reader may open. The template's own pages are
# checked where a maintainer puts them (labs/ and solutions/ of a scratch tree, below).
docs="README.md docs/*.md docs/*/*.md labs/*/README.md solutions/*/NOTES.md"

# The prose of one Markdown file: fenced blocks left out.
prose() {
	awk '/^[ \t]*```/ { code = !code; next } !code' "$1"
}

# The relative link targets of one Markdown file, one a line ("file#anchor", "#anchor").
links() {
	prose "$1" | grep -o '\]([^)]*)' | sed 's/^](//; s/)$//; s/[ \t].*//' | grep -v -E '^(https?:|mailto:)'
}

# The anchors of one Markdown file's headings, as GitHub makes them: lower case, blanks
# to dashes, other punctuation gone.
anchors() {
	prose "$1" | sed -n 's/^#\{1,6\}[ \t]*//p' | tr 'A-Z' 'a-z' | sed 's/[^a-z0-9 _-]//g; s/ /-/g'
}

# Links of file $1 whose file or heading does not exist, on one line.
bad_links() {
	dir=$(dirname "$1")
	for l in $(links "$1"); do
		path=${l%%#*} anchor=""
		case $l in *"#"*) anchor=${l#*#} ;; esac
		target=$1
		[ -n "$path" ] && target=$(realpath -m "$dir/$path" --relative-to=.)
		if [ ! -e "$target" ]; then
			printf ' %s' "$l"
		elif [ -n "$anchor" ] && { [ -d "$target" ] || ! anchors "$target" | grep -qx -- "$anchor"; }; then
			printf ' %s' "$l"
		fi
	done
}

# The project files named in the prose of $1, as "name" or "name:LINE": a path or a file name
# with a known extension. Placeholders (NN, NAME, FILE, ID) and files a user or a make target
# makes (results.json, submission/..., dist/...) are left out.
named_files() {
	prose "$1" | grep -oE '(^|[^A-Za-z0-9_./*<>-])[A-Za-z0-9_.][A-Za-z0-9_./-]*\.(md|c|h|sh|ini|py|txt|json|yml)(:[0-9]+)?([^A-Za-z0-9_]|$)' |
		sed -E 's/^[^A-Za-z0-9_.]//; s/[^A-Za-z0-9_:]$//' |
		grep -vE '(^|[/_-])(NN|NAME|FILE|ID)([/._-]|$)|^(submission|results|dist)/|^(results?|racelab)\.json$' | sort -u
}

# Named files of doc $1 found nowhere: at the top, beside the doc, in the lab or solution the
# doc belongs to, in harness/ or harness/runtime/, or (a bare file name) anywhere in the
# project; a name:LINE whose file is shorter than LINE counts as not found.
bad_files() {
	dir=$(dirname "$1") kata=$(basename "$(dirname "$1")")
	for t in $(named_files "$1"); do
		name=${t%%:*} line=""
		case $t in *:*) line=${t#*:} line=${line%%:*} ;; esac
		found=""
		for c in "$name" "$dir/$name" "labs/$kata/$name" "solutions/$kata/$name" "harness/$name" "harness/runtime/$name"; do
			[ -e "$c" ] && found="$found $c"
		done
		case $name in */*) ;; *) [ -n "$found" ] ||
			found=$(find . \( -name .git -o -name build -o -name bin -o -name .racelab \) -prune -o -name "$name" -print) ;;
		esac
		ok_line=""
		for c in $found; do
			[ -z "$line" ] || [ "$(wc -l <"$c")" -ge "$line" ] && ok_line=1
		done
		[ -n "$ok_line" ] || printf ' %s' "$t"
	done
}

# Fenced blocks in $1 that show racelab's gate lines with no output marker above them.
unmarked_outputs() {
	awk '/^```/ { if (!code) { start = FNR; marked = (prev ~ /^<!-- output: /); hit = 0 } else if (hit && !marked) printf " line %d", start; code = !code; next }
	code && /^  (PASS|FAIL|ERROR|SKIP) +[a-z]+ / { hit = 1 }
	{ prev = $0 }' "$1"
}

# The checkers must see what they look for, else every line below proves nothing.
printf '# Top\n[a](missing.md) [b](here.md#top) [c](https://example.org) [d](#nowhere) `[e](code.md)`\n```\n[f](fenced.md)\n```\n' >"$tmp/here.md"
got=$(links "$tmp/here.md" | tr '\n' ' ')
[ "$got" = "missing.md here.md#top #nowhere code.md " ]
ok $? "the link checker finds relative links and anchors, skips URLs and fenced code (read: $got)"
got=$(bad_links "$tmp/here.md")
[ "$got" = " missing.md #nowhere code.md" ]
ok $? "the link checker fails a missing file and a missing heading, passes a heading that is there (found:$got)"
printf 'See `harness/nowhere.c`, harness/run.c:99999, count.sh, `docs/NN-slug/x.md`, results.json and labs/11-lost-update/counter.c:18.\n' >"$tmp/names.md"
got=$(bad_files "$tmp/names.md")
[ "$got" = " count.sh harness/nowhere.c harness/run.c:99999" ]
ok $? "the file checker fails a missing file, a bare missing name and a line past a file's end, passes placeholders and real lines (found:$got)"
printf '<!-- output: racelab check 11 -->\n```\n  PASS  build       0.4s  compiles\n```\n\n```\n  FAIL  tsan        1.0s  made up\n```\n' >"$tmp/quotes.md"
got=$(unmarked_outputs "$tmp/quotes.md")
[ "$got" = " line 6" ]
ok $? "the quote checker finds a block of gate lines without an output marker, passes a marked one (found:$got)"

for f in $docs; do
	[ -e "$f" ] || continue
	bad=$(bad_links "$f")
	[ -z "$bad" ]
	ok $? "$f: every relative link and anchor resolves${bad:+ (not:$bad)}"
	bad=$(bad_files "$f")
	[ -z "$bad" ]
	ok $? "$f: every project file it names exists${bad:+ (not:$bad)}"
	bad=$(unmarked_outputs "$f")
	[ -z "$bad" ]
	ok $? "$f: every quoted output of racelab is marked with the command that prints it${bad:+ (not at:$bad)}"
done

# The pages the README's Docs section and racelab's own output point at.
for p in learner-guide instructor-guide grading packaging kata-kit new-kata troubleshooting tools \
	concepts/data-races concepts/lock-order concepts/condition-variables concepts/barriers \
	concepts/backpressure concepts/memory-ordering concepts/signal-safety concepts/idempotency concepts/pthread-misuse diagnose; do
	[ -s "docs/$p.md" ]
	ok $? "docs/$p.md exists"
done

# docs/tools.md is generated, and has one row per kata.
missing=""
for d in labs/[0-9][0-9]-*; do
	grep -q "^| \[$(basename "$d")\]" docs/tools.md 2>/dev/null || missing="$missing $(basename "$d")"
done
grep -q 'Generated by `make docs-tools`' docs/tools.md 2>/dev/null && [ -z "$missing" ]
ok $? "docs/tools.md is made by make docs-tools and has a row for every kata${missing:+ (none for:$missing)}"

# The quoted outputs: the mechanism first, on a sample, then every marked block of the docs.
printf '<!-- output: printf "thread T3 took 1.2s\\\\nheap 5.5 KiB\\\\n" -->\n```\nthread T7 took 9.9s\nheap 1.5 KiB\n```\n\n<!-- output: echo hello -->\n```\nhallo\n```\n' >"$tmp/sample.md"
got=$(sh harness/scripts/docs-outputs.sh --check "$tmp/sample.md" 2>&1)
case $got in "ok 1 "*"not ok 2 "*"-hallo"*"+hello"*) r=0 ;; *) r=1 ;; esac
ok $r "docs-outputs --check passes a quote that differs in timings, thread ids and heap sizes only, and fails one word changed ($(echo "$got" | tr '\n' ' ' | cut -c1-200))"
[ -x bin/racelab ] || make --no-print-directory all >/dev/null 2>&1
sh harness/scripts/docs-outputs.sh --check >"$tmp/outputs.tap" 2>&1
grep -qE '^(ok|not ok)' "$tmp/outputs.tap"
ok $? "docs-outputs --check ran (its lines follow)"
while IFS= read -r l; do
	case $l in
	"ok "*) ok 0 "quoted output: ${l#ok * - }" ;;
	"not ok "*) ok 1 "quoted output: ${l#not ok * - }" ;;
	"#"*) echo "$l" ;;
	esac
done <"$tmp/outputs.tap"

# The kata template builds and proves, where a maintainer puts it: labs/ and solutions/ of
# a scratch tree that holds it alone (with the harness's runtime and gdb script).
t=$tmp/tree
mkdir -p "$t/harness" "$t/docs"
cp -r docs/kata-template/labs docs/kata-template/solutions "$t/"
ln -s "$PWD/harness/runtime" "$PWD/harness/gdb" "$t/harness/"
for d in docs/*; do [ "$d" = docs/kata-template ] || ln -s "$PWD/$d" "$t/docs/"; done
for f in "$t"/labs/*/README.md "$t"/solutions/*/NOTES.md; do
	[ -e "$f" ] || { ok 1 "template ${f#"$t"/} is there"; continue; }
	bad=$(cd "$t" && bad_links "${f#"$t"/}")
	[ -z "$bad" ]
	ok $? "template ${f#"$t"/}: every relative link and anchor resolves${bad:+ (not:$bad)}"
done
NO_COLOR=1 RACELAB_ROOT=$t RACELAB_STATE=$tmp/state bin/racelab prove 99 >"$tmp/prove.out" 2>&1 </dev/null
r=$?
grep -q '^99-template  *proven ' "$tmp/prove.out" && [ "$r" -eq 0 ]
ok $? "the kata template proves: racelab prove 99 in a scratch tree ($(grep '^99-' "$tmp/prove.out" | tr -s ' '))"
for a in docs/kata-template/solutions/99-template/alt/*.c; do
	mkdir -p "$tmp/alt" && cp "$a" "$tmp/alt/tally.c"
	NO_COLOR=1 RACELAB_ROOT=$t bin/racelab grade --lab 99 --src "$tmp/alt" --format json >"$tmp/alt.json" 2>&1 </dev/null
	ok $? "the template's ${a#docs/kata-template/solutions/99-template/} passes every gate ($(jq -r '[.gates[] | .name + " " + .status] | join(", ")' "$tmp/alt.json" 2>/dev/null))"
done
echo "1..$n"
