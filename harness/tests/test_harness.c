/* test_harness.c: Check unit tests of racelab's parsers, runner, watchdog, verdict and JSON writer. */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../ckxml.h"
#include "../gate.h"
#include "../json.h"
#include "../lab.h"
#include "../massif.h"
#include "../prove.h"
#include "../run.h"
#include "../tsan.h"
#include "../valgrind.h"
#include "../watchdog.h"

static char *fixture(const char *name)
{
	return u_fmt("%s/harness/tests/fixtures/%s", lab_root(), name);
}

static char *fixture_text(const char *name, size_t *len)
{
	char *path = fixture(name);
	char *text = u_slurp(path, len);
	ck_assert_msg(text != NULL, "missing fixture %s", path);
	free(path);
	return text;
}

/* Recorded reports name the learner's file /tmp/build/counter.c. */
static const struct src_ctx src11 = { "counter.c", "/tmp/build", "/nonexistent" };

/* ---- parsers, on recorded tool outputs ---- */

START_TEST(tsan_reads_a_data_race)
{
	struct findings f = { 0 };
	char *log = fixture_text("tsan-race.log", NULL);
	tsan_parse(log, &src11, &f);
	ck_assert_int_ge(f.count, 1);
	ck_assert(u_list_has(&f.kinds, "data-race"));
	ck_assert_ptr_null(f.fatal);
	ck_assert_msg(strstr(f.detail.s, "counter.c:18"), "detail does not point at counter.c:18: %s", f.detail.s);
	ck_assert_msg(!strstr(f.detail.s, "0x"), "an address leaked into the learner's view: %s", f.detail.s);
	findings_free(&f);
	free(log);
}
END_TEST

START_TEST(tsan_kinds_and_fatal_errors)
{
	struct findings f = { 0 };
	tsan_parse("==================\nWARNING: ThreadSanitizer: lock-order-inversion (potential deadlock) (pid=1)\n"
		   "  Cycle in lock order graph: M1 (0x1) => M2 (0x2) => M1\n\n"
		   "  Mutex M2 acquired here while holding mutex M1 in main thread:\n"
		   "    #0 pthread_mutex_lock <null> (a+0x1)\n    #1 transfer /tmp/build/counter.c:30:5 (a+0x2)\n"
		   "==================\nWARNING: ThreadSanitizer: thread leak (pid=1)\n==================\n",
		   &src11, &f);
	ck_assert(u_list_has(&f.kinds, "lock-order-inversion"));
	ck_assert(u_list_has(&f.kinds, "thread-leak"));
	ck_assert(strstr(f.detail.s, "counter.c:30"));
	findings_free(&f);

	/* A stack right under the headline, and the lab frame that called the culprit. */
	tsan_parse("WARNING: ThreadSanitizer: signal-unsafe call inside of a signal handler (pid=1)\n"
		   "    #0 malloc <null> (a+0x1)\n    #1 log_msg /tmp/build/counter.c:20:3 (a+0x2)\n"
		   "    #2 on_sigterm /tmp/build/counter.c:31:2 (a+0x3)\n", &src11, &f);
	ck_assert(u_list_has(&f.kinds, "signal-unsafe-call"));
	ck_assert_msg(strstr(f.detail.s, "counter.c:20") && strstr(f.detail.s, "on_sigterm"), "detail: %s", f.detail.s);
	findings_free(&f);

	tsan_parse("FATAL: ThreadSanitizer: unexpected memory mapping 0x7f0000000000-0x7f0000001000\n", &src11, &f);
	ck_assert_int_eq(f.count, 0);
	ck_assert_ptr_nonnull(f.fatal);
	findings_free(&f);
}
END_TEST

