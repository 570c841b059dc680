# room.sh: what room.t.sh and bench-room.sh share (sourced): racelab serve started and stopped by its pid, and checks to post.
# Needs: $t (the caller's temp folder), run from the project's top folder.

serve_pid=""

# serve_start ROOM TOKEN: racelab serve on a free port of loopback; sets serve_pid, port and url.
serve_start() {
	rm -f "$t/serve.out" # not to read the port of a server started before
	bin/racelab serve --port 0 --room "$1" --token "$2" >"$t/serve.out" 2>"$t/serve.err" &
	serve_pid=$!
	port=""
	for _ in $(seq 100); do
		port=$(sed -n 's|^racelab serve: the room is at http://[^:]*:\([0-9]*\)/.*|\1|p' "$t/serve.out")
		[ -n "$port" ] && break
		kill -0 "$serve_pid" 2>/dev/null || break
		sleep 0.1
	done
	url=http://127.0.0.1:$port
	[ -n "$port" ]
}

# serve_stop: stop the server this script started (SIGTERM to its pid); its exit code.
serve_stop() {
	[ -n "$serve_pid" ] || return 0
	kill "$serve_pid" 2>/dev/null
	wait "$serve_pid"
	rc=$?
	serve_pid=""
	return $rc
}

# gates_of LAB: the lab's gates and points as JSON, {"build": 5, "tests": 25, ...}, from its lab.ini.
gates_of() {
	awk '/^\[/ { on = ($0 == "[gates]") } on && /=/ { gsub(/[ \t]/, ""); split($0, kv, "="); printf "%s\"%s\": %s", (n++ ? ", " : "{"), kv[1], kv[2] }
		END { print "}" }' "labs/$1/lab.ini"
}

# check_body NAME LAB FAILING: a check as racelab check posts it, the gates named in FAILING
# (blank-separated, e.g. "tsan helgrind") failed and the others passed, scored by the lab's points.
check_body() {
	jq -cn --arg name "$1" --arg lab "$2" --arg failing "$3" --argjson points "$(gates_of "$2")" '
		($failing | split(" ") | map(select(. != ""))) as $f
		| { name: $name, lab: $lab, max_score: ($points | add),
		    score: ([$points | to_entries[] | select(.key as $k | $f | index($k) | not) | .value] | add // 0),
		    gates: [$points | to_entries[] | { name: .key, status: (if (.key as $k | $f | index($k)) then "fail" else "pass" end) }] }'
}

# post BODY [TOKEN]: POST BODY to the room as a learner; prints the HTTP status, the answer in $t/answer.
post() {
	curl -s -o "$t/answer" -w '%{http_code}' -H "Authorization: Bearer ${2-$room_token}" \
		-H 'Content-Type: application/json' --data-binary "$1" "$url/api/results"
}
