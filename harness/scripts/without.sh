#!/bin/sh
# without.sh: run a command as on a machine that lacks some programs, to see (and quote) what racelab says there.
#
# usage: harness/scripts/without.sh PROGRAM[,PROGRAM...] COMMAND [ARG...]
#   e.g. harness/scripts/without.sh valgrind bin/racelab check 11
#
# COMMAND runs with PATH set to a temporary folder of links to every program on PATH but the
# named ones, so neither it nor anything it starts finds them. Nothing on the machine changes.
set -u
[ $# -ge 2 ] || { echo "usage: $0 PROGRAM[,PROGRAM...] COMMAND [ARG...]" >&2; exit 2; }
hide=$1
shift
dir=$(mktemp -d "${TMPDIR:-/tmp}/racelab-without.XXXXXX") || exit 2
trap 'rm -rf "$dir"' EXIT
# The first of PATH's folders to have a name wins, as for the shell: ln leaves a taken name alone.
old_ifs=$IFS
IFS=:
for d in $PATH; do
	[ -d "$d" ] && ln -s "$d"/* "$dir"/ 2>/dev/null
done
IFS=,
for p in $hide; do
	[ -n "$p" ] && rm -f "$dir/$p"
done
IFS=$old_ifs
PATH=$dir "$@"
