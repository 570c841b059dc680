#!/bin/sh
# room.t.sh: racelab serve as a workshop uses it: real checks reported (the result sent, never code),
# every bad post refused with its status and the room file unchanged, posts at once all kept, the
# room read back after a restart, and the grid page in headless Chromium (chromedriver) matching
# /api/room, highlighting the stuck, updating itself and showing names as text. Processes stopped by pid.
set -u
cd "$(dirname "$0")/../.." || exit 2
t=$(mktemp -d "${TMPDIR:-/tmp}/racelab-roomtest.XXXXXX")
. harness/tests/tap.sh
. harness/tests/room.sh
room_token=room-test-token
cd_pid=""
cleanup() {
	serve_stop >/dev/null 2>&1
	if [ -n "$cd_pid" ]; then kill "$cd_pid" 2>/dev/null; wait "$cd_pid" 2>/dev/null; fi
	# A Chromium its chromedriver left (a session that failed): started by this test, its profile in $t.
	for p in $(leftovers "$t/profile" | cut -d: -f1); do kill "$p" 2>/dev/null; done
	rm -rf "$t"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

serve_start "$t/room" "$room_token"
ok $? "racelab serve starts on a free port and says where ($(head -1 "$t/serve.out"))"
code=$(curl -s -o "$t/page" -w '%{http_code} %{content_type}' "$url/")
[ "$code" = "200 text/html; charset=utf-8" ] && grep -q '<table id="grid">' "$t/page"
ok $? "GET / is the grid page ($code)"
[ "$(curl -s "$url/api/room" | jq -c .learners)" = "[]" ]
ok $? "GET /api/room of an empty room: no learners"

# ---- Real checks of kata 11 in a copy of the project, reported to the room ----
mkdir -p "$t/tree" "$t/state" "$t/tmp"
cp -r bin labs solutions harness "$t/tree/"
export RACELAB_ROOT="$t/tree" TMPDIR="$t/tmp"
RACELAB_STATE="$t/state" "$t/tree/bin/racelab" reset 11 >/dev/null
# The first as the options say, its sends to the network traced (strace: the main process, which posts).
if command -v strace >/dev/null 2>&1; then
	RACELAB_STATE="$t/state" strace -o "$t/sends" -s 1000000 -e trace=sendto,sendmsg,write -e signal=none \
		"$t/tree/bin/racelab" check 11 --report-to "$url" --name "Ada L." --token "$room_token" >"$t/check1" 2>&1
else
	echo "# strace is not installed (install-deps.sh test installs it): the bytes sent are not traced"
	RACELAB_STATE="$t/state" "$t/tree/bin/racelab" check 11 --report-to "$url" --name "Ada L." --token "$room_token" >"$t/check1" 2>&1
fi
rc=$?
[ "$rc" -eq 1 ] && grep -q "Reported to the room at $url as Ada L." "$t/check1"
ok $? "check of the shipped code fails (exit $rc) and reports to the room: $(grep -i 'room' "$t/check1")"
curl -s "$url/api/room" | jq -e '.learners[0] | .name == "Ada L." and .katas["11-lost-update"].status == "failed"
	and (.katas["11-lost-update"].failing_gates | index("tsan")) and .katas["11-lost-update"].checks == 1' >/dev/null
ok $? "the room has Ada's failed check, tsan among its failing gates"
if [ -s "$t/sends" ]; then
	# What went out: the post, with the result's fields; none of the code the check printed.
	grep 'POST /api/results' "$t/sends" | grep -v '^[0-9]* *write(1,' >"$t/post"
	grep -q 'Authorization: Bearer room-test-token' "$t/post" && grep -q '\\"name\\":\\"Ada L.\\"' "$t/sends"
	ok $? "the check posted to /api/results with the token and the name"
	sent=$(grep -E '^(sendto|sendmsg)\(' "$t/sends" | grep -v '^write')
	code_seen=$(grep -o 'c->value[^"]*' "$t/check1" | head -1)
	[ -n "$code_seen" ] && ! echo "$sent" | grep -qF -e 'c->value' -e 'counter.c:' -e 'counter_inc' -e "$code_seen"
	ok $? "nothing of the code the check printed ('$code_seen', counter.c:N, counter_inc) was sent"
fi
# The second from .racelab/room.ini, after the solution is put in: the same learner passes.
printf '[room]\nurl = %s\nname = Ada L.\ntoken = %s\n' "$url" "$room_token" >"$t/state/room.ini"
cp solutions/11-lost-update/counter.c "$t/tree/labs/11-lost-update/counter.c"
RACELAB_STATE="$t/state" "$t/tree/bin/racelab" check 11 >"$t/check2" 2>&1
rc=$?
[ "$rc" -eq 0 ] && grep -q "Reported to the room" "$t/check2" &&
	curl -s "$url/api/room" | jq -e '.learners[0].katas["11-lost-update"] | .status == "passed" and .checks == 2 and .failing_gates == []' >/dev/null
ok $? "a check set up by .racelab/room.ini reports too: Ada passed, 2 checks"
unset RACELAB_ROOT TMPDIR

# ---- Bad posts: each its status, and neither the room file nor the room changes ----
good=$(check_body "Grace" 11-lost-update "tsan")
cp "$t/room/results.jsonl" "$t/file-before"
curl -s "$url/api/room" >"$t/room-before"
head -c 70000 /dev/zero | tr '\0' ' ' >"$t/big"
bad() { # bad WANT DESCRIPTION CODE
	cmp -s "$t/file-before" "$t/room/results.jsonl" && [ "$(curl -s "$url/api/room")" = "$(cat "$t/room-before")" ]
	unchanged=$?
	[ "$3" = "$1" ] && [ $unchanged -eq 0 ]
	ok $? "$2: $3 (want $1), the room file and the room unchanged ($(head -c 120 "$t/answer"))"
}
bad 401 "a post without the token" "$(curl -s -o "$t/answer" -w '%{http_code}' --data-binary "$good" "$url/api/results")"
bad 401 "a post with a wrong token" "$(post "$good" not-the-token)"
bad 413 "a body over 64 KiB" "$(curl -s -o "$t/answer" -w '%{http_code}' -H "Authorization: Bearer $room_token" --data-binary @"$t/big" "$url/api/results")"
bad 413 "a body over 64 KiB, chunked (no length said)" "$(curl -s -o "$t/answer" -w '%{http_code}' -H "Authorization: Bearer $room_token" -H 'Transfer-Encoding: chunked' --data-binary @"$t/big" "$url/api/results")"
bad 400 "a body that is not JSON" "$(post '{"name": "Grace", ')"
bad 422 "JSON that is not a result" "$(post '{"name": "Grace", "hello": "world"}')"
bad 422 "a result for a kata that does not exist" "$(post "$(echo "$good" | jq -c '.lab = "99-nope"')")"
bad 422 "a name with a control character (BEL)" "$(post "$(echo "$good" | jq -c '.name = "Gr\u0007ace"')")"
bad 422 "a name with a newline" "$(post "$(echo "$good" | jq -c '.name = "Grace\nHopper"')")"
bad 422 "a name with HTML" "$(post "$(echo "$good" | jq -c '.name = "<img src=x onerror=alert(1)>"')")"
bad 405 "GET /api/results" "$(curl -s -o "$t/answer" -w '%{http_code}' "$url/api/results")"
bad 404 "an unknown path" "$(curl -s -o "$t/answer" -w '%{http_code}' "$url/etc/passwd")"

# ---- Posts at once: 10 learners, 20 checks each, all in parallel: every one answered and kept ----
lines0=$(wc -l <"$t/room/results.jsonl")
bursts=""
for i in $(seq -w 1 10); do
	(for j in $(seq 20); do
		status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $room_token" \
			--data-binary "$(check_body "learner-$i" 12-double-claim "$([ $((j % 3)) -eq 0 ] || echo tsan)")" "$url/api/results")
		echo "$status"
	done >"$t/burst-$i") &
	bursts="$bursts $!"
done
wait $bursts # (a plain wait would wait for the server too)
answered=$(cat "$t"/burst-* | grep -c '^200$')
lines=$(($(wc -l <"$t/room/results.jsonl") - lines0))
checks=$(curl -s "$url/api/room" | jq '[.learners[].katas["12-double-claim"].checks // 0] | add')
[ "$answered" -eq 200 ] && [ "$lines" -eq 200 ] && [ "$checks" -eq 200 ]
ok $? "200 posts from 10 learners at once: $answered answered 200, $lines lines added, $checks checks counted"

# ---- A restart: the room read back from its file, the same ----
curl -s "$url/api/room" | jq -S . >"$t/room-1"
cp "$t/room/results.jsonl" "$t/file-1"
serve_stop
ok $? "racelab serve stops on SIGTERM, exit 0"
serve_start "$t/room" "$room_token"
curl -s "$url/api/room" | jq -S . >"$t/room-2"
diff "$t/room-1" "$t/room-2" >"$t/diff" && cmp -s "$t/file-1" "$t/room/results.jsonl"
ok $? "after a restart the room is read back the same ($(grep -o '[0-9]* learners read back' "$t/serve.out")) $(head -c 300 "$t/diff")"
serve_stop

# ---- The grid in headless Chromium ----
if ! command -v chromedriver >/dev/null 2>&1; then
	echo "not ok $((n = n + 1)) - chromedriver is not installed (harness/scripts/install-deps.sh test installs it)"
	echo "1..$n"
	exit 0
fi
serve_start "$t/room2" "$room_token"
# A workshop: learners on three katas; Dana fails 21 three times in a row (stuck); names as people type them.
seed() {
	for c in "Ada L.|11-lost-update|" "Bo \"the\" O'Brien|11-lost-update|tsan helgrind" "Bo \"the\" O'Brien|11-lost-update|" \
		"Chen Wei|11-lost-update|tsan" "Chen Wei|11-lost-update|tsan helgrind" "Chen Wei|12-double-claim|tsan" \
		"Dana|11-lost-update|" "Dana|21-lock-order|helgrind tsan" "Dana|21-lock-order|helgrind" "Dana|21-lock-order|helgrind" \
		"Emeka|21-lock-order|" "Farah|12-double-claim|tests tsan helgrind" "Farah|12-double-claim|tsan" \
		"Gus|11-lost-update|tests tsan helgrind stress" "Hana|12-double-claim|" "Hana|21-lock-order|tsan" \
		"Ada L.|12-double-claim|helgrind" "Ada L.|21-lock-order|"; do
		post "$(check_body "${c%%|*}" "$(echo "$c" | cut -d'|' -f2)" "${c##*|}")" >/dev/null
		sleep 0.2
	done
}
wd() { # wd METHOD PATH [BODY]: one WebDriver command; prints chromedriver's JSON answer
	if [ $# -ge 3 ]; then
		curl -s -X "$1" -H 'Content-Type: application/json' --data-binary "$3" "http://127.0.0.1:$cd_port$2"
	else
		curl -s -X "$1" "http://127.0.0.1:$cd_port$2"
	fi
}
js() { # js SCRIPT: run SCRIPT in the page; prints what it returns, as JSON
	wd POST "/session/$sid/execute/sync" "$(jq -cn --arg s "$1" '{script: $s, args: []}')" | jq -cS .value
}
chromedriver --port=0 >"$t/chromedriver.log" 2>&1 &
cd_pid=$!
cd_port=""
for _ in $(seq 100); do
	cd_port=$(sed -n 's/^ChromeDriver was started successfully on port \([0-9]*\)\..*/\1/p' "$t/chromedriver.log")
	[ -n "$cd_port" ] && break
	sleep 0.1
done
caps=$(jq -cn --arg dir "$t/profile" '{capabilities: {alwaysMatch: {browserName: "chrome", "goog:chromeOptions": {args: [
	"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
	"--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1100,720",
	("--user-data-dir=" + $dir)]}}}}')
