#!/bin/sh
# watch.t.sh: racelab watch as a learner uses it, in tmux: verdict, save, fast gates flip, keys, Ctrl-C, manual mode.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/harness/tests/tmux.sh"
. "$root/harness/tests/tap.sh"
# stty -a shows "icanon echo", not "-icanon -echo", in the mode racelab started in.
restored() { grep -qE '(^| )icanon( |$)' "$1" && grep -qE '(^| )echo( |$)' "$1"; }
screen() { echo "---- screen: $1 ----" >&2; tw_cap "$2" >&2; echo "---- end ----" >&2; }

if ! command -v tmux >/dev/null 2>&1; then
	echo "not ok 1 - tmux is not installed (harness/scripts/install-deps.sh installs it)"
	exit 0
fi
tw_setup
trap tw_cleanup EXIT

# 1. The shipped (broken) code: the first verdict fails.
tw_start w watch 11
tw_wait w 180 "(check 1)" " points: " "keys: h hint"
ok $? "watch 11 shows a first verdict"
screen "before the save" w
grep -qF "$(lab_points 11)/$(lab_points 11) points" "$tw/screen"
[ $? != 0 ] && grep -qF "FAIL" "$tw/screen"
ok $? "the shipped code fails"

# 2. Save the fix: the fast gates (build, tests) flip to pass.
secs=$(tw_flip w 2 30)
screen "after the save (fast gates)" w
[ "$secs" != none ]
ok $? "after a save the fast gates flip to pass (within 30 s)"
echo "# fast gates flipped $secs s after the save (make bench-watch measures the median)"

# 3. Every gate passes: progress is recorded and the watch moves on to the next kata.
tw_wait w 180 "$(lab_points 11)/$(lab_points 11) points" "On to the next kata" "(check 3)" "12-double-claim"
ok $? "when the lab passes, watch moves on to the next unfinished kata"
screen "after the pass" w
grep -A1 '^\[11-lost-update\]' "$tw/state/progress.ini" | grep -q "status = passed"
ok $? "progress.ini records the pass"

# 4. Keys: h shows the next hint, l the list.
tw_wait w 180 "(check 3)" "keys: h hint" >/dev/null
$tw_tmux send-keys -t w h
tw_wait w 10 "Hint 1 of"
ok $? "h shows Hint 1 of N"

$tw_tmux send-keys -t w l
tw_wait w 10 "katas passed." "11-lost-update           passed"
ok $? "l lists the katas with their progress"

# 5. A save during a check stops it; the new check runs to its verdict.
$tw_tmux send-keys -t w r
tw_wait w 20 "(check 4)"
# Saved as many editors do: a new file beside it, renamed over it.
cp "$tw/tree/labs/12-double-claim/jobs.c" "$tw/tree/labs/12-double-claim/.jobs.c.new"
mv "$tw/tree/labs/12-double-claim/.jobs.c.new" "$tw/tree/labs/12-double-claim/jobs.c"
tw_wait w 120 "(check 5)" " points: " "keys: h hint"
ok $? "a save by rename during a check starts a new one, which ends in a verdict"
sleep 1
tw_cap w | grep -qF "(check 5)"
ok $? "one save, one new check (the editor's temp file is not the lab's file)"

# 6. q quits, and the terminal is back in its own mode (canonical, echo).
$tw_tmux send-keys -t w q
tw_wait_exit w 20 && [ "$(cat "$tw/w.rc")" = 0 ]
ok $? "q quits (exit code 0)"
restored "$tw/w.stty"
ok $? "after q the terminal is restored (icanon echo)"

# 7. Manual mode: Enter re-checks; Ctrl-C in a check stops it, restores the terminal, leaves no temp folder.
tw_start m watch 12 --manual
tw_wait m 180 "(check 1)" " points: " "manual mode: after a save, press Enter"
ok $? "watch --manual shows a verdict and says how to re-check"
$tw_tmux send-keys -t m Enter
tw_wait m 30 "(check 2)" "PASS  build"
ok $? "in manual mode Enter re-checks"
$tw_tmux send-keys -t m C-c
tw_wait_exit m 20 && [ "$(cat "$tw/m.rc")" = 130 ]
ok $? "Ctrl-C during a check ends watch (exit code 130)"
restored "$tw/m.stty"
ok $? "after Ctrl-C the terminal is restored (icanon echo)"
sleep 1
[ -z "$(ls -A "$tw/tmp")" ]
ok $? "the cancelled check removed its temp folders"
ls -la "$tw/tmp" >&2

# 8. After the last kata passes, every kata is checked again before "all done" (a tree of two katas).
for d in "$tw/tree/labs/"*; do
	case $d in */11-lost-update | */12-double-claim) ;; *) rm -rf "$d" ;; esac
done
cp "$root/labs/11-lost-update/counter.c" "$tw/tree/labs/11-lost-update/counter.c"
cp "$tw/tree/solutions/12-double-claim/jobs.c" "$tw/tree/labs/12-double-claim/jobs.c"
printf '[11-lost-update]\nstatus = failed\nhints = 0\n\n[12-double-claim]\nstatus = passed\nhints = 0\n' >"$tw/state/progress.ini"
tw_start a watch 11
tw_wait a 180 "(check 1)" " points: " "keys: h hint" >/dev/null
cp "$tw/tree/solutions/11-lost-update/counter.c" "$tw/tree/labs/11-lost-update/counter.c"
tw_wait a 300 "Re-checking every kata" "(check 3, re-checking every kata)" "All 2 katas pass"
ok $? "after the last kata passes, watch checks every kata again, then says all done"
screen "all done" a
$tw_tmux send-keys -t a q
tw_wait_exit a 20
