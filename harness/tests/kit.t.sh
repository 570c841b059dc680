#!/bin/sh
# kit.t.sh: every kata carries what its proof stands on: at least two alternatives (solutions/NN-slug/alt/), at least four wrong fixes, each named in lab.ini's [wrong] with the gate:kind that must reject it; and its README's "What is graded" table says the gates and points lab.ini gives. TAP lines.
set -u
cd "$(dirname "$0")/../.." || exit 2
. harness/tests/tap.sh

# wrong_keys LAB_DIR: the keys of lab.ini's [wrong], one a line.
wrong_keys() {
	awk '/^\[/ { in_wrong = ($1 == "[wrong]"); next }
		in_wrong && /^[A-Za-z0-9_.-]+[ \t]*=/ { k = $0; sub(/[ \t]*=.*/, "", k); print k }' "$1/lab.ini"
}

count() { ls "$1"/*.c 2>/dev/null | wc -l; }

# gates_readme LAB_DIR: "gate points" of the README's "What is graded" table, sorted.
gates_readme() {
	awk '/^## What is graded/ { in_table = 1; next } /^## / { in_table = 0 }
		in_table && /^\| [a-z]+ \| [0-9]+ \|/ { print $2, $4 }' "$1/README.md" | sort
}

for d in labs/*/; do
	id=$(basename "$d")
	sol=solutions/$id
	alts=$(count "$sol/alt")
	[ "$alts" -ge 2 ]
	ok $? "$id: $alts alternatives in $sol/alt (at least 2)"
	wrongs=$(count "$sol/wrong")
	[ "$wrongs" -ge 4 ]
	ok $? "$id: $wrongs wrong fixes in $sol/wrong (at least 4)"
	missing=""
	for w in "$sol"/wrong/*.c; do
		[ -e "$w" ] || continue
		name=$(basename "$w" .c)
		wrong_keys "$d" | grep -qx -- "$name" || missing="$missing $name"
	done
	[ -z "$missing" ]
	ok $? "$id: every wrong fix has its expected verdict in lab.ini [wrong]${missing:+ (missing:$missing)}"
	[ "$(lab_gates "${id%%-*}" | sort)" = "$(gates_readme "$d")" ]
	ok $? "$id: README's \"What is graded\" lists lab.ini's gates and points"
done
echo "1..$n"
