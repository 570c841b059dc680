/* test_room.c: Check unit tests of the workshop room (room.c) and of what a check posts to it (report_to.c). */
#include <check.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report_to.h"
#include "room.h"

TCase *room_tcase(void);

static const char *const room_labs[] = { "11-lost-update", "12-check-then-act" };

/* A fresh room in a folder of its own; *dir is that folder. */
static struct room *room_fresh(char **dir)
{
	struct u_list labs = { 0 };
	for (size_t i = 0; i < NELEM(room_labs); i++)
		u_list_add(&labs, u_xstrdup(room_labs[i]));
	*dir = u_mkdtemp("roomtest");
	ck_assert_ptr_nonnull(*dir);
	char err[256];
	int skipped = -1;
	struct room *r = room_open(*dir, &labs, &skipped, err, sizeof err);
	ck_assert_msg(r != NULL, "room_open: %s", err);
	ck_assert_int_eq(skipped, 0);
	u_list_free(&labs);
	return r;
}

/* The same room's file read again by a new room. */
static struct room *room_again(const char *dir, int *skipped)
{
	struct u_list labs = { 0 };
	for (size_t i = 0; i < NELEM(room_labs); i++)
		u_list_add(&labs, u_xstrdup(room_labs[i]));
	char err[256];
	struct room *r = room_open(dir, &labs, skipped, err, sizeof err);
	ck_assert_msg(r != NULL, "room_open again: %s", err);
	u_list_free(&labs);
	return r;
}

/* A check of lab by name, tsan's status as given, the others passed. */
static char *room_body(const char *name, const char *lab, const char *tsan)
{
	int pass = strcmp(tsan, "pass") == 0;
	return u_fmt("{\"name\": \"%s\", \"lab\": \"%s\", \"score\": %d, \"max_score\": 100, \"title\": \"ignored\","
		     " \"gates\": [{\"name\": \"build\", \"status\": \"pass\"}, {\"name\": \"tsan\", \"status\": \"%s\","
		     " \"detail\": \"never kept\"}]}", name, lab, pass ? 100 : 20, tsan);
}

static int room_post_at(struct room *r, const char *name, const char *lab, const char *tsan, time_t at)
{
	char why[256] = "";
	char *body = room_body(name, lab, tsan);
	int code = room_post(r, body, strlen(body), at, why, sizeof why);
	ck_assert_msg(code == 0, "a valid check refused (%d: %s): %s", code, why, body);
	free(body);
	return code;
}

/* The room's JSON, then the learner's kata in it (NULL if absent). */
static json_t *room_kata(json_t *room, const char *name, const char *lab)
{
	size_t i;
	json_t *l;
	json_array_foreach(json_object_get(room, "learners"), i, l)
		if (strcmp(json_string_value(json_object_get(l, "name")), name) == 0)
			return json_object_get(json_object_get(l, "katas"), lab);
	return NULL;
}