START_TEST(valgrind_reads_helgrind_xml)
{
	struct findings f = { 0 };
	size_t len;
	char *xml = fixture_text("helgrind-race.xml", &len);
	vg_parse(xml, len, &src11, &f);
	ck_assert(u_list_has(&f.kinds, "Race"));
	ck_assert_msg(strstr(f.detail.s, "counter.c:18"), "detail: %s", f.detail.s);
	findings_free(&f);
	/* A truncated document (a run killed mid-write) still gives what it holds. */
	vg_parse(xml, len * 2 / 3, &src11, &f);
	ck_assert_int_ge(f.count, 1);
	findings_free(&f);
	free(xml);
}
END_TEST

START_TEST(check_xml_parses)
{
	struct ck_log log;
	size_t len;
	char *xml = fixture_text("check-fail.xml", &len);
	ck_assert_int_eq(ck_parse(xml, len, &log), 0);
	ck_assert_int_eq(log.n, 2);
	ck_assert_str_eq(log.t[1].result, "failure");
	ck_assert_str_eq(log.t[1].id, "no_update_is_lost");
	ck_assert(strstr(log.t[1].message, "updates were lost"));
	ck_free(&log);
	free(xml);
	ck_assert_int_ne(ck_parse("not xml at all", 14, &log), 0);
	ck_free(&log);
}
END_TEST

/* Judge a recorded log against a made-up ending of the run. */
static void judge(const char *fixture_name, struct run_result *run, struct findings *f)
{
	char *path = fixture_name ? fixture(fixture_name) : u_xstrdup("/nonexistent/check.xml");
	ck_judge(path, run, &src11, f);
	free(path);
}

START_TEST(judge_a_suite_run)
{
	struct findings f = { 0 };
	struct run_result run = { 0 };
	judge("check-pass.xml", &run, &f);
	ck_assert_int_eq(f.count, 0);

	judge("check-fail.xml", &(struct run_result){ .exit_code = 1 }, &f);
	ck_assert(u_list_has(&f.kinds, "fail"));
	ck_assert(strstr(f.detail.s, "updates were lost"));
	findings_free(&f);

	/* Tests all passed, yet the program died: still not a pass. */
	judge("check-pass.xml", &(struct run_result){ .exit_code = -1, .signal = SIGSEGV }, &f);
	ck_assert(u_list_has(&f.kinds, "crash"));
	findings_free(&f);

	/* No log at all, exit 0: a program that never ran its tests does not pass. */
	judge(NULL, &(struct run_result){ .exit_code = 0 }, &f);
	ck_assert(u_list_has(&f.kinds, "crash"));
	findings_free(&f);

	/* The watchdog fired: the unfinished log still counts the tests before the hang. */
	judge("check-cut.xml", &(struct run_result){ .timed_out = 1, .exit_code = -1, .signal = SIGKILL,
						     .hang = "Deadlock, a cycle of 2 threads" }, &f);
	ck_assert(u_list_has(&f.kinds, "hang"));
	ck_assert(strstr(f.detail.s, "Deadlock"));
	findings_free(&f);
}
END_TEST

/* A program with its own main has no log: only how it ended says anything. */
START_TEST(judge_a_program_run)
{
	struct findings f = { 0 };
	ck_judge_program(&(struct run_result){ .exit_code = 0 }, &f);
	ck_assert_int_eq(f.count, 0);
	ck_judge_program(&(struct run_result){ .exit_code = 3 }, &f);
	ck_assert(u_list_has(&f.kinds, "exit"));
	findings_free(&f);
	ck_judge_program(&(struct run_result){ .exit_code = -1, .signal = SIGABRT }, &f);
	ck_assert(u_list_has(&f.kinds, "crash"));
	findings_free(&f);
	ck_judge_program(&(struct run_result){ .timed_out = 1, .exit_code = -1, .signal = SIGKILL,
					       .hang = "Deadlock, a cycle of 2 threads" }, &f);
	ck_assert(u_list_has(&f.kinds, "hang") && !u_list_has(&f.kinds, "crash"));
	ck_assert(strstr(f.detail.s, "Deadlock"));
	findings_free(&f);
}
END_TEST

