#!/bin/sh
# unprivileged.t.sh: racelab run by another user than root (an instructor's laptop): each run
# still gets its own PID namespace, inside a user namespace, so code that kills its parent or
# sends kill(-1) ends only its run, the grades repeat, and the watchdog still sees a deadlock.
set -u
cd "$(dirname "$0")/../.." || exit 2
. harness/tests/tap.sh

user=nobody
as_user() { setpriv --reuid="$user" --regid="$(id -g "$user")" --clear-groups -- "$@"; }
if [ "$(id -u)" -ne 0 ] || ! command -v setpriv >/dev/null ||
	! as_user unshare -U --map-current-user -p -f true 2>/dev/null; then
	echo "ok 1 - # SKIP needs root, setpriv, and user namespaces open to every user"
	echo "1..1"
	exit 0
fi

t=$(mktemp -d "${TMPDIR:-/tmp}/racelab-unpriv.XXXXXX")
trap 'rm -rf "$t"' EXIT
# A copy the user may read, and a temporary folder it may write.
mkdir "$t/r" "$t/tmp"
tar --exclude=.git -cf - . | tar -xf - -C "$t/r"
sh harness/tests/class-fixtures.sh "$t/all" >/dev/null
mkdir "$t/subs"
for id in fixed-1 broken-1 parent-killer kill-all; do cp -r "$t/all/$id" "$t/subs/"; done
chmod -R a+rX "$t"
chmod 1777 "$t/tmp"
chown -R "$user" "$t/tmp"
mkdir "$t/out" && chown "$user" "$t/out"

for run in 1 2; do
	(cd "$t/r" && TMPDIR=$t/tmp as_user bin/racelab grade-class --lab 11 "$t/subs" --jobs 2 \
		--csv "$t/out/book$run.csv" --out "$t/out/res$run" 2>"$t/out/err$run")
	ok $? "run $run as $user: grade-class exits 0 ($(head -c 200 "$t/out/err$run"))"
done
# A row: id, score, the lab's points, build's status, then one status a gate after it (lab.ini's order).
points=$(lab_points 11)
fails=$(lab_gates 11 | awk 'NR > 1 { printf "fail," }')
for id in parent-killer kill-all; do
	for run in 1 2; do
		grep -q "^$id,$(lab_gates 11 | awk '$1 == "build" { print $2 }'),$points,pass,$fails" "$t/out/book$run.csv"
		ok $? "run $run as $user, $id: its grading survived, the build passed, every other gate failed ($(grep "^$id," "$t/out/book$run.csv"))"
	done
done
grep -q "^fixed-1,$points,$points," "$t/out/book1.csv"
ok $? "fixed-1 as $user: full marks ($(grep '^fixed-1,' "$t/out/book1.csv"))"
left=$(leftovers "$t")
ok $([ -z "$left" ] && echo 0 || echo 1) "no process left under the test's folders $left"

# The watchdog's gdb attaches from outside the run's user and PID namespaces.
(cd "$t/r" && TMPDIR=$t/tmp as_user bin/racelab prove 21 >"$t/out/prove" 2>&1)
ok $? "racelab prove 21 as $user: the deadlock's cycle named, helgrind's lock order found: $(grep -A1 '^21' "$t/out/prove" | tr '\n' ' ')"
echo "1..$n"