START_TEST(room_counts_each_learners_checks)
{
	char *dir;
	struct room *r = room_fresh(&dir);
	room_post_at(r, "ada", "11-lost-update", "fail", 1000);
	room_post_at(r, "ada", "11-lost-update", "pass", 1060);
	room_post_at(r, "Grace Hopper", "12-check-then-act", "fail", 1070);
	json_t *room = room_json(r);
	json_t *k = room_kata(room, "ada", "11-lost-update");
	ck_assert_ptr_nonnull(k);
	ck_assert_str_eq(json_string_value(json_object_get(k, "status")), "passed");
	ck_assert_int_eq(json_integer_value(json_object_get(k, "checks")), 2);
	ck_assert_double_eq(json_number_value(json_object_get(k, "score")), 100);
	ck_assert_int_eq(json_array_size(json_object_get(k, "failing_gates")), 0);
	ck_assert_str_eq(json_string_value(json_object_get(k, "last_check")), "1970-01-01T00:17:40Z");
	k = room_kata(room, "Grace Hopper", "12-check-then-act");
	ck_assert_str_eq(json_string_value(json_object_get(k, "status")), "failed");
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(k, "failing_gates"), 0)), "tsan");
	ck_assert_ptr_null(room_kata(room, "ada", "12-check-then-act"));
	/* Learners by name (byte order), katas in the catalog's order, each with its most failing gate. */
	json_t *ls = json_object_get(room, "learners"), *ks = json_object_get(room, "katas");
	ck_assert_int_eq(json_array_size(ls), 2);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(ls, 0), "name")), "Grace Hopper");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(ks, 0), "id")), "11-lost-update");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(ks, 0), "most_failing_gate")), "tsan");
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(ks, 0), "passed")), 1);
	/* The file keeps what the room uses and when it came, not the rest of the post. */
	char *text = u_fmt("%s/results.jsonl", dir);
	char *file = u_slurp(text, NULL);
	ck_assert_ptr_nonnull(file);
	ck_assert_msg(!strstr(file, "never kept") && !strstr(file, "ignored"), "the file kept more than the check: %s", file);
	ck_assert_msg(strstr(file, "\"at\":1000"), "no time in the file: %s", file);
	free(file);
	free(text);
	json_decref(room);
	room_close(r);
	u_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(room_refuses_bad_posts_and_keeps_its_file)
{
	static const struct { const char *body; int code; } bad[] = {
		{ "{\"name\": \"ada\", ", 400 },
		{ "", 400 },
		{ "[1, 2]", 422 },
		{ "{\"lab\": \"11-lost-update\", \"score\": 1, \"max_score\": 100, \"gates\": [{\"name\": \"build\", \"status\": \"pass\"}]}", 422 },
		{ "{\"name\": \"\", \"lab\": \"11-lost-update\", \"score\": 1, \"max_score\": 100, \"gates\": [{\"name\": \"build\", \"status\": \"pass\"}]}", 422 },
		{ "{\"name\": \"ada\\n\", \"lab\": \"11-lost-update\", \"score\": 1, \"max_score\": 100, \"gates\": [{\"name\": \"build\", \"status\": \"pass\"}]}", 422 },
		{ "{\"name\": \"a\\u0007b\", \"lab\": \"11-lost-update\", \"score\": 1, \"max_score\": 100, \"gates\": [{\"name\": \"build\", \"status\": \"pass\"}]}", 422 },
		{ "{\"name\": \"a\\u0085b\", \"lab\": \"11-lost-update\", \"score\": 1, \"max_score\": 100, \"gates\": [{\"name\": \"build\", \"status\": \"pass\"}]}", 422 },
		{ "{\"name\": \"<script>alert(1)</script>\", \"lab\": \"11-lost-update\", \"score\": 1, \"max_score\": 100, \"gates\": [{\"name\": \"build\", \"status\": \"pass\"}]}", 422 },
		{ "{\"name\": \"Tom &amp; Jerry\", \"lab\": \"11-lost-update\", \"score\": 1, \"max_score\": 100, \"gates\": [{\"name\": \"build\", \"status\": \"pass\"}]}", 422 },
		{ "{\"name\": \" ada\", \"lab\": \"11-lost-update\", \"score\": 1, \"max_score\": 100, \"gates\": [{\"name\": \"build\", \"status\": \"pass\"}]}", 422 },
		{ "{\"name\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\", \"lab\": \"11-lost-update\", \"score\": 1, \"max_score\": 100, \"gates\": [{\"name\": \"build\", \"status\": \"pass\"}]}", 422 },
		{ "{\"name\": \"ada\", \"lab\": \"99-nothing\", \"score\": 1, \"max_score\": 100, \"gates\": [{\"name\": \"build\", \"status\": \"pass\"}]}", 422 },
		{ "{\"name\": \"ada\", \"lab\": \"11-lost-update\", \"score\": 101, \"max_score\": 100, \"gates\": [{\"name\": \"build\", \"status\": \"pass\"}]}", 422 },
		{ "{\"name\": \"ada\", \"lab\": \"11-lost-update\", \"score\": -1, \"max_score\": 100, \"gates\": [{\"name\": \"build\", \"status\": \"pass\"}]}", 422 },
		{ "{\"name\": \"ada\", \"lab\": \"11-lost-update\", \"score\": 1, \"max_score\": 100.5, \"gates\": [{\"name\": \"build\", \"status\": \"pass\"}]}", 422 },
		{ "{\"name\": \"ada\", \"lab\": \"11-lost-update\", \"score\": 1, \"max_score\": 100, \"gates\": []}", 422 },
		{ "{\"name\": \"ada\", \"lab\": \"11-lost-update\", \"score\": 1, \"max_score\": 100, \"gates\": [{\"name\": \"lint\", \"status\": \"pass\"}]}", 422 },
		{ "{\"name\": \"ada\", \"lab\": \"11-lost-update\", \"score\": 1, \"max_score\": 100, \"gates\": [{\"name\": \"build\", \"status\": \"great\"}]}", 422 },
		{ "{\"name\": \"ada\", \"lab\": \"11-lost-update\", \"score\": 1, \"max_score\": 100, \"gates\": [{\"name\": \"build\", \"status\": \"pass\"}, {\"name\": \"build\", \"status\": \"fail\"}]}", 422 },
		{ "{\"name\": \"ada\", \"name\": \"bob\", \"lab\": \"11-lost-update\", \"score\": 1, \"max_score\": 100, \"gates\": [{\"name\": \"build\", \"status\": \"pass\"}]}", 400 },
	};
	char *dir;
	struct room *r = room_fresh(&dir);
	room_post_at(r, "ada", "11-lost-update", "fail", 1000);
	char *path = u_fmt("%s/results.jsonl", dir);
	size_t len0 = 0;
	char *before = u_slurp(path, &len0);
	json_t *room0 = room_json(r);
	for (size_t i = 0; i < NELEM(bad); i++) {
		char why[256] = "";
		int code = room_post(r, bad[i].body, strlen(bad[i].body), 2000, why, sizeof why);
		ck_assert_msg(code == bad[i].code, "post %zu got %d, not %d (%s): %s", i, code, bad[i].code, why, bad[i].body);
		ck_assert_msg(*why, "post %zu: refused without a reason", i);
	}
	size_t len1 = 0;
	char *after = u_slurp(path, &len1);
	ck_assert_msg(len0 == len1 && memcmp(before, after, len0) == 0, "a refused post changed the file: %s", after);
	json_t *room1 = room_json(r);
	ck_assert_msg(json_equal(room0, room1), "a refused post changed the room");
	/* Names that are neither controls nor markup are names: quotes, accents, blanks inside. */
	room_post_at(r, "O'Brien \\\"Bo\\\" Müller", "11-lost-update", "pass", 2100);
	json_decref(room0);
	json_decref(room1);
	free(before);
	free(after);
	free(path);
	room_close(r);
	u_rmtree(dir);
	free(dir);
}
END_TEST

