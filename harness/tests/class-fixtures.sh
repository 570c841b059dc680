#!/bin/sh
# class-fixtures.sh DIR: a class of submissions for 11-lost-update, one folder each, with what each should score.
# 30 folders by default. Writes DIR/expected: "id class" lines; class is full (100), partial (some points, tsan and helgrind
# fail), low (5 or less: the build at most), zero (0), or below (less than full marks).
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
lab=$root/labs/11-lost-update
sol=$root/solutions/11-lost-update
dir=$1
mkdir -p "$dir"
: >"$dir/expected"

sub() { # sub ID CLASS [FILE]: a folder with FILE as counter.c (none: an empty folder)
	mkdir -p "$dir/$1"
	[ $# -lt 3 ] || cp "$3" "$dir/$1/counter.c"
	echo "$1 $2" >>"$dir/expected"
}

# The solution's counter_inc, with something else first: the rest of the file is the solution's.
variant() { # variant ID CLASS HEADER BODY
	mkdir -p "$dir/$1"
	printf '%s\n' "$3" >"$dir/$1/counter.c"
	printf 'static void before(void)\n{\n\t%s\n}\n\n' "$4" >"$dir/$1/before.inc"
	awk -v inc="$dir/$1/before.inc" '/^void counter_inc\(struct counter \*c\)$/ {
		while ((getline l < inc) > 0) print l
		print; getline; print; print "\tbefore();"; next } { print }' "$sol/counter.c" >>"$dir/$1/counter.c"
	rm "$dir/$1/before.inc"
	echo "$1 $2" >>"$dir/expected"
}

# Graded in full: a few copies of each (FIXED=, BROKEN= for more).
for i in $(seq -w 1 "${FIXED:-4}"); do sub "fixed-$i" full "$sol/counter.c"; done
for i in $(seq -w 1 "${BROKEN:-3}"); do sub "broken-$i" partial "$lab/counter.c"; done
for w in "$sol"/wrong/*.c; do
	for i in 1 2; do sub "wrong-$(basename "$w" .c)-$i" partial "$w"; done
done
sub extra-files full "$sol/counter.c"
echo "notes" >"$dir/extra-files/README.txt"

# What a real class also hands in, and costs only the build: nothing, the wrong name, no C.
sub empty zero
sub empty-file zero /dev/null
for name in Counter.c counter.cpp main.c; do
	mkdir -p "$dir/misnamed-$name"
	cp "$sol/counter.c" "$dir/misnamed-$name/$name"
	echo "misnamed-$name zero" >>"$dir/expected"
done
mkdir -p "$dir/nested-folder/lab11" # the right file, one folder too deep
cp "$sol/counter.c" "$dir/nested-folder/lab11/"
echo "nested-folder zero" >>"$dir/expected"
for i in 1 2 3; do
	sub "syntax-error-$i" zero "$sol/counter.c"
	echo "this is not C $i" >>"$dir/syntax-error-$i/counter.c"
done
for f in counter_get counter_inc; do # links no more: one function is missing
	mkdir -p "$dir/missing-$f"
	awk -v f="$f" '$0 ~ "^(void|long) " f "\\(" { skip = 1 } skip && /^}/ { skip = 0; next } !skip' \
		"$sol/counter.c" >"$dir/missing-$f/counter.c"
	echo "missing-$f zero" >>"$dir/expected"
done

# Hostile ones: each must lose its points and change nobody else's (HOSTILE=no: none, for timing).
[ "${HOSTILE:-yes}" = no ] && exit 0
# Forks without end only inside a pids cgroup racelab made (capped); elsewhere a bounded 100, then hangs.
variant fork-bomb low '#include <stdio.h>
#include <string.h>
#include <unistd.h>' 'char l[512]; int capped = 0; FILE *f = fopen("/proc/self/cgroup", "r"); while (f && fgets(l, sizeof l, f)) capped |= strstr(l, "/racelab-") != NULL; if (f) fclose(f); for (int i = 0; capped || i < 100; i++) if (fork() == 0 && !capped) for (;;) pause(); for (;;) pause();'
variant infinite-loop low '' 'for (volatile int spin = 1; spin;) ;'
variant parent-killer low '#include <signal.h>
#include <unistd.h>' 'kill(getppid(), SIGKILL);'
# Fills the folder it runs in, 16 MiB a file, while the folder is a tmpfs (racelab's private one);
# elsewhere it writes one file past the 64 MiB a run may write (SIGXFSZ), never a whole disk.
variant disk-filler below '#include <stdio.h>
#include <stdlib.h>
#include <sys/vfs.h>' 'static int done; struct statfs fs; if (done++) return; int tmpfs = statfs(".", &fs) == 0 && fs.f_type == 0x01021994; size_t size = tmpfs ? 16u << 20 : 80u << 20; char *b = calloc(1, size); for (int i = 0; i < (tmpfs ? 1000 : 1); i++) { char n[32]; snprintf(n, sizeof n, "fill-%d", i); FILE *f = fopen(n, "w"); if (!f) break; size_t w = fwrite(b, 1, size, f); if (fclose(f) != 0 || w < size) break; } free(b);'
# kill(-1) ends every process it may signal: only ever sent when pid 1 is racelab's own init,
# that is inside the PID namespace racelab gives each run; elsewhere it kills its parent.
variant kill-all low '#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>' 'char comm[32] = ""; FILE *f = fopen("/proc/1/comm", "r"); if (f) { if (!fgets(comm, sizeof comm, f)) comm[0] = 0; fclose(f); } kill(strcmp(comm, "racelab\n") ? getppid() : -1, SIGKILL);'