START_TEST(massif_finds_the_peak_and_its_site)
{
	struct massif_peak p = { 0 };
	char *text = fixture_text("massif-growth.out", NULL);
	struct src_ctx src = { "m.c", "/tmp/build", "/nonexistent" };
	massif_parse(text, &src, &p);
	ck_assert_int_ge(p.peak_bytes, 1900000);
	ck_assert_ptr_nonnull(p.site);
	ck_assert(strstr(p.site, "queue_push"));
	ck_assert_int_gt(p.nseries, 10);
	massif_free(&p);
	free(text);
}
END_TEST

/* ---- the watchdog's explanations ---- */

START_TEST(watchdog_explains_a_recorded_cycle)
{
	char *views = fixture_text("gdb-deadlock.view", NULL), *ex, *raw;
	wd_explain_views(views, &ex, &raw);
	/* bob's mutex is on the heap and its source file is gone: it is named by address only. */
	ck_assert_msg(strstr(ex, "cycle of 2 threads") && strstr(ex, "alice.lock") && strstr(ex, "t1 (dl.c:10)"),
		      "explanation: %s", ex);
	ck_assert(strstr(raw, "barrier"));
	free(ex);
	free(raw);
	free(views);
}
END_TEST

START_TEST(watchdog_explains_barrier_self_and_orphan)
{
	char *ex, *raw;
	const char *bar =
		"RACELAB-HANG {\"pid\": 5, \"threads\": ["
		"{\"lwp\": 5, \"num\": 1, \"wait\": {\"kind\": \"join\", \"target\": 6}, \"stack\": []},"
		"{\"lwp\": 6, \"num\": 2, \"wait\": {\"kind\": \"barrier\", \"addr\": \"0x10\", \"name\": \"phase_end\", \"count\": 4}, \"stack\": []},"
		"{\"lwp\": 7, \"num\": 3, \"wait\": {\"kind\": \"barrier\", \"addr\": \"0x10\", \"name\": \"phase_end\", \"count\": 4}, \"stack\": []},"
		"{\"lwp\": 8, \"num\": 4, \"wait\": {\"kind\": \"barrier\", \"addr\": \"0x10\", \"name\": \"phase_end\", \"count\": 4}, \"stack\": []}]}\n";
	wd_explain_views(bar, &ex, &raw);
	ck_assert_msg(strstr(ex, "3 of 4") && strstr(ex, "phase_end"), "explanation: %s", ex);
	free(ex);
	free(raw);

	const char *self = "RACELAB-HANG {\"pid\": 5, \"threads\": [{\"lwp\": 5, \"num\": 1, \"wait\": "
			   "{\"kind\": \"mutex\", \"addr\": \"0x10\", \"name\": \"bank.lock\", \"owner\": 5}, \"stack\": []}]}\n";
	wd_explain_views(self, &ex, &raw);
	ck_assert_msg(strstr(ex, "Self-deadlock") && strstr(ex, "bank.lock"), "explanation: %s", ex);
	free(ex);
	free(raw);

	const char *orphan = "RACELAB-HANG {\"pid\": 9, \"threads\": [{\"lwp\": 9, \"num\": 1, \"wait\": "
			     "{\"kind\": \"mutex\", \"addr\": \"0x10\", \"name\": \"log_lock\", \"owner\": 4}, \"stack\": []}]}\n";
	wd_explain_views(orphan, &ex, &raw);
	ck_assert_msg(strstr(ex, "no longer exists") && strstr(ex, "log_lock"), "explanation: %s", ex);
	free(ex);
	free(raw);
}
END_TEST

/* ---- the runner and the watchdog, on small programs made for them ---- */

static char *build_prog(const char *name)
{
	char *src = u_fmt("%s/harness/tests/progs/%s.c", lab_root(), name);
	char *bin = u_fmt("%s/build/prog-%s", lab_root(), name);
	char *argv[] = { "gcc", "-g", "-O0", "-pthread", src, "-o", bin, NULL };
	struct run_spec spec = { .argv = argv, .dir = "/tmp", .timeout_s = 60 };
	struct run_result res;
	ck_assert_int_eq(run_child(&spec, &res), 0);
	ck_assert_msg(res.exit_code == 0, "could not build %s", src);
	run_result_free(&res);
	free(src);
	return bin;
}