static int room_is_stuck(struct room *r, const char *name)
{
	json_t *room = room_json(r);
	json_t *k = room_kata(room, name, "11-lost-update");
	int stuck = json_is_true(json_object_get(k, "stuck"));
	json_decref(room);
	return stuck;
}

START_TEST(room_stuck_is_three_failed_checks_in_ten_minutes)
{
	char *dir;
	struct room *r = room_fresh(&dir);
	/* Three failures within 600 s: stuck; a pass ends it. */
	room_post_at(r, "fast", "11-lost-update", "fail", 1000);
	room_post_at(r, "fast", "11-lost-update", "fail", 1300);
	ck_assert(!room_is_stuck(r, "fast"));
	room_post_at(r, "fast", "11-lost-update", "fail", 1600);
	ck_assert(room_is_stuck(r, "fast"));
	room_post_at(r, "fast", "11-lost-update", "error", 1650); /* no tool could finish: says nothing */
	ck_assert(room_is_stuck(r, "fast"));
	room_post_at(r, "fast", "11-lost-update", "pass", 1700);
	ck_assert(!room_is_stuck(r, "fast"));
	/* Three failures over 601 s: working slowly, not stuck; a fourth soon after makes three within 600. */
	room_post_at(r, "slow", "11-lost-update", "fail", 1000);
	room_post_at(r, "slow", "11-lost-update", "fail", 1300);
	room_post_at(r, "slow", "11-lost-update", "fail", 1601);
	ck_assert(!room_is_stuck(r, "slow"));
	room_post_at(r, "slow", "11-lost-update", "fail", 1700);
	ck_assert(room_is_stuck(r, "slow"));
	json_t *room = room_json(r);
	size_t i;
	json_t *l;
	json_array_foreach(json_object_get(room, "learners"), i, l)
		ck_assert_int_eq(json_array_size(json_object_get(l, "stuck")),
				 strcmp(json_string_value(json_object_get(l, "name")), "slow") == 0);
	json_decref(room);
	room_close(r);
	u_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(room_is_read_back_after_a_restart)
{
	char *dir;
	struct room *r = room_fresh(&dir);
	room_post_at(r, "ada", "11-lost-update", "fail", 1000);
	room_post_at(r, "ada", "11-lost-update", "fail", 1100);
	room_post_at(r, "ada", "11-lost-update", "fail", 1200);
	room_post_at(r, "bob", "12-check-then-act", "pass", 1300);
	json_t *before = room_json(r);
	room_close(r);
	int skipped = -1;
	r = room_again(dir, &skipped);
	json_t *after = room_json(r);
	ck_assert_int_eq(skipped, 0);
	ck_assert_msg(json_equal(before, after), "the room read back differs");
	room_close(r);
	/* A server killed in mid-write leaves a line cut short: it is skipped, and the next record starts a line of its own. */
	char *path = u_fmt("%s/results.jsonl", dir);
	FILE *f = fopen(path, "a");
	ck_assert_ptr_nonnull(f);
	fputs("{\"at\":1400,\"name\":\"cut", f);
	fclose(f);
	r = room_again(dir, &skipped);
	ck_assert_int_eq(skipped, 1);
	room_post_at(r, "carol", "11-lost-update", "pass", 1500);
	room_close(r);
	r = room_again(dir, &skipped);
	ck_assert_int_eq(skipped, 1);
	json_t *last = room_json(r);
	ck_assert_int_eq(json_array_size(json_object_get(last, "learners")), 3);
	ck_assert(room_is_stuck(r, "ada"));
	json_decref(before);
	json_decref(after);
	json_decref(last);
	free(path);
	room_close(r);
	u_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(room_names_the_gate_that_fails_most)
{
	char *dir;
	struct room *r = room_fresh(&dir);
	static const char *const checks[] = {
		/* tsan fails 3 times, tests twice, build once (a tie would go to the earlier gate) */
		"{\"name\":\"a\",\"lab\":\"11-lost-update\",\"score\":0,\"max_score\":100,\"gates\":[{\"name\":\"build\",\"status\":\"fail\"},{\"name\":\"tests\",\"status\":\"skip\"},{\"name\":\"tsan\",\"status\":\"skip\"}]}",
		"{\"name\":\"b\",\"lab\":\"11-lost-update\",\"score\":50,\"max_score\":100,\"gates\":[{\"name\":\"build\",\"status\":\"pass\"},{\"name\":\"tests\",\"status\":\"fail\"},{\"name\":\"tsan\",\"status\":\"fail\"}]}",
		"{\"name\":\"c\",\"lab\":\"11-lost-update\",\"score\":70,\"max_score\":100,\"gates\":[{\"name\":\"build\",\"status\":\"pass\"},{\"name\":\"tests\",\"status\":\"pass\"},{\"name\":\"tsan\",\"status\":\"fail\"}]}",
	};
	for (size_t i = 0; i < NELEM(checks); i++) {
		char why[256] = "";
		ck_assert_msg(room_post(r, checks[i], strlen(checks[i]), 1000, why, sizeof why) == 0, "%s", why);
	}
	json_t *room = room_json(r);
	json_t *k = json_array_get(json_object_get(room, "katas"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(k, "most_failing_gate")), "tsan");
	ck_assert_int_eq(json_integer_value(json_object_get(k, "most_failing_count")), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(k, "checks")), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(k, "learners")), 3);
	json_decref(room);
	room_close(r);
	u_rmtree(dir);
	free(dir);
}
END_TEST

