#!/bin/sh
# without.sh: run a command as on a machine that lacks some programs or libc6-dbg, to see (and quote) what racelab says there.
#
# usage: harness/scripts/without.sh NAME[,NAME...] COMMAND [ARG...]
#   e.g. harness/scripts/without.sh valgrind bin/racelab check 11
#        harness/scripts/without.sh libc6-dbg bin/racelab check 21     (as root)
#
# A NAME is a program: COMMAND runs with PATH set to a temporary folder of links to every
# program on PATH but the named ones, so neither it nor anything it starts finds them.
# The NAME libc6-dbg hides glibc's debug symbols instead: COMMAND runs in a mount namespace
# of its own where /usr/lib/debug is an empty tmpfs (root only). Nothing on the machine changes.
set -u
[ $# -ge 2 ] || { echo "usage: $0 NAME[,NAME...] COMMAND [ARG...]" >&2; exit 2; }
hide=$1
shift
case ",$hide," in *,libc6-dbg,*)
	if [ -z "${RACELAB_WITHOUT_DEBUG:-}" ]; then
		[ "$(id -u)" -eq 0 ] || { echo "without.sh: hiding libc6-dbg needs root (a mount namespace)" >&2; exit 2; }
		RACELAB_WITHOUT_DEBUG=1 exec unshare -m --propagation private sh "$0" "$hide" "$@"
	fi
	mount -t tmpfs -o ro racelab-no-debug /usr/lib/debug || exit 2
	;;
esac
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
