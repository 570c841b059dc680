#!/bin/sh
# shipped.t.sh: the file a kata ships is part of the kata (labs/NN-slug/.shipped/), whatever the learner did first:
# it is the committed broken file, racelab reset puts it back, and racelab prove proves it after an early edit.
set -u
cd "$(dirname "$0")/../.." || exit 2
. harness/tests/tap.sh

edit_of() { sed -n 's/^edit *= *\([^ ;]*\).*/\1/p' "$1/lab.ini"; }

for d in labs/*/; do
	id=$(basename "$d")
	edit=$(edit_of "$d")
	if git rev-parse --git-dir >/dev/null 2>&1 && git cat-file -e "HEAD:labs/$id/$edit" 2>/dev/null; then
		git show "HEAD:labs/$id/$edit" | cmp -s - "$d.shipped/$edit"
	else
		cmp -s "$d$edit" "$d.shipped/$edit"
	fi
	ok $? "$id: .shipped/$edit is the committed broken file"
done

# A learner who edits kata 11 before any racelab command, in a tree of their own.
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/harness"
cp -r labs solutions bin "$root/"
cp -r harness/runtime harness/gdb "$root/harness/"
file="$root/labs/11-lost-update/counter.c"
printf '/* my first try */\n' >>"$file"
RACELAB_ROOT="$root" bin/racelab reset 11 >/dev/null 2>&1
cmp -s "$file" labs/11-lost-update/.shipped/counter.c
ok $? "an edit made before any racelab command: racelab reset 11 restores the shipped bytes"
printf '/* my second try */\n' >>"$file"
RACELAB_ROOT="$root" bin/racelab prove 11 >"$root/prove.out" 2>&1
ok $? "racelab prove 11 still proves, with the learner's edited file in place"
grep -q "my second try" "$file"
ok $? "and prove left the learner's file as it was"