/* What a check posts: the score and each gate's status, none of the code its tools quote. */
START_TEST(report_to_posts_no_code)
{
	struct result r = { .lab = u_xstrdup("11-lost-update"), .title = u_xstrdup("Lost update"),
			    .label = u_xstrdup("your code") };
	int gates[] = { GATE_BUILD, GATE_TESTS, GATE_TSAN };
	for (int i = 0; i < 3; i++) {
		struct gate_result *g = &r.gates[gates[i]];
		r.order[r.ngates++] = gates[i];
		g->id = gates[i];
		g->status = gates[i] == GATE_BUILD ? RESULT_PASS : RESULT_FAIL;
		g->reason = u_xstrdup("SECRET-REASON");
		g->detail = u_xstrdup("counter.c:18: SECRET-CODE c->value++;");
		g->raw = u_xstrdup("SECRET-RAW");
	}
	u_list_add(&r.gates[GATE_TSAN].kinds, u_xstrdup("data-race"));
	struct finding *x = finding_add(&r.gates[GATE_TSAN].found, "tsan", "data-race");
	x->file = u_xstrdup("SECRET-FILE.c");
	x->function = u_xstrdup("SECRET-FUNCTION");
	x->text = u_xstrdup("SECRET-TEXT");
	result_add_case(&r.gates[GATE_TESTS], "SECRET-TEST", RESULT_FAIL, "SECRET-MESSAGE");
	u_list_add(&r.why, u_xstrdup("SECRET-WHY"));
	u_list_add(&r.graded, u_xstrdup("SECRET-GRADED"));
	int points[GATE_COUNT] = { [GATE_BUILD] = 10, [GATE_TESTS] = 10, [GATE_TSAN] = 10 };
	result_score(&r, points);
	json_t *body = report_to_body(&r, "ada");
	char *text = json_dumps(body, JSON_COMPACT);
	ck_assert_msg(!strstr(text, "SECRET"), "the post carries more than the result: %s", text);
	ck_assert_str_eq(json_string_value(json_object_get(body, "name")), "ada");
	ck_assert_str_eq(json_string_value(json_object_get(body, "lab")), "11-lost-update");
	json_t *tsan = json_array_get(json_object_get(body, "gates"), 2);
	ck_assert_str_eq(json_string_value(json_object_get(tsan, "name")), "tsan");
	ck_assert_str_eq(json_string_value(json_object_get(tsan, "status")), "fail");
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(tsan, "kinds"), 0)), "data-race");
	/* The room takes it as it is. */
	char *dir;
	struct room *room = room_fresh(&dir);
	char why[256] = "";
	ck_assert_msg(room_post(room, text, strlen(text), 1000, why, sizeof why) == 0, "the room refused a check's post: %s", why);
	room_close(room);
	u_rmtree(dir);
	free(dir);
	free(text);
	json_decref(body);
	result_free(&r);
}
END_TEST