static void run_prog(const char *bin, char *arg, double timeout, long cap, struct run_result *res)
{
	char *argv[] = { (char *)bin, arg, NULL };
	struct run_spec spec = { .argv = argv, .dir = "/tmp", .timeout_s = timeout, .as_cap_mb = cap,
				 .untrusted = 1, .watchdog = 1 };
	ck_assert_int_eq(run_child(&spec, res), 0);
}

START_TEST(runner_kills_the_whole_group_on_time)
{
	char *bin = build_prog("spawner");
	struct run_result res;
	run_prog(bin, NULL, 0.5, 0, &res);
	ck_assert(res.timed_out);
	ck_assert_msg(res.wall_s < 3.0, "a 0.5 s timeout took %.1f s", res.wall_s);
	run_result_free(&res);

	/* The program exits but leaves a grandchild behind: it must not survive the run. */
	run_prog(bin, "exit", 10, 0, &res);
	ck_assert_int_eq(res.exit_code, 3);
	ck_assert(!res.timed_out);
	ck_assert_msg(res.wall_s < 3.0, "waited %.1f s for a run that exits at once", res.wall_s);
	run_result_free(&res);
	free(bin);
}
END_TEST

START_TEST(runner_caps_address_space_and_reports_exec_failure)
{
	char *bin = build_prog("hog");
	struct run_result res;
	run_prog(bin, NULL, 10, 64, &res);
	ck_assert_int_eq(res.exit_code, 42); /* malloc returned NULL under the cap */
	run_result_free(&res);
	run_prog(bin, NULL, 10, 0, &res);
	ck_assert_int_eq(res.exit_code, 0);
	run_result_free(&res);
	free(bin);

	char *argv[] = { "/nonexistent/tool", NULL };
	struct run_spec spec = { .argv = argv, .dir = "/tmp", .timeout_s = 5 };
	ck_assert_int_ne(run_child(&spec, &res), 0);
	ck_assert_ptr_nonnull(res.error);
	run_result_free(&res);
}
END_TEST

START_TEST(watchdog_names_the_mutexes_of_a_live_deadlock)
{
	char *bin = build_prog("deadlock");
	struct run_result res;
	double t0 = u_now();
	run_prog(bin, NULL, 1.0, 0, &res);
	ck_assert(res.timed_out);
	ck_assert_msg(res.hang && strstr(res.hang, "left") && strstr(res.hang, "right") && strstr(res.hang, "Deadlock"),
		      "explanation: %s", res.hang ? res.hang : "(none)");
	ck_assert_msg(u_now() - t0 < 4.0, "the run ended %.1f s after a 1 s timeout", u_now() - t0 - 1.0);
	run_result_free(&res);
	free(bin);
}
END_TEST

START_TEST(watchdog_counts_a_live_barrier)
{
	char *bin = build_prog("barrier");
	struct run_result res;
	run_prog(bin, NULL, 1.0, 0, &res);
	ck_assert(res.timed_out);
	ck_assert_msg(res.hang && strstr(res.hang, "3 of 4") && strstr(res.hang, "phase_end"),
		      "explanation: %s", res.hang ? res.hang : "(none)");
	run_result_free(&res);
	free(bin);
}
END_TEST

/* ---- lab, verdict, proof and JSON ---- */

