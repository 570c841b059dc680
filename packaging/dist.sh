#!/bin/sh
# dist.sh: dist/racelab-learner.tar.gz: what a learner gets: the labs and the harness, without solutions/.
set -eu
cd "$(dirname "$0")/.."
mkdir -p dist
git ls-files | grep -v -e '^solutions/' -e '^packaging/' -e '^\.devcontainer/' -e '^harness/tests/' -e '^\.ci/' |
	tar -czf dist/racelab-learner.tar.gz --transform 's|^|racelab/|' -T -
echo "dist/racelab-learner.tar.gz: $(tar -tzf dist/racelab-learner.tar.gz | wc -l) files, no solutions"
