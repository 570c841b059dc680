#!/bin/sh
# make-workflow.sh NN: a GitHub Classroom autograding workflow for lab NN on stdout, one graded step per gate.
# racelab grades once into racelab.json; each gate's step passes when that gate passed, for its points.
set -eu
cd "$(dirname "$0")/../.."
lab=$(basename "$(ls -d labs/"$1"-* labs/"$1" 2>/dev/null | head -1)")
[ -n "$lab" ] && [ -f "labs/$lab/lab.ini" ] || { echo "no lab $1" >&2; exit 1; }
# name points, for every gate lab.ini turns on
gates=$(awk -F'[ =]+' '/^\[/ { s = $0; next } s == "[gates]" && NF >= 2 && $1 !~ /^;/ { print $1, $2 }' "labs/$lab/lab.ini")
cat <<YAML
# classroom.yml: GitHub Classroom autograding for $lab (made by packaging/github-classroom/make-workflow.sh).
# Partial credit: one step per racelab gate, worth that gate's points in labs/$lab/lab.ini.
name: Autograding Tests
'on': [push, repository_dispatch]
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    steps:
    - name: Checkout code
      uses: actions/checkout@v4
    - name: Install racelab's tools and grade
      # A submission that loses points exits 1 or 2: the steps below read racelab.json for each gate.
      run: |
        sudo sh harness/scripts/install-deps.sh
        make
        bin/racelab grade --lab $lab --src labs/$lab --format json --out racelab.json || true
YAML
echo "$gates" | while read -r name points; do
	cat <<YAML
    - name: $name
      id: $name
      uses: classroom-resources/autograding-command-grader@v1
      with:
        test-name: $name
        command: jq -e '.gates[] | select(.name == "$name") | .status == "pass"' racelab.json
        timeout: 1
        max-score: $points
YAML
done
env=$(echo "$gates" | awk '{ printf "        %s_RESULTS: \"${{steps.%s.outputs.result}}\"\n", toupper($1), $1 }')
runners=$(echo "$gates" | awk '{ printf "%s%s", (NR > 1 ? "," : ""), $1 }')
cat <<YAML
    - name: Autograding Reporter
      uses: classroom-resources/autograding-grading-reporter@v1
      env:
$env
      with:
        runners: $runners
YAML
