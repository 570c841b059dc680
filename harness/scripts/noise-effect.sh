#!/bin/sh
# noise-effect.sh: how often a lab's stress build fails with the schedule noise and without it, runs interleaved.
#
# usage: sh harness/scripts/noise-effect.sh LAB SRC_DIR [RUNS]
# Builds SRC_DIR's file for LAB as racelab does (racelab grade, RACELAB_KEEP=1), then runs its
# stress binary RUNS times (default 20) with RACELAB_NOISE_SEED=i and RUNS times with the noise
# off (RACELAB_NOISE_SEED=0), one of each in turn so that both see the same machine load.
# Prints how many runs of each failed and their median time. docs/tools.md quotes it.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
[ $# -ge 2 ] && [ -d "$2" ] || { echo "usage: noise-effect.sh LAB SRC_DIR [RUNS]" >&2; exit 2; }
runs=${3:-20}
err=$(mktemp)
RACELAB_KEEP=1 "$root/bin/racelab" grade --lab "$1" --src "$2" --format json >/dev/null 2>"$err"
work=$(sed -n 's/^racelab: kept //p' "$err")
rm -f "$err"
[ -x "$work/stress" ] || { echo "noise-effect.sh: no stress build (is the stress gate on for $1?)" >&2; exit 2; }
trap 'rm -rf "$work"' EXIT

# once SEED: one run of the suite as the gate runs it; prints "failed|passed SECONDS".
once() {
	d=$(mktemp -d "$work/run.XXXXXX")
	t0=$(date +%s.%N)
	(cd "$d" && env -i PATH="$PATH" CK_XML_LOG_FILE_NAME="$d/check.xml" CK_FORK=yes RACELAB_TOOL= \
		RACELAB_NOISE_SEED="$1" timeout 120 "$work/stress" >/dev/null 2>&1)
	rc=$?
	t1=$(date +%s.%N)
	echo "$([ $rc -eq 0 ] && echo passed || echo failed) $(echo "$t1 - $t0" | bc)"
}

: >"$work/noise" && : >"$work/quiet"
i=1
while [ "$i" -le "$runs" ]; do
	once "$i" >>"$work/noise"
	once 0 >>"$work/quiet"
	i=$((i + 1))
done
for kind in noise quiet; do
	failed=$(grep -c '^failed' "$work/$kind")
	median=$(cut -d' ' -f2 "$work/$kind" | sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", v[int((NR + 1) / 2)] }')
	echo "$kind: $failed of $runs runs failed, median ${median} s"
done
