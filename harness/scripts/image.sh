#!/bin/sh
# image.sh: packaging/docker's image built for real with podman, then `make prove` run inside it (make image).
# No registry is needed: the Dockerfile's base (debian:bookworm) is made here with mmdebstrap from Debian's
# packages and imported as BASE; `podman build --from BASE` substitutes only that line. Prints the image's
# size and how long make prove took in it; exits with make prove's code.
set -u
cd "$(dirname "$0")/../.." || exit 2
base=${BASE:-localhost/racelab-base:bookworm}
image=${IMAGE:-localhost/racelab:local}
for c in podman mmdebstrap; do
	command -v $c >/dev/null 2>&1 || { echo "image.sh: $c is missing (harness/scripts/install-deps.sh image installs it)"; exit 1; }
done
t=$(mktemp -d "${TMPDIR:-/var/tmp}/racelab-image.XXXXXX")
trap 'rm -rf "$t"' EXIT
trap 'exit 1' INT TERM

# What this kind of machine needs of podman (docs/packaging.md, "Building the image here"):
# - crun, podman's default runtime, refuses cgroups mounted in hybrid mode (v1 controllers beside a
#   v2 tree with a controller of its own); runc runs there.
# - Without CAP_SYS_RESOURCE no limit can be raised, while podman asks for 1048576 open files and
#   32768 processes: ask for what this shell has instead.
runtime=""
if [ "$(stat -fc %T /sys/fs/cgroup)" = tmpfs ] && command -v runc >/dev/null 2>&1; then
	runtime="--runtime runc"
fi
limits=""
nofile=$(awk '/^Max open files/ { print $5 }' /proc/self/limits)
nproc=$(awk '/^Max processes/ { print $4 }' /proc/self/limits)
[ "$nofile" = unlimited ] || limits="--ulimit nofile=$nofile:$nofile"
[ "$nproc" = unlimited ] || { [ "$nproc" -gt 32768 ] && nproc=32768; limits="$limits --ulimit nproc=$nproc:$nproc"; }

# The base: Debian 12 as the official image has it (minbase, with bookworm-updates and the security
# archive, which mmdebstrap adds for a stable release), made once and kept.
if ! podman image exists "$base"; then
	echo "making $base with mmdebstrap (once)"
	mmdebstrap --quiet --variant=minbase bookworm "$t/base.tar" || exit 1
	podman import --quiet --change 'CMD ["bash"]' "$t/base.tar" "$base" >/dev/null || exit 1
fi

start=$(date +%s)
# shellcheck disable=SC2086 # runtime and limits are lists of flags
podman $runtime build --quiet --from "$base" --network host $limits -f packaging/docker/Dockerfile -t "$image" . >"$t/build.log" 2>&1
rc=$?
built=$(($(date +%s) - start))
[ $rc -eq 0 ] || { tail -30 "$t/build.log"; echo "podman build failed (exit $rc)"; exit 1; }
size=$(podman image inspect "$image" --format '{{.Size}}')
bsize=$(podman image inspect "$base" --format '{{.Size}}')
echo "built $image from $base in $built s: $((size / 1000000)) MB (the base $((bsize / 1000000)) MB)"

# As the README says to run it: ptrace for gdb and Valgrind, personality() for ThreadSanitizer.
start=$(date +%s)
# shellcheck disable=SC2086
podman $runtime run --rm --network none $limits --cap-add=SYS_PTRACE --security-opt seccomp=unconfined \
	"$image" make prove >"$t/prove.log" 2>&1
rc=$?
took=$(($(date +%s) - start))
tail -3 "$t/prove.log"
echo "make prove inside $image: exit $rc in $took s ($((took / 60)) min $((took % 60)) s)"
[ $rc -eq 0 ] || tail -40 "$t/prove.log"
exit $rc
