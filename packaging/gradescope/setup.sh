#!/bin/sh
# setup.sh: Gradescope builds its image with this: racelab's tools (the README's install step), then racelab.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
sh "$here/racelab/harness/scripts/install-deps.sh"
make -C "$here/racelab"
