# sched-files.sh: what the schedules benches share (sourced): the katas with the gate and the files that stand for their broken code.

# The katas whose lab.ini enables the schedules gate, as numbers.
sched_labs() { grep -l '^schedules *=' labs/*/lab.ini | sed 's|labs/\([0-9]*\)-.*|\1|'; }

# The file a kata's learner edits.
edit_of() { sed -n 's/^edit *= *\([^ ;]*\).*/\1/p' labs/$1-*/lab.ini; }

# The call named by racelab replay's output FILE when the scheduler cannot explore the code ("read()"), or nothing.
unexplored_in() { sed -n 's/.* calls \([a-z_]*()\), which the scheduler does not model.*/\1/p' "$1"; }

# each_broken LAB FN: FN LAB FILE LABEL on the kata's shipped file. FN sets unexplored when the
# scheduler cannot explore it (kata 53's pthread_cancel); then the wrong fixes that lab.ini says
# the gate rejects stand in for the broken code, each in turn.
each_broken() {
	"$2" "$1" "$(ls labs/$1-*/"$(edit_of "$1")")" broken
	[ -n "$unexplored" ] || return 0
	echo "$1 broken: not explored (it calls $unexplored); the wrong fixes the gate rejects instead:"
	for w in $(sed -n '/^\[wrong\]/,/^\[/s/^\([a-z0-9-]*\) *= *schedules:.*/\1/p' labs/$1-*/lab.ini); do
		"$2" "$1" solutions/$1-*/wrong/$w.c "wrong/$w.c"
	done
}
