#!/bin/sh
# build.sh NN: dist/gradescope-NN.zip: setup.sh and run_autograder at its root, racelab's sources (no solutions) beside them.
set -eu
cd "$(dirname "$0")/../.."
lab=$(basename "$(ls -d labs/"$1"-* labs/"$1" 2>/dev/null | head -1)")
[ -n "$lab" ] && [ -d "labs/$lab" ] || { echo "no lab $1 (make gradescope LAB=NN)" >&2; exit 1; }
num=${lab%%-*}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/racelab" dist
git ls-files Makefile README.md harness labs docs | tar -cf - -T - | tar -xf - -C "$stage/racelab"
cp packaging/gradescope/setup.sh packaging/gradescope/run_autograder "$stage/"
chmod +x "$stage/setup.sh" "$stage/run_autograder"
echo "$lab" >"$stage/lab"
rm -f "dist/gradescope-$num.zip"
(cd "$stage" && zip -qr - .) >"dist/gradescope-$num.zip"
echo "dist/gradescope-$num.zip: Gradescope autograder for $lab"
