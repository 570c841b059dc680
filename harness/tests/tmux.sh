# tmux.sh: drive `racelab watch` as a learner would, in a detached tmux session (sourced by watch.t.sh and bench-watch.sh).
# Needs: root (the project's top folder). Sets tw (a temp copy of the project) and tw_tmux (the session's tmux).

# A copy of the project to edit freely: its own labs, progress file and temp folder.
tw_setup() {
	tw=$(mktemp -d "${TMPDIR:-/tmp}/racelab-watch.XXXXXX")
	mkdir -p "$tw/tree" "$tw/state" "$tw/tmp"
	cp -r "$root/bin" "$root/labs" "$root/solutions" "$root/harness" "$tw/tree/"
	tw_tmux="tmux -S $tw/tmux.sock"
}

tw_cleanup() {
	[ -n "${tw:-}" ] || return 0
	$tw_tmux kill-server 2>/dev/null
	rm -rf "$tw"
}

# Start session $1 running `racelab $2...` at a fixed size, tall enough for a whole verdict of seven gates; when racelab ends, its exit code
# and the terminal's mode (stty -a) are kept in $tw/$1.rc and $tw/$1.stty.
tw_start() {
	s=$1
	shift
	rm -f "$tw/$s.rc" "$tw/$s.stty"
	$tw_tmux new-session -d -s "$s" -x 120 -y 100 \
		"env RACELAB_ROOT=$tw/tree RACELAB_STATE=$tw/state TMPDIR=$tw/tmp $tw/tree/bin/racelab $*; \
		 echo \$? >$tw/$s.rc.tmp; stty -a >$tw/$s.stty; mv $tw/$s.rc.tmp $tw/$s.rc; sleep 600"
}

# The screen of session $1, long lines joined.
tw_cap() {
	$tw_tmux capture-pane -p -J -t "$1"
}

# Wait up to $2 seconds until session $1's screen shows every fixed string $3, $4, ...; 0 if it did.
tw_wait() {
	s=$1
	end=$(($(date +%s) + $2))
	shift 2
	while [ "$(date +%s)" -le "$end" ]; do
		tw_cap "$s" >"$tw/screen"
		all=1
		for want in "$@"; do
			grep -qF -- "$want" "$tw/screen" || all=0
		done
		[ $all = 1 ] && return 0
		sleep 0.1
	done
	return 1
}

# Wait up to $2 seconds for racelab in session $1 to end; 0 if it did.
tw_wait_exit() {
	end=$(($(date +%s) + $2))
	while [ "$(date +%s)" -le "$end" ]; do
		[ -e "$tw/$1.rc" ] && return 0
		sleep 0.1
	done
	return 1
}

# Save the solution of lab 11 over the learner's file, as an editor would; print the seconds
# until session $1 shows check $2's fast gates passing (or "none" after $3 seconds).
tw_flip() {
	t0=$(date +%s.%N)
	cp "$tw/tree/solutions/11-lost-update/counter.c" "$tw/tree/labs/11-lost-update/counter.c"
	if tw_wait "$1" "$3" "(check $2)" "fast gates pass"; then
		awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f\n", b - a }'
	else
		echo none
	fi
}
