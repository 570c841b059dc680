#!/bin/sh
# hints.t.sh: every kata's hints lead to a fix inside its edit file: the last hint is listed in its lab.ini's [hint_fixes], and each file of solutions/NN-slug/ listed there exists and is graded clean. TAP lines.
# Usage: sh harness/tests/hints.t.sh [NN...]   (default: every kata)
# With PROVE_TAP set to the TAP of a `racelab prove --tap` of the same tree (run.sh sets it), a file
# that proof graded clean (the solution, an alternative) is taken from it, not graded a second time.
set -u
cd "$(dirname "$0")/../.." || exit 2
. harness/tests/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# keys INI SECTION: the numbered keys of one section of an INI file, "N value" a line
# (comments and inih's indented continuation lines dropped).
keys() {
	awk -v want="[$2]" '
		/^\[/ { in_section = ($1 == want); next }
		in_section && /^[0-9]+[ \t]*=/ {
			line = $0
			sub(/;.*/, "", line)
			split(line, kv, "=")
			gsub(/[ \t]/, "", kv[1])
			print kv[1], kv[2]
		}' "$1"
}

# edit_file LAB_DIR: the file the learner edits, from [lab] edit.
edit_file() {
	awk -F= '/^\[/ { in_lab = ($0 ~ /^\[lab\]/) } in_lab && $1 ~ /^edit[ \t]*$/ { v = $2; sub(/;.*/, "", v); gsub(/[ \t]/, "", v); print v }' "$1/lab.ini"
}

# graded_clean LAB EDIT FILE: racelab grade of FILE as the learner's EDIT; true when every gate passes.
# The gates that did not pass go to stdout as TAP comments.
graded_clean() {
	rm -rf "$tmp/src" && mkdir "$tmp/src" && cp "$3" "$tmp/src/$2" || return 1
	bin/racelab grade --lab "$1" --src "$tmp/src" --format json --jobs 2 --out "$tmp/grade.json" </dev/null \
		>/dev/null 2>"$tmp/grade.err"
	if jq -e '(.gates | length) > 0 and all(.gates[]; .status == "pass")' "$tmp/grade.json" >/dev/null 2>&1; then
		return 0
	fi
	jq -r '.gates[] | select(.status != "pass") | "# \(.name): \(.status): \(.reason)"' "$tmp/grade.json" 2>/dev/null ||
		sed 's/^/# /' "$tmp/grade.err"
	return 1
}

# proved LAB FILE: this run's proof graded FILE of solutions/LAB/ clean (FILE is the edit file: "solution").
proved() {
	[ -n "${PROVE_TAP:-}" ] && [ -r "$PROVE_TAP" ] || return 1
	what=$2
	[ "$2" = "$3" ] && what=solution
	awk -v s="- $1: $what clean " '/^ok / && index($0, s) { found = 1 } END { exit !found }' "$PROVE_TAP"
}

[ $# -gt 0 ] || set -- "[0-9][0-9]"
for lab in $(for nn in "$@"; do ls -d labs/${nn}-*/; done); do
	id=$(basename "$lab")
	sol=solutions/$id
	edit=$(edit_file "$lab")
	last=$(keys "$lab/lab.ini" hints | awk '$1 > max { max = $1 } END { print max + 0 }')
	keys "$lab/lab.ini" hint_fixes >"$tmp/fixes"

	# The last hint always says how to fix: some file here must carry it out.
	awk -v n="$last" '$1 == n { found = 1 } END { exit !found }' "$tmp/fixes"
	ok $? "$id: its last hint ($last) is listed in lab.ini's [hint_fixes]"

	# Each file once, in the order first listed.
	tr ',' '\n' <"$tmp/fixes" | sed 's/^[0-9]* //; s/^[ \t]*//; s/[ \t]*$//' | grep -v '^$' |
		awk '!seen[$0]++' >"$tmp/files"
	while read -r f; do
		if [ ! -f "$sol/$f" ]; then
			ok 1 "$id: $sol/$f, listed in lab.ini's [hint_fixes], exists"
			continue
		fi
		if proved "$id" "$f" "$edit"; then
			ok 0 "$id: $f, which a hint leads to, is graded clean as $edit (by this run's racelab prove)"
			continue
		fi
		graded_clean "$id" "$edit" "$sol/$f"
		ok $? "$id: $f, which a hint leads to, is graded clean as $edit"
	done <"$tmp/files"
done
echo "1..$n"
