#!/bin/sh
# install-deps.sh: install what racelab needs on Debian or Ubuntu, or say exactly how.
set -u

# The tools racelab drives, the libraries it is built with (libmicrohttpd and libcurl: racelab serve and
# check --report-to), and tmux for the tests of racelab watch.
pkgs="gcc make pkg-config clang gdb valgrind libc6-dbg check libsubunit-dev libinih-dev libjansson-dev libxml2-dev libyaml-dev libcsv-dev nettle-dev libmicrohttpd-dev libcurl4-openssl-dev git zip unzip jq libxml2-utils tmux"

# What the project's own tests add (install-deps.sh test; make test asks for it): headless Chromium
# and chromedriver (racelab serve's page), a single-node Slurm (grade-class --slurm), and strace (what
# check --report-to sends). What make image adds (install-deps.sh image): podman, runc and mmdebstrap.
test_pkgs="chromium chromium-driver slurmctld slurmd slurm-client strace"
image_pkgs="podman runc mmdebstrap"
extra=""
for group in "$@"; do
	case $group in
	test) extra="$extra $test_pkgs" ;;
	image) extra="$extra $image_pkgs" ;;
	*) echo "usage: install-deps.sh [test] [image]" >&2; exit 2 ;;
	esac
done

# clang's ThreadSanitizer runtime ships apart from clang on Debian 12 and recent Ubuntu.
rt_pkg() {
	v=$(clang --version 2>/dev/null | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -1)
	if [ -n "$v" ] && apt-cache show "libclang-rt-$v-dev" >/dev/null 2>&1; then
		echo "libclang-rt-$v-dev"
	elif apt-cache show libclang-rt-dev >/dev/null 2>&1; then
		echo libclang-rt-dev
	fi
}

missing() {
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "ok installed" || printf '%s ' "$p"
	done
}

need=$(missing $pkgs $extra $(rt_pkg))
[ -z "$need" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
	echo "racelab needs: $need"
	echo "This is not a Debian or Ubuntu machine: install their equivalents with your package manager."
	exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
	run=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	run="sudo"
else
	echo "racelab needs packages this machine lacks. Run:"
	echo
	echo "  sudo apt-get update && sudo apt-get install -y $need"
	echo
	echo "then run the same make command again."
	exit 1
fi

echo "Installing: $need"
export DEBIAN_FRONTEND=noninteractive
$run apt-get update -qq || exit 1
$run apt-get install -y -qq $need >/dev/null || exit 1
# The runtime's name depends on the clang version, known only once clang is in.
rest=$(missing $(rt_pkg))
[ -z "$rest" ] || $run apt-get install -y -qq $rest >/dev/null || exit 1
echo "Installed."