START_TEST(lab_loads_by_number_and_name)
{
	struct lab a, b;
	char err[256];
	ck_assert_msg(lab_load("11", &a, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(lab_load("11-lost-update", &b, err, sizeof err), 0);
	ck_assert_str_eq(a.id, b.id);
	ck_assert_str_eq(a.edit, "counter.c");
	ck_assert(a.enabled[G_TSAN] && a.points[G_TSAN] > 0);
	ck_assert_int_ge(a.nhints, 3);
	ck_assert_ptr_nonnull(a.broken[G_TSAN]);
	lab_free(&a);
	lab_free(&b);
	ck_assert_int_ne(lab_load("99-no-such-lab", &a, err, sizeof err), 0);
	ck_assert(strstr(err, "no lab"));
	lab_free(&a);
}
END_TEST

/* A result as gate_grade would leave it, for the verdict's and writers' tests. */
static void fake_result(struct result *r, enum status tsan, const char *kind)
{
	memset(r, 0, sizeof *r);
	r->lab = u_xstrdup("11-lost-update");
	r->title = u_xstrdup("Lost update");
	r->label = u_xstrdup("test");
	int gates[] = { G_BUILD, G_TESTS, G_TSAN };
	for (int i = 0; i < 3; i++) {
		struct gate_result *g = &r->gates[gates[i]];
		r->order[r->ngates++] = gates[i];
		g->id = gates[i];
		g->status = gates[i] == G_TSAN ? tsan : ST_PASS;
		g->max_points = 10;
		g->points = g->status == ST_PASS ? 10 : 0;
		g->reason = u_xstrdup(g->status == ST_PASS ? "ok" : "ThreadSanitizer: data-race (1 report)");
		g->detail = u_xstrdup("counter.c:18: c->value++;");
		r->score += g->points;
		r->max_score += g->max_points;
	}
	if (kind)
		u_list_add(&r->gates[G_TSAN].kinds, u_xstrdup(kind));
}

START_TEST(proof_checks_broken_expectations)
{
	struct lab lab = { 0 };
	lab.enabled[G_TSAN] = 1;
	lab.broken[G_TSAN] = "data-race";
	lab.explain[G_TSAN] = "c->value++";
	struct result r;
	char *missing = NULL;

	fake_result(&r, ST_FAIL, "data-race");
	ck_assert(proof_broken_shows(&lab, &r, &missing));
	result_free(&r);

	fake_result(&r, ST_PASS, NULL);
	ck_assert(!proof_broken_shows(&lab, &r, &missing));
	ck_assert(strstr(missing, "data-race"));
	free(missing);
	result_free(&r);

	lab.explain[G_TSAN] = "to->lock";
	fake_result(&r, ST_FAIL, "data-race");
	ck_assert(!proof_broken_shows(&lab, &r, &missing));
	ck_assert(strstr(missing, "to->lock"));
	free(missing);
	result_free(&r);
}
END_TEST

START_TEST(json_carries_every_gate)
{
	struct result r;
	fake_result(&r, ST_FAIL, "data-race");
	json_t *j = json_result(&r);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "score")), 20);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "max_score")), 30);
	json_t *gates = json_object_get(j, "gates");
	ck_assert_int_eq(json_array_size(gates), 3);
	json_t *tsan = json_array_get(gates, 2);
	ck_assert_str_eq(json_string_value(json_object_get(tsan, "name")), "tsan");
	ck_assert_str_eq(json_string_value(json_object_get(tsan, "status")), "fail");
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(tsan, "kinds"), 0)), "data-race");
	/* Round trip: what we write, a JSON parser reads back. */
	char *text = json_dumps(j, 0);
	json_t *back = json_loads(text, 0, NULL);
	ck_assert_ptr_nonnull(back);
	json_decref(back);
	free(text);
	json_decref(j);
	result_free(&r);
}
END_TEST

/* A learner's code that prints a clean TSan ending and a clean Check summary changes no verdict. */
START_TEST(printed_verdicts_are_not_believed)
{
	struct lab lab;
	char err[256];
	ck_assert_int_eq(lab_load("11", &lab, err, sizeof err), 0);
	char *forged = u_fmt("%s/harness/tests/progs/forged_counter.c", lab_root());
	struct gate_opts o = { .label = "forgery" };
	struct result r;
	lab.enabled[G_HELGRIND] = lab.enabled[G_MEMCHECK] = lab.enabled[G_STRESS] = 0; /* keep it quick */
	gate_grade(&lab, forged, &o, &r);
	ck_assert_int_eq(r.gates[G_BUILD].status, ST_PASS);
	ck_assert_msg(r.gates[G_TESTS].status == ST_FAIL, "tests: %s", r.gates[G_TESTS].reason);
	ck_assert_msg(r.gates[G_TSAN].status == ST_FAIL, "tsan: %s", r.gates[G_TSAN].reason);
	ck_assert(u_list_has(&r.gates[G_TSAN].kinds, "data-race"));
	ck_assert_int_lt(r.score, r.max_score);
	result_free(&r);
	free(forged);
	lab_free(&lab);
}
END_TEST

