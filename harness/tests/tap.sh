# tap.sh: what every *.t.sh shares (sourced): its TAP lines, and a look for processes left behind.

# ok STATUS DESCRIPTION: one TAP line, numbered in $n.
n=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}

# leftovers DIR: every process whose command line or working folder is under DIR, but the caller's.
leftovers() {
	for p in /proc/[0-9]*; do
		[ "${p#/proc/}" = "$$" ] && continue
		if tr '\0' ' ' 2>/dev/null <"$p/cmdline" | grep -q "$1" || readlink "$p/cwd" 2>/dev/null | grep -q "^$1"; then
			echo "${p#/proc/}: $(tr '\0' ' ' 2>/dev/null <"$p/cmdline")"
		fi
	done
}

# lab_gates NN: the gates of lab NN in lab.ini's order, one "name points" a line; lab_points NN: their sum.
lab_gates() {
	awk -F'[ \t=;]+' '/^\[/ { s = $1; next } s == "[gates]" && $1 != "" && $2 != "" { print $1, $2 }' labs/"$1"-*/lab.ini
}
lab_points() { lab_gates "$1" | awk '{ s += $2 } END { print s }'; }