sid=$(wd POST /session "$caps" | jq -r '.value.sessionId // empty')
[ -n "$sid" ]
ok $? "headless Chromium started through chromedriver (session ${sid:-none}; $(head -c 200 "$t/chromedriver.log" | tr '\n' ' '))"

# The page loads while the room's results are posted.
seed &
seed_pid=$!
wd POST "/session/$sid/url" "$(jq -cn --arg u "$url/" '{url: $u}')" >/dev/null
wait $seed_pid
cells='return [...document.querySelectorAll("#grid tbody tr")].map(tr => ({name: tr.dataset.learner,
	shown: tr.querySelector("th").textContent, stuck: tr.querySelector("th").classList.contains("stuck"),
	cells: [...tr.querySelectorAll("td")].map(td => ({kata: td.dataset.kata, status: td.dataset.status,
	stuck: td.classList.contains("stuck")}))}))'
want='[.katas[].id] as $ids | [.learners[] | .katas as $k | {name, shown: .name, stuck: (.stuck | length > 0),
	cells: [$ids[] | {kata: ., status: ($k[.].status // "none"), stuck: ($k[.].stuck // false)}]}]'
# Within a few refreshes, every cell is the room's.
same=1
for _ in $(seq 30); do
	js "$cells" >"$t/dom"
	curl -s "$url/api/room" | jq -cS "$want" >"$t/api"
	cmp -s "$t/dom" "$t/api" && { same=0; break; }
	sleep 0.5
done
ok $same "the grid's cells (a learner a row, a kata a column: status, stuck) are /api/room's: $(jq -c 'length' "$t/dom") rows"
[ $same -eq 0 ] || { echo "# the page's: $(cat "$t/dom")"; echo "# /api/room's: $(cat "$t/api")"; }
jq -e 'map(select(.stuck)) | map(.name) == ["Dana"]' "$t/dom" >/dev/null &&
	jq -e '.[] | select(.name == "Dana") | .cells[] | select(.kata == "21-lock-order") | .stuck and .status == "failed"' "$t/dom" >/dev/null
ok $? "Dana, stuck on 21-lock-order (3 failed checks), is highlighted, and only she"
jq -e '.[] | select(.name == "Bo \"the\" O'"'"'Brien") | .shown == "Bo \"the\" O'"'"'Brien"' "$t/dom" >/dev/null
ok $? "a name with quotes is shown as typed"
js 'return [...document.querySelectorAll("#grid thead th[data-kata]")].map(th => [th.dataset.kata, th.querySelector(".most-failing").textContent])' >"$t/heads"
curl -s "$url/api/room" | jq -c '[.katas[] | [.id, "fails most: \(.most_failing_gate) (\(.most_failing_count) of \(.checks) checks)"]]' >"$t/heads-want"
cmp -s "$t/heads" "$t/heads-want" && grep -q '"fails most: helgrind' "$t/heads"
ok $? "each kata's column names the gate that fails most: $(cat "$t/heads")"
wd GET "/session/$sid/screenshot" | jq -r .value | base64 -d >"$t/room.png" 2>/dev/null
shot=${ROOM_SCREENSHOT:-build/room-view.png}
mkdir -p "$(dirname "$shot")" && cp "$t/room.png" "$shot"
[ "$(head -c 8 "$t/room.png" | od -An -c | tr -d ' ')" = "211PNG\r\n032\n" ]
ok $? "a screenshot of the grid is kept in $shot ($(wc -c <"$t/room.png") bytes)"

# The page updates itself: a new learner's check shows without reloading.
post "$(check_body "Zoe" 12-double-claim "helgrind")" >/dev/null
seen=1
for _ in $(seq 24); do
	js 'return [...document.querySelectorAll("#grid tbody tr")].some(tr => tr.dataset.learner === "Zoe")' | grep -q true && { seen=0; break; }
	sleep 0.5
done
ok $seen "a check posted while the page is open appears within a few seconds, without a reload"

# Markup in a name stays text: the page's own render given a name the server would refuse.
js 'render({learners: [{name: "<img src=x onerror=\"document.title=1\"><b>bold</b>", stuck: [], katas: {}}], katas: [],
	stuck_rule: {failed_checks: 3, within_seconds: 600}});
	return {text: document.querySelector("#grid tbody th").textContent, markup: document.querySelectorAll("#grid img, #grid b").length,
	title: document.title}' >"$t/escaped"
jq -e '.text == "<img src=x onerror=\"document.title=1\"><b>bold</b>" and .markup == 0 and .title == "racelab room"' "$t/escaped" >/dev/null
ok $? "a name with HTML is shown as text, never as markup: $(cat "$t/escaped")"

wd DELETE "/session/$sid" >/dev/null
kill "$cd_pid" 2>/dev/null
wait "$cd_pid" 2>/dev/null
cd_pid=""
serve_stop
sleep 0.5
left=$(leftovers "$t")
ok $([ -z "$left" ] && echo 0 || echo 1) "no process left behind (server, chromedriver, Chromium) $left"
echo "1..$n"