/* A file that does not compile: the build fails with the learner's line, the rest is skipped. */
START_TEST(build_failure_points_at_the_line)
{
	struct lab lab;
	char err[256];
	ck_assert_int_eq(lab_load("11", &lab, err, sizeof err), 0);
	char *dir = u_mkdtemp("unit");
	char *bad = u_fmt("%s/counter.c", dir);
	const char *code = "#include \"counter.h\"\nvoid counter_inc(struct counter *c)\n{\n\tc->value++\n}\n";
	u_write_file(bad, code, strlen(code));
	struct gate_opts o = { .label = "broken build" };
	struct result r;
	gate_grade(&lab, bad, &o, &r);
	ck_assert_int_eq(r.gates[G_BUILD].status, ST_FAIL);
	ck_assert_msg(strstr(r.gates[G_BUILD].detail, "counter.c:4"), "detail: %s", r.gates[G_BUILD].detail);
	ck_assert_int_eq(r.gates[G_TSAN].status, ST_SKIP);
	ck_assert_int_eq(r.score, 0);
	result_free(&r);

	gate_grade(&lab, NULL, &o, &r); /* nothing submitted */
	ck_assert_int_eq(r.gates[G_BUILD].status, ST_FAIL);
	ck_assert(strstr(r.gates[G_BUILD].reason, "missing"));
	result_free(&r);
	u_rmtree(dir);
	free(dir);
	free(bad);
	lab_free(&lab);
}
END_TEST

/* Each test runs in its own process (Check's fork mode), where the runner must be set up anew. */
static void setup(void)
{
	run_init();
}

static Suite *harness_suite(void)
{
	Suite *s = suite_create("harness");
	TCase *parse = tcase_create("parsers");
	tcase_add_test(parse, tsan_reads_a_data_race);
	tcase_add_test(parse, tsan_kinds_and_fatal_errors);
	tcase_add_test(parse, valgrind_reads_helgrind_xml);
	tcase_add_test(parse, check_xml_parses);
	tcase_add_test(parse, judge_a_suite_run);
	tcase_add_test(parse, judge_a_program_run);
	tcase_add_test(parse, massif_finds_the_peak_and_its_site);
	tcase_add_test(parse, watchdog_explains_a_recorded_cycle);
	tcase_add_test(parse, watchdog_explains_barrier_self_and_orphan);
	tcase_add_checked_fixture(parse, setup, NULL);
	suite_add_tcase(s, parse);

	TCase *runner = tcase_create("runner");
	tcase_set_timeout(runner, 60);
	tcase_add_test(runner, runner_kills_the_whole_group_on_time);
	tcase_add_test(runner, runner_caps_address_space_and_reports_exec_failure);
	tcase_add_test(runner, watchdog_names_the_mutexes_of_a_live_deadlock);
	tcase_add_test(runner, watchdog_counts_a_live_barrier);
	tcase_add_checked_fixture(runner, setup, NULL);
	suite_add_tcase(s, runner);

	TCase *verdict = tcase_create("verdict");
	tcase_set_timeout(verdict, 120);
	tcase_add_test(verdict, lab_loads_by_number_and_name);
	tcase_add_test(verdict, proof_checks_broken_expectations);
	tcase_add_test(verdict, json_carries_every_gate);
	tcase_add_test(verdict, printed_verdicts_are_not_believed);
	tcase_add_test(verdict, build_failure_points_at_the_line);
	tcase_add_checked_fixture(verdict, setup, NULL);
	suite_add_tcase(s, verdict);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(harness_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