START_TEST(report_to_takes_all_three_settings)
{
	struct cli_opts o = { .report_to = "http://127.0.0.1:1", .name = "ada" };
	struct report_to rt;
	ck_assert_int_eq(report_to_settings(&o, &rt), -1); /* no token */
	o.token = "t";
	ck_assert_int_eq(report_to_settings(&o, &rt), 1);
	ck_assert_str_eq(rt.url, "http://127.0.0.1:1");
	/* Nothing listens on port 1: the post fails and says why. */
	json_t *body = json_pack("{s:s}", "name", "ada");
	char why[256] = "";
	ck_assert_int_eq(report_to_post(&rt, body, why, sizeof why), -1);
	ck_assert_msg(*why, "a failed post without a reason");
	json_decref(body);
	report_to_free(&rt);
}
END_TEST

TCase *room_tcase(void)
{
	TCase *t = tcase_create("room");
	tcase_add_test(t, room_counts_each_learners_checks);
	tcase_add_test(t, room_refuses_bad_posts_and_keeps_its_file);
	tcase_add_test(t, room_stuck_is_three_failed_checks_in_ten_minutes);
	tcase_add_test(t, room_is_read_back_after_a_restart);
	tcase_add_test(t, room_names_the_gate_that_fails_most);
	tcase_add_test(t, report_to_posts_no_code);
	tcase_add_test(t, report_to_takes_all_three_settings);
	return t;
}
