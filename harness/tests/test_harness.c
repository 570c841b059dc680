/* test_harness.c: Check unit tests of racelab's parsers, runner, watchdog, verdict and machine formats. */
#include <check.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "access.h"
#include "blocked.h"
#include "build.h"
#include "ckxml.h"
#include "cli.h"
#include "fmt.h"
#include "concept.h"
#include "gate.h"
#include "hazard.h"
#include "jsonout.h"
#include "lab.h"
#include "massif.h"
#include "prove.h"
#include "run.h"
#include "schedule.h"
#include "tsan.h"
#include "valgrind.h"
#include "watchdog.h"

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

/* The evidence the records of f make for people (kept until the next call). */
static const char *detail_of(const struct findings *f)
{
	static char *text;
	free(text);
	text = findings_text(f);
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
	ck_assert_int_ge(f.n, 1);
	ck_assert(findings_first(&f, "data-race"));
	ck_assert_ptr_null(f.fatal);
	ck_assert_msg(strstr(detail_of(&f), "counter.c:18"), "detail does not point at counter.c:18: %s", detail_of(&f));
	ck_assert_msg(!strstr(detail_of(&f), "0x"), "an address leaked into the learner's view: %s", detail_of(&f));
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
	ck_assert(findings_first(&f, "lock-order-inversion"));
	ck_assert(findings_first(&f, "thread-leak"));
	ck_assert(strstr(detail_of(&f), "counter.c:30"));
	findings_free(&f);

	/* A stack right under the headline, and the lab frame that called the culprit. */
	tsan_parse("WARNING: ThreadSanitizer: signal-unsafe call inside of a signal handler (pid=1)\n"
		   "    #0 malloc <null> (a+0x1)\n    #1 log_msg /tmp/build/counter.c:20:3 (a+0x2)\n"
		   "    #2 on_sigterm /tmp/build/counter.c:31:2 (a+0x3)\n", &src11, &f);
	ck_assert(findings_first(&f, "signal-unsafe-call"));
	ck_assert_msg(strstr(detail_of(&f), "counter.c:20") && strstr(detail_of(&f), "on_sigterm"), "detail: %s", detail_of(&f));
	findings_free(&f);

	tsan_parse("FATAL: ThreadSanitizer: unexpected memory mapping 0x7f0000000000-0x7f0000001000\n", &src11, &f);
	ck_assert_int_eq(f.n, 0);
	ck_assert_ptr_nonnull(f.fatal);
	findings_free(&f);
}
END_TEST

START_TEST(valgrind_reads_helgrind_xml)
{
	struct findings f = { 0 };
	size_t len;
	char *xml = fixture_text("helgrind-race.xml", &len);
	vg_parse(xml, len, &src11, "helgrind", &f);
	ck_assert(findings_first(&f, "Race"));
	ck_assert_msg(strstr(detail_of(&f), "counter.c:18"), "detail: %s", detail_of(&f));
	findings_free(&f);
	/* With the learner's source at hand, the racing write names what raced. */
	char *dir = u_mkdtemp("vgsrc");
	char *copy = u_fmt("%s/counter.c", dir);
	FILE *cf = fopen(copy, "w");
	for (int i = 1; i < 18; i++)
		fputs("\n", cf);
	fputs("\tc->value++;\n", cf);
	fclose(cf);
	struct src_ctx here = { "counter.c", dir, "/nonexistent" };
	vg_parse(xml, len, &here, "helgrind", &f);
	ck_assert_msg(strstr(detail_of(&f), "Data race on c->value:"), "detail: %s", detail_of(&f));
	findings_free(&f);
	u_rmtree(dir);
	free(dir);
	free(copy);
	/* A truncated document (a run killed mid-write) still gives what it holds. */
	vg_parse(xml, len * 2 / 3, &src11, "helgrind", &f);
	ck_assert_int_ge(f.n, 1);
	findings_free(&f);
	free(xml);
}
END_TEST

/* A report that stops before its end, with no error in it, vouches for nothing. */
START_TEST(valgrind_report_cut_short_is_no_verdict)
{
	size_t len;
	char *xml = fixture_text("helgrind-race.xml", &len);
	char *dir = u_mkdtemp("vgcut"), *prefix = u_fmt("%s/vg", dir), *path = u_fmt("%s.2.xml", prefix);
	const char *first = strstr(xml, "<error>");
	ck_assert_ptr_nonnull(first);
	struct findings f = { 0 };
	u_write_file(path, xml, (size_t)(first - xml)); /* killed before its first error */
	vg_read(prefix, &src11, "helgrind", &f);
	ck_assert_int_eq(f.n, 0);
	ck_assert_msg(f.fatal && strstr(f.fatal, "ended before"), "fatal: %s", f.fatal ? f.fatal : "(none)");
	findings_free(&f);
	u_write_file(path, xml, len); /* the whole report: its race, and no complaint */
	vg_read(prefix, &src11, "helgrind", &f);
	ck_assert_int_ge(f.n, 1);
	ck_assert_ptr_null(f.fatal);
	findings_free(&f);
	u_rmtree(dir);
	free(dir);
	free(prefix);
	free(path);
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
	struct wd_hang hang = { .text = "Deadlock, a cycle of 2 threads", .kind = "deadlock" };
	ck_judge(path, run, run->timed_out ? &hang : NULL, &src11, f);
	free(path);
}

START_TEST(judge_a_suite_run)
{
	struct findings f = { 0 };
	struct run_result run = { 0 };
	judge("check-pass.xml", &run, &f);
	ck_assert_int_eq(f.n, 0);

	judge("check-fail.xml", &(struct run_result){ .exit_code = 1 }, &f);
	ck_assert(findings_first(&f, "fail"));
	ck_assert(strstr(detail_of(&f), "updates were lost"));
	findings_free(&f);

	/* Tests all passed, yet the program died: still not a pass. */
	judge("check-pass.xml", &(struct run_result){ .exit_code = -1, .signal = SIGSEGV }, &f);
	ck_assert(findings_first(&f, "crash"));
	findings_free(&f);

	/* No log at all, exit 0: a program that never ran its tests does not pass. */
	judge(NULL, &(struct run_result){ .exit_code = 0 }, &f);
	ck_assert(findings_first(&f, "crash"));
	findings_free(&f);

	/* The watchdog fired: the unfinished log still counts the tests before the hang. */
	judge("check-cut.xml", &(struct run_result){ .timed_out = 1, .exit_code = -1, .signal = SIGKILL }, &f);
	ck_assert(findings_first(&f, "hang"));
	ck_assert_str_eq(findings_first(&f, "hang")->hang_kind, "deadlock"); /* the watchdog's kind, as data */
	ck_assert(strstr(detail_of(&f), "Deadlock"));
	findings_free(&f);
}
END_TEST

/* A program with its own main has no log: only how it ended says anything. */
START_TEST(judge_a_program_run)
{
	struct findings f = { 0 };
	ck_judge_program(&(struct run_result){ .exit_code = 0 }, NULL, &f);
	ck_assert_int_eq(f.n, 0);
	ck_judge_program(&(struct run_result){ .exit_code = 3 }, NULL, &f);
	ck_assert(findings_first(&f, "exit"));
	findings_free(&f);
	ck_judge_program(&(struct run_result){ .exit_code = -1, .signal = SIGABRT }, NULL, &f);
	ck_assert(findings_first(&f, "crash"));
	findings_free(&f);
	struct wd_hang hang = { .text = "Deadlock, a cycle of 2 threads", .kind = "deadlock" };
	ck_judge_program(&(struct run_result){ .timed_out = 1, .exit_code = -1, .signal = SIGKILL }, &hang, &f);
	ck_assert(findings_first(&f, "hang") && !findings_first(&f, "crash"));
	ck_assert(strstr(detail_of(&f), "Deadlock"));
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
	struct wd_hang h;
	wd_explain_views(views, &h);
	ex = h.text, raw = h.raw;
	ck_assert_str_eq(h.kind, "deadlock");
	ck_assert(u_list_has(&h.objects, "alice.lock"));
	u_list_free(&h.objects);
	/* bob's mutex is on the heap and its source file is gone: it is named by address only. */
	ck_assert_msg(strstr(ex, "cycle of 2 threads") && strstr(ex, "alice.lock") && strstr(ex, "t1 (dl.c:10)"),
		      "explanation: %s", ex);
	ck_assert(strstr(raw, "barrier"));
	free(ex);
	free(raw);
	free(views);
}
END_TEST

/* The explanation's text and raw lines; the kind it found goes to *kind. */
static void views(const char *v, char **ex, char **raw, const char **kind)
{
	struct wd_hang h;
	wd_explain_views(v, &h);
	*ex = h.text;
	*raw = h.raw;
	if (kind)
		*kind = h.kind;
	u_list_free(&h.objects);
}

START_TEST(watchdog_explains_barrier_self_and_orphan)
{
	char *ex, *raw;
	const char *kind;
	const char *bar =
		"RACELAB-HANG {\"pid\": 5, \"threads\": ["
		"{\"lwp\": 5, \"num\": 1, \"wait\": {\"kind\": \"join\", \"target\": 6}, \"stack\": []},"
		"{\"lwp\": 6, \"num\": 2, \"wait\": {\"kind\": \"barrier\", \"addr\": \"0x10\", \"name\": \"phase_end\", \"count\": 4}, \"stack\": []},"
		"{\"lwp\": 7, \"num\": 3, \"wait\": {\"kind\": \"barrier\", \"addr\": \"0x10\", \"name\": \"phase_end\", \"count\": 4}, \"stack\": []},"
		"{\"lwp\": 8, \"num\": 4, \"wait\": {\"kind\": \"barrier\", \"addr\": \"0x10\", \"name\": \"phase_end\", \"count\": 4}, \"stack\": []}]}\n";
	views(bar, &ex, &raw, &kind);
	ck_assert_msg(strstr(ex, "3 of 4") && strstr(ex, "phase_end"), "explanation: %s", ex);
	ck_assert_str_eq(kind, "barrier-wait");
	free(ex);
	free(raw);

	const char *self = "RACELAB-HANG {\"pid\": 5, \"threads\": [{\"lwp\": 5, \"num\": 1, \"wait\": "
			   "{\"kind\": \"mutex\", \"addr\": \"0x10\", \"name\": \"bank.lock\", \"owner\": 5}, \"stack\": []}]}\n";
	views(self, &ex, &raw, &kind);
	ck_assert_msg(strstr(ex, "Self-deadlock") && strstr(ex, "bank.lock"), "explanation: %s", ex);
	ck_assert_str_eq(kind, "self-deadlock");
	free(ex);
	free(raw);

	const char *orphan = "RACELAB-HANG {\"pid\": 9, \"threads\": [{\"lwp\": 9, \"num\": 1, \"wait\": "
			     "{\"kind\": \"mutex\", \"addr\": \"0x10\", \"name\": \"log_lock\", \"owner\": 4}, \"stack\": []}]}\n";
	views(orphan, &ex, &raw, &kind);
	ck_assert_msg(strstr(ex, "no longer exists") && strstr(ex, "log_lock"), "explanation: %s", ex);
	ck_assert_str_eq(kind, "orphan-mutex");
	free(ex);
	free(raw);
}
END_TEST


/* ---- explanations: the variable, the lines, the cycle, the chart, the concept page ---- */

START_TEST(tsan_names_the_variable_lines_and_threads)
{
	struct findings f = { 0 };
	char *log = fixture_text("tsan-race.log", NULL);
	tsan_parse(log, &src11, &f);
	ck_assert_msg(strstr(detail_of(&f), "global 'shared'") && strstr(detail_of(&f), "thread T3 writes it at counter.c:18") &&
		      strstr(detail_of(&f), "thread T4 wrote it just before at counter.c:18"), "detail: %s", detail_of(&f));
	findings_free(&f);
	free(log);

	/* The main thread's write has no line number: its frame in the learner's file still shows. */
	struct src_ctx src16 = { "crew.c", "/tmp/build", "/nonexistent" };
	log = fixture_text("tsan-race-noline.log", NULL);
	tsan_parse(log, &src16, &f);
	ck_assert_msg(strstr(detail_of(&f), "the main thread writes it at crew.c (no line number)  (in run_crew)") &&
		      strstr(detail_of(&f), "stack of the main thread") && strstr(detail_of(&f), "thread T1 was started at crew.c:11"),
		      "detail: %s", detail_of(&f));
	findings_free(&f);
	free(log);

	char *lv;
	const char *cases[][2] = { { "c->value++;", "c->value" },   { "j->state = CLAIMED;", "j->state" },
				   { "in->key[in->count++] = key;", "in->count" }, { "s->n += 2;", "s->n" },
				   { "if (a == b)", NULL },           { "struct config *c = load();", NULL } };
	for (size_t i = 0; i < NELEM(cases); i++) {
		lv = src_lvalue(cases[i][0]);
		if (cases[i][1])
			ck_assert_msg(lv && strcmp(lv, cases[i][1]) == 0, "%s: got %s", cases[i][0], lv ? lv : "NULL");
		else
			ck_assert_msg(!lv, "%s: got %s", cases[i][0], lv);
		free(lv);
	}
}
END_TEST

START_TEST(tsan_shows_the_whole_lock_order_cycle)
{
	struct findings f = { 0 };
	struct src_ctx src24 = { "dining.c", "/tmp/build", "/nonexistent" };
	char *log = fixture_text("tsan-lock-cycle.log", NULL);
	tsan_parse(log, &src24, &f);
	ck_assert_msg(strstr(detail_of(&f), "cycle of 5 mutexes: M0 -> M1 -> M2 -> M3 -> M4 -> M0"), "detail: %s", detail_of(&f));
	/* every edge, the last one closing the cycle included */
	ck_assert_msg(strstr(detail_of(&f), "thread T1 holds M0 (since dining.c:24) and locks M1") &&
		      strstr(detail_of(&f), "thread T5 holds M4 (since dining.c:24) and locks M0"), "detail: %s", detail_of(&f));
	findings_free(&f);
	free(log);
}
END_TEST

/* Line i (from 0) of text, without its newline; "" past the end. */
static char *nth_line(const char *text, int i)
{
	for (; i > 0 && *text; i--)
		text += strcspn(text, "\n") + (text[strcspn(text, "\n")] == '\n');
	return u_fmt("%.*s", (int)strcspn(text, "\n"), text);
}

/* The row of the chart (line 0 at the top) that holds "-": where the bound is drawn, or -1 (or -2: several). */
static int dashed_row(const char *c, int rows)
{
	int found = -1;
	for (int i = 0; i < rows; i++) {
		char *l = nth_line(c, i);
		if (strchr(l, '-'))
			found = found == -1 ? i : -2;
		free(l);
	}
	return found;
}

START_TEST(massif_chart_draws_heap_and_bound)
{
	/* Rows of 800 B each (the top is the peak, 6400 B); the bound, 1000 B, falls in the second from the bottom. */
	long series[] = { 0, 100, 200, 400, 800, 1600, 3200, 6400 };
	char *c = massif_chart(series, 8, 1000, 8, 16, "  ");
	int lines = 0;
	for (const char *p = c; *p; p++)
		lines += *p == '\n';
	ck_assert_int_eq(lines, 9); /* 8 rows and the time axis */
	ck_assert_msg(strstr(c, "6.2 KiB") || strstr(c, "6 KiB"), "chart: %s", c);
	ck_assert_msg(strstr(c, "##"), "chart: %s", c);
	/* The bound's row: its label, dashes where the heap stays under it, # where it rises above. */
	ck_assert_msg(dashed_row(c, 8) == 6, "the bound is not drawn in row 6 (only): %s", c);
	char *row = nth_line(c, 6), *axis = nth_line(c, 8);
	ck_assert_str_eq(row, "     bound 1000 B |----------######");
	ck_assert_str_eq(axis, "                0 +---------------- time");
	free(row);
	free(axis);
	/* the last column reaches the top row, the first stays empty */
	const char *top = strchr(c, '|');
	ck_assert_msg(top && top[1] == ' ' && top[16] == '#', "chart: %s", c);
	free(c);

	/* A heap well under its bound: the bound moves up, to 1000 of a 1250 B top, its row all dashes. */
	long low[] = { 0, 10, 20, 30 };
	c = massif_chart(low, 4, 1000, 8, 16, "  ");
	ck_assert_msg(dashed_row(c, 8) == 1, "the bound is not drawn in row 1 (only): %s", c);
	row = nth_line(c, 1);
	ck_assert_str_eq(row, "     bound 1000 B |----------------");
	free(row);
	free(c);

	c = massif_chart(series, 0, 1000, 8, 16, "");
	ck_assert_str_eq(c, "");
	free(c);
}
END_TEST

START_TEST(concept_page_for_each_finding)
{
	ck_assert_str_eq(concept_slug("data-race"), "data-races");
	ck_assert_str_eq(concept_slug("LockOrder"), "lock-order");
	ck_assert_str_eq(concept_slug("barrier-wait"), "barriers");
	ck_assert_str_eq(concept_slug("oom"), "backpressure");
	ck_assert_str_eq(concept_slug("signal-unsafe-call"), "signal-safety");
	ck_assert_ptr_null(concept_slug("fail"));
	struct lab lab = { 0 };
	lab.concepts = "idempotent consumer, check-then-act";
	lab.track = "atomics";
	struct gate_result g = { 0 };
	finding_add(&g.found, "tests", "fail");
	char *line = concept_line(&g, &lab);
	ck_assert_msg(line && strstr(line, "Why it matters") && strstr(line, "docs/concepts/idempotency.md"), "%s", line);
	free(line);
	finding_add(&g.found, "watchdog", "hang")->hang_kind = "cond-wait"; /* a hang the watchdog saw beats the lab's concepts */
	line = concept_line(&g, &lab);
	ck_assert_msg(strstr(line, "docs/concepts/condition-variables.md"), "%s", line);
	free(line);
	findings_free(&g.found);
}
END_TEST

START_TEST(watchdog_says_nobody_is_left_to_signal)
{
	char *ex, *raw;
	const char *kind = NULL;
	const char *cond = "RACELAB-HANG {\"pid\": 5, \"threads\": ["
			   "{\"lwp\": 5, \"num\": 1, \"wait\": {\"kind\": \"cond\", \"addr\": \"0x10\", \"name\": \"q.ready\", \"mutex\": \"q.lock\"}, \"stack\": []},"
			   "{\"lwp\": 6, \"num\": 2, \"wait\": {\"kind\": \"sleep\"}, \"stack\": []}]}\n";
	views(cond, &ex, &raw, &kind);
	ck_assert_msg(strstr(ex, "q.ready") && strstr(ex, "nobody is left to signal it"), "explanation: %s", ex);
	ck_assert_str_eq(kind, "cond-wait");
	free(ex);
	free(raw);
	const char *bar = "RACELAB-HANG {\"pid\": 5, \"threads\": ["
			  "{\"lwp\": 6, \"num\": 2, \"wait\": {\"kind\": \"barrier\", \"addr\": \"0x10\", \"name\": \"b\", \"count\": 3}, \"stack\": []}]}\n";
	views(bar, &ex, &raw, &kind);
	ck_assert_str_eq(kind, "barrier-wait");
	free(ex);
	free(raw);
}
END_TEST

/* ---- the runner and the watchdog, on small programs made for them ---- */

/* The folder this test binary is in (build/, build-tsan/, build-asan/): what a test builds goes there. */
static char *test_dir(void)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	ck_assert_int_gt(n, 0);
	self[n] = '\0';
	*strrchr(self, '/') = '\0';
	return u_xstrdup(self);
}

static char *build_prog(const char *name)
{
	char *src = u_fmt("%s/harness/tests/progs/%s.c", lab_root(), name), *dir = test_dir();
	char *bin = u_fmt("%s/prog-%s", dir, name);
	char *argv[] = { "gcc", "-g", "-O0", "-pthread", src, "-o", bin, NULL };
	struct run_spec spec = { .argv = argv, .dir = "/tmp", .timeout_s = 60 };
	struct run_result res;
	ck_assert_int_eq(run_child(&spec, &res), 0);
	ck_assert_msg(res.exit_code == 0, "could not build %s", src);
	run_result_free(&res);
	free(src);
	free(dir);
	return bin;
}

/* Run argv as a learner's program is run; run_child's return (0: it ran, whatever its verdict). */
static int run_argv(char **argv, double timeout, long cap, const int *cancel, struct run_result *res)
{
	struct run_spec spec = { .argv = argv, .dir = "/tmp", .timeout_s = timeout, .as_cap_mb = cap,
				 .untrusted = 1, .cancel = cancel };
	return run_child(&spec, res);
}

/* A file for the spawner to write its grandchild's pid to, beside this test binary. */
static char *pid_file(void)
{
	char *dir = test_dir(), *path = u_fmt("%s/spawner-%d.pid", dir, (int)getpid());
	free(dir);
	unlink(path);
	return path;
}

/*
 * Whether the process whose pid the file holds has ended: it no longer exists,
 * or it is a zombie left for its reaper. A SIGKILL just sent may take a moment
 * to land: up to 2 s are allowed (a bound on a wait, not a measure of speed).
 */
static int spawned_ended(const char *pidfile)
{
	char *text = u_slurp(pidfile, NULL);
	ck_assert_msg(text && atoi(text) > 0, "the spawner wrote no pid to %s", pidfile);
	char *procstat = u_fmt("/proc/%d/stat", atoi(text));
	int ended = 0;
	for (int i = 0; i < 200 && !ended; i++) {
		char *st = u_slurp(procstat, NULL), *paren = st ? strrchr(st, ')') : NULL;
		ended = !st || (paren && (paren[2] == 'Z' || paren[2] == 'X'));
		free(st);
		if (!ended)
			usleep(10 * 1000);
	}
	free(procstat);
	free(text);
	return ended;
}

/* The hook a gate gives its runs: the watchdog looks before the kill. */
static void look(pid_t root, void *hang)
{
	char *script = u_fmt("%s/harness/gdb/hangview.py", lab_root());
	wd_explain(root, script, hang);
	free(script);
}

static void run_prog_hang(const char *bin, char *arg, double timeout, long cap, struct run_result *res,
			  struct wd_hang *hang)
{
	char *argv[] = { (char *)bin, arg, NULL };
	struct run_spec spec = { .argv = argv, .dir = "/tmp", .timeout_s = timeout, .as_cap_mb = cap,
				 .untrusted = 1, .on_timeout = look, .on_timeout_arg = hang };
	memset(hang, 0, sizeof *hang);
	ck_assert_int_eq(run_child(&spec, res), 0);
}

static void run_prog(const char *bin, char *arg, double timeout, long cap, struct run_result *res)
{
	struct wd_hang hang;
	run_prog_hang(bin, arg, timeout, cap, res, &hang);
	wd_hang_free(&hang);
}

START_TEST(runner_kills_the_whole_group_on_time)
{
	char *bin = build_prog("spawner"), *pids = pid_file();
	struct run_result res;
	ck_assert_int_eq(run_argv((char *[]){ bin, "hang", pids, NULL }, 0.5, 0, NULL, &res), 0);
	ck_assert(res.timed_out);
	ck_assert_msg(res.wall_s < 3.0, "a 0.5 s timeout took %.1f s", res.wall_s);
	ck_assert_msg(spawned_ended(pids), "the hung run's grandchild outlived its timeout");
	run_result_free(&res);

	/* The program exits but leaves a grandchild behind: it must not survive the run. */
	ck_assert_int_eq(run_argv((char *[]){ bin, "exit", pids, NULL }, 10, 0, NULL, &res), 0);
	ck_assert_int_eq(res.exit_code, 3);
	ck_assert(!res.timed_out);
	ck_assert_msg(res.wall_s < 3.0, "waited %.1f s for a run that exits at once", res.wall_s);
	ck_assert_msg(spawned_ended(pids), "the grandchild outlived the run that left it behind");
	run_result_free(&res);
	unlink(pids);
	free(pids);
	free(bin);
}
END_TEST

static void *cancel_soon(void *flag)
{
	usleep(300 * 1000);
	__atomic_store_n((int *)flag, 1, __ATOMIC_RELAXED);
	return NULL;
}

/* racelab watch cancels a check when a new save comes: its runs must end at once, and all their processes. */
START_TEST(runner_stops_a_cancelled_run)
{
	char *bin = build_prog("spawner"), *pids = pid_file();
	int cancel = 0;
	pthread_t t;
	pthread_create(&t, NULL, cancel_soon, &cancel);
	struct run_result res;
	ck_assert_int_ne(run_argv((char *[]){ bin, "hang", pids, NULL }, 30, 0, &cancel, &res), 0);
	pthread_join(t, NULL);
	ck_assert_str_eq(res.error, "cancelled");
	ck_assert(!res.timed_out);
	ck_assert_msg(res.wall_s < 3.0, "a run cancelled after 0.3 s took %.1f s", res.wall_s);
	ck_assert_msg(spawned_ended(pids), "the cancelled run's grandchild outlived it");
	run_result_free(&res);
	unlink(pids);
	free(pids);
	free(bin);
}
END_TEST

/*
 * A run sees PATH, HOME, LC_ALL and what its spec adds, nothing else of racelab's own
 * environment: not a learner's shell settings, nor the sanitizer options a sanitized
 * racelab runs under (TSAN_OPTIONS would redirect the TSan gate's own reports).
 */
START_TEST(runner_gives_a_clean_environment)
{
	setenv("TSAN_OPTIONS", "log_path=/nonexistent/leaked", 1);
	setenv("ASAN_OPTIONS", "detect_leaks=1", 1);
	setenv("UBSAN_OPTIONS", "print_stacktrace=1", 1);
	setenv("CK_FORK", "no", 1);
	char *dir = test_dir(), *out = u_fmt("%s/env-%d.txt", dir, (int)getpid());
	char *argv[] = { "env", NULL }, *extra[] = { "RACELAB_TOOL=tsan", NULL };
	struct run_spec spec = { .argv = argv, .env = extra, .dir = "/tmp", .timeout_s = 10, .out_path = out,
				 .untrusted = 1 };
	struct run_result res;
	ck_assert_int_eq(run_child(&spec, &res), 0);
	ck_assert_int_eq(res.exit_code, 0);
	char *text = u_slurp(out, NULL), *save = NULL;
	ck_assert_ptr_nonnull(text);
	struct u_list names = { 0 };
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		u_list_add(&names, u_fmt("%.*s", (int)strcspn(l, "="), l));
	char *all = u_list_join(&names, " ");
	ck_assert_str_eq(all, "PATH HOME LC_ALL RACELAB_TOOL");
	free(all);
	u_list_free(&names);
	run_result_free(&res);
	unlink(out);
	free(text);
	free(out);
	free(dir);
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
	struct wd_hang h;
	double t0 = u_now();
	run_prog_hang(bin, NULL, 1.0, 0, &res, &h);
	ck_assert(res.timed_out);
	ck_assert_msg(h.text && strstr(h.text, "left") && strstr(h.text, "right") && strstr(h.text, "Deadlock"),
		      "explanation: %s", h.text ? h.text : "(none)");
	ck_assert_msg(h.kind && !strcmp(h.kind, "deadlock"), "kind: %s", h.kind ? h.kind : "(none)");
	ck_assert_msg(u_now() - t0 < 4.0, "the run ended %.1f s after a 1 s timeout", u_now() - t0 - 1.0);
	run_result_free(&res);
	wd_hang_free(&h);
	free(bin);
}
END_TEST

START_TEST(watchdog_counts_a_live_barrier)
{
	char *bin = build_prog("barrier");
	struct run_result res;
	struct wd_hang h;
	run_prog_hang(bin, NULL, 1.0, 0, &res, &h);
	ck_assert(res.timed_out);
	ck_assert_msg(h.text && strstr(h.text, "3 of 4") && strstr(h.text, "phase_end"),
		      "explanation: %s", h.text ? h.text : "(none)");
	run_result_free(&res);
	wd_hang_free(&h);
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
	ck_assert(a.enabled[GATE_TSAN] && a.points[GATE_TSAN] > 0);
	ck_assert_int_ge(a.nhints, 3);
	ck_assert_ptr_nonnull(a.broken[GATE_TSAN]);
	lab_free(&a);
	lab_free(&b);
	ck_assert_int_ne(lab_load("99-no-such-lab", &a, err, sizeof err), 0);
	ck_assert(strstr(err, "no lab"));
	lab_free(&a);
	/* A value continued on an indented line is read whole (kata 23's concepts lost their first line). */
	ck_assert_msg(lab_load("23", &a, err, sizeof err) == 0, "%s", err);
	ck_assert_msg(strstr(a.concepts, "hold and wait, ") && strstr(a.concepts, "(waiter record), timeouts"),
		      "concepts: %s", a.concepts);
	lab_free(&a);
	/* A path's trailing slashes go; "" and "/" name no lab (they once looped for ever). */
	ck_assert_msg(lab_load("labs/11-lost-update//", &a, err, sizeof err) == 0, "%s", err);
	ck_assert_str_eq(a.id, "11-lost-update");
	lab_free(&a);
	const char *none[] = { "", "/", "//" };
	for (size_t i = 0; i < sizeof none / sizeof *none; i++) {
		ck_assert_msg(lab_load(none[i], &a, err, sizeof err) != 0, "'%s' named a lab", none[i]);
		ck_assert_msg(strstr(err, "no lab"), "'%s': %s", none[i], err);
		lab_free(&a);
	}
}
END_TEST

/* What is built beside the learner's file: every other .c file of the lab, in name order. */
START_TEST(lab_lists_its_fixed_sources_in_order)
{
	char *dir = u_mkdtemp("labsrc");
	struct lab lab = { .dir = dir, .edit = "main.c" };
	const char *files[] = { "main.c", "zeta.c", "alpha.c", "alpha.h", "c" };
	struct u_list l = { 0 };
	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		char *path = u_fmt("%s/%s", dir, files[i]);
		ck_assert_int_eq(u_write_file(path, "", 0), 0);
		free(path);
		if (i == 0) { /* only the file to edit (racelab diagnose of one file): nothing */
			lab_fixed_sources(&lab, &l);
			ck_assert_int_eq(l.n, 0);
		}
	}
	lab_fixed_sources(&lab, &l);
	char *got = u_list_join(&l, " "), *want = u_fmt("%s/alpha.c %s/zeta.c", dir, dir);
	ck_assert_str_eq(got, want);
	free(got);
	free(want);
	u_list_free(&l);
	u_rmtree(dir);
	free(dir);
}
END_TEST

/* A result as gate_grade would leave it, for the verdict's and writers' tests. */
static void fake_result(struct result *r, enum result_status tsan, const char *kind)
{
	memset(r, 0, sizeof *r);
	r->lab = u_xstrdup("11-lost-update");
	r->title = u_xstrdup("Lost update");
	r->label = u_xstrdup("test");
	int gates[] = { GATE_BUILD, GATE_TESTS, GATE_TSAN };
	for (int i = 0; i < 3; i++) {
		struct gate_result *g = &r->gates[gates[i]];
		r->order[r->ngates++] = gates[i];
		g->id = gates[i];
		g->status = gates[i] == GATE_TSAN ? tsan : RESULT_PASS;
		g->reason = u_xstrdup(g->status == RESULT_PASS ? "ok" : "ThreadSanitizer: data-race (1 report)");
		g->detail = u_xstrdup("counter.c:18: c->value++;");
	}
	int points[GATE_COUNT] = { [GATE_BUILD] = 10, [GATE_TESTS] = 10, [GATE_TSAN] = 10 };
	result_score(r, points);
	if (kind) {
		u_list_add(&r->gates[GATE_TSAN].kinds, u_xstrdup(kind));
		struct finding *x = finding_add(&r->gates[GATE_TSAN].found, "tsan", kind);
		x->file = u_xstrdup("counter.c");
		x->line = 18;
		x->function = u_xstrdup("counter_inc");
		u_list_add(&x->objects, u_xstrdup("c->value"));
		x->text = u_xstrdup("Data race on c->value");
		u_list_add(&r->why, u_xstrdup("Why it matters: data races."));
	}
}

START_TEST(proof_checks_broken_expectations)
{
	struct lab lab = { 0 };
	lab.enabled[GATE_TSAN] = 1;
	lab.broken[GATE_TSAN] = "data-race";
	lab.explain[GATE_TSAN] = "c->value++";
	struct result r;
	char *missing = NULL;

	fake_result(&r, RESULT_FAIL, "data-race");
	ck_assert(proof_broken_shows(&lab, &r, &missing));
	result_free(&r);

	fake_result(&r, RESULT_PASS, NULL);
	ck_assert(!proof_broken_shows(&lab, &r, &missing));
	ck_assert(strstr(missing, "data-race"));
	free(missing);
	result_free(&r);

	lab.explain[GATE_TSAN] = "to->lock";
	fake_result(&r, RESULT_FAIL, "data-race");
	ck_assert(!proof_broken_shows(&lab, &r, &missing));
	ck_assert(strstr(missing, "to->lock"));
	free(missing);
	result_free(&r);
	/* "a|b": either kind will do, and a run that shows neither is still not caught. */
	lab.explain[GATE_TSAN] = NULL;
	lab.broken[GATE_TSAN] = "hang|data-race";
	fake_result(&r, RESULT_FAIL, "data-race");
	ck_assert(proof_broken_shows(&lab, &r, &missing));
	lab.broken[GATE_TSAN] = "hang|deadlock";
	ck_assert(!proof_broken_shows(&lab, &r, &missing));
	ck_assert(strstr(missing, "hang|deadlock"));
	free(missing);
	result_free(&r);
}
END_TEST


/* A gate that could not run is left out, and the score is scaled back to the lab's total. */
START_TEST(score_leaves_out_gates_that_could_not_run)
{
	struct result r;
	fake_result(&r, RESULT_ERROR, NULL);
	ck_assert_int_eq(r.max_score, 30);
	ck_assert_int_eq(r.counted_max, 20);
	ck_assert_int_eq(r.gates[GATE_TSAN].max_points, 0);
	ck_assert_double_eq(r.score, 30);
	r.gates[GATE_TESTS].status = RESULT_FAIL; /* then half of what could run: half the total */
	int points[GATE_COUNT] = { [GATE_BUILD] = 10, [GATE_TESTS] = 10, [GATE_TSAN] = 10 };
	result_score(&r, points);
	ck_assert_double_eq(r.score, 15);
	ck_assert(!result_all_passed(&r));
	result_free(&r);
}
END_TEST

/* Write r as format into memory. */
static char *format_text(const struct result *r, const char *format)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	ck_assert_int_eq(fmt_find(format)(r, f), 0);
	fclose(f);
	return text;
}

/* The fake result with two suite tests (one failed), a graded and an ignored file. */
static void fake_graded(struct result *r, enum result_status tsan)
{
	fake_result(r, tsan, tsan == RESULT_FAIL ? "data-race" : NULL);
	result_add_case(&r->gates[GATE_TESTS], "one_thread_counts", RESULT_PASS, "");
	result_add_case(&r->gates[GATE_TESTS], "no_update_is_lost", RESULT_FAIL, "lost 3 updates (test_counter.c:40)");
	u_list_add(&r->graded, u_xstrdup("counter.c"));
	u_list_add(&r->ignored, u_xstrdup("test_counter.c"));
}

/* Whether doc equals the JSON text want; on a difference, both go in the message. */
static void assert_json_is(json_t *doc, const char *want_text)
{
	json_error_t e;
	json_t *want = json_loads(want_text, 0, &e);
	ck_assert_msg(want, "the expected document does not parse: %s", e.text);
	char *got_s = json_dumps(doc, JSON_SORT_KEYS | JSON_COMPACT), *want_s = json_dumps(want, JSON_SORT_KEYS | JSON_COMPACT);
	ck_assert_msg(json_equal(doc, want), "wrote %s -- wanted %s", got_s, want_s);
	free(got_s);
	free(want_s);
	json_decref(want);
}

/* racelab's own JSON: every field by its name, with the values of one known result, nothing more. */
START_TEST(json_carries_every_gate)
{
	struct result r;
	fake_graded(&r, RESULT_FAIL);
	r.seconds = 2.5;
	r.gates[GATE_TSAN].seconds = 1.25;
	char *text = format_text(&r, "json");
	json_error_t e;
	json_t *doc = json_loads(text, JSON_REJECT_DUPLICATES, &e);
	ck_assert_msg(doc, "not JSON (%s): %s", e.text, text);
	assert_json_is(doc, "{\"lab\": \"11-lost-update\", \"title\": \"Lost update\", \"graded_as\": \"test\","
		" \"score\": 20.0, \"max_score\": 30, \"counted_max_score\": 30, \"seconds\": 2.5,"
		" \"graded_files\": [\"counter.c\"], \"ignored_files\": [\"test_counter.c\"],"
		" \"why\": [\"Why it matters: data races.\"], \"gates\": ["
		"{\"name\": \"build\", \"status\": \"pass\", \"points\": 10, \"max_points\": 10, \"seconds\": 0.0,"
		" \"kinds\": [], \"reason\": \"ok\", \"detail\": \"counter.c:18: c->value++;\", \"findings\": [],"
		" \"notes\": [], \"tests\": []},"
		"{\"name\": \"tests\", \"status\": \"pass\", \"points\": 10, \"max_points\": 10, \"seconds\": 0.0,"
		" \"kinds\": [], \"reason\": \"ok\", \"detail\": \"counter.c:18: c->value++;\", \"findings\": [],"
		" \"notes\": [], \"tests\": ["
		"{\"name\": \"one_thread_counts\", \"status\": \"pass\", \"message\": \"\"},"
		"{\"name\": \"no_update_is_lost\", \"status\": \"fail\", \"message\": \"lost 3 updates (test_counter.c:40)\"}]},"
		"{\"name\": \"tsan\", \"status\": \"fail\", \"points\": 0, \"max_points\": 10, \"seconds\": 1.25,"
		" \"kinds\": [\"data-race\"], \"reason\": \"ThreadSanitizer: data-race (1 report)\","
		" \"detail\": \"counter.c:18: c->value++;\", \"findings\": [{\"tool\": \"tsan\", \"kind\": \"data-race\","
		" \"hang_kind\": null, \"file\": \"counter.c\", \"line\": 18, \"function\": \"counter_inc\","
		" \"objects\": [\"c->value\"], \"test\": null, \"text\": \"Data race on c->value\","
		" \"atomic_access\": false, \"outside_lab\": false, \"accesses\": [], \"misuse\": null, \"limit\": null}],"
		" \"notes\": [], \"tests\": []}]}");
	json_decref(doc);
	free(text);
	result_free(&r);
}
END_TEST

static xmlXPathObjectPtr xpath(xmlDoc *doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
	xmlXPathFreeContext(ctx);
	ck_assert_ptr_nonnull(o);
	return o;
}

START_TEST(gradescope_and_prairielearn_from_one_result)
{
	struct result r;
	fake_graded(&r, RESULT_ERROR);
	char *gs = format_text(&r, "gradescope"), *pl = format_text(&r, "prairielearn");
	json_t *g = json_loads(gs, 0, NULL), *p = json_loads(pl, 0, NULL);
	ck_assert_ptr_nonnull(g);
	ck_assert_ptr_nonnull(p);
	ck_assert_double_eq(json_number_value(json_object_get(g, "score")), 30);
	ck_assert_int_eq(json_integer_value(json_object_get(g, "max_score")), 30);
	ck_assert(strstr(json_string_value(json_object_get(g, "output")), "Ignored"));
	json_t *tests = json_object_get(g, "tests");
	ck_assert_int_eq(json_array_size(tests), 5); /* 3 gates, 2 suite tests */
	json_t *lost = json_array_get(tests, 3);
	ck_assert_str_eq(json_string_value(json_object_get(lost, "name")), "tests: no_update_is_lost");
	ck_assert_str_eq(json_string_value(json_object_get(lost, "status")), "failed");
	ck_assert_int_eq(json_integer_value(json_object_get(lost, "max_score")), 0);
	json_t *tsan = json_array_get(tests, 4);
	ck_assert_str_eq(json_string_value(json_object_get(tsan, "name")), "tsan");
	ck_assert_int_eq(json_integer_value(json_object_get(tsan, "max_score")), 0);
	ck_assert(strstr(json_string_value(json_object_get(tsan, "output")), "not counted"));
	char *tags = json_dumps(json_object_get(tsan, "tags"), JSON_COMPACT);
	ck_assert_str_eq(tags, "[\"tsan\",\"error\",\"not-counted\"]");
	free(tags);
	ck_assert_msg(strstr(json_string_value(json_object_get(g, "output")), "not counted; the score is scaled over the "
			     "gates that ran, 20 of 30 points): tsan."), "%s", gs);
	ck_assert(json_is_true(json_object_get(p, "gradable")));
	ck_assert_double_eq(json_number_value(json_object_get(p, "score")), 1.0);
	ck_assert_int_eq(json_array_size(json_object_get(p, "tests")), 5);
	json_decref(g);
	json_decref(p);
	free(gs);
	free(pl);
	result_free(&r);
}
END_TEST

START_TEST(junit_and_tap_from_one_result)
{
	struct result r;
	fake_graded(&r, RESULT_FAIL);
	char *xml = format_text(&r, "junit"), *tap = format_text(&r, "tap");
	xmlDoc *doc = xmlReadMemory(xml, (int)strlen(xml), "junit.xml", NULL, XML_PARSE_NONET);
	ck_assert_ptr_nonnull(doc);
	xmlXPathObjectPtr o = xpath(doc, "count(/testsuites/testsuite/testcase)");
	ck_assert_double_eq(o->floatval, 5);
	xmlXPathFreeObject(o);
	o = xpath(doc, "count(//testcase/failure)"); /* tsan and no_update_is_lost */
	ck_assert_double_eq(o->floatval, 2);
	xmlXPathFreeObject(o);
	o = xpath(doc, "string(/testsuites/@failures)");
	ck_assert_str_eq((const char *)o->stringval, "2");
	xmlXPathFreeObject(o);
	xmlFreeDoc(doc);
	ck_assert(strncmp(tap, "TAP version 14\n1..3\n", 20) == 0);
	ck_assert(strstr(tap, "\n    not ok 2 - no_update_is_lost\n"));
	ck_assert(strstr(tap, "\nnot ok 3 - tsan\n  ---\n"));
	ck_assert(strstr(tap, "\n  reason: 'ThreadSanitizer: data-race (1 report)'\n"));
	free(xml);
	free(tap);
	result_free(&r);
}
END_TEST

/* Bytes JSON or XML would refuse (a Latin-1 comment, a control character) still give a result file. */
START_TEST(sanitized_text_writes_in_every_format)
{
	struct result r;
	fake_graded(&r, RESULT_FAIL);
	free(r.gates[GATE_TSAN].detail);
	r.gates[GATE_TSAN].detail = u_xstrdup("counter.c:18: c->value++; /* caf\xe9 \x01 */");
	fmt_sanitize(&r);
	ck_assert_str_eq(r.gates[GATE_TSAN].detail, "counter.c:18: c->value++; /* caf? ? */");
	const char *names[] = { "gradescope", "prairielearn", "junit", "tap", "json" };
	for (int i = 0; i < 5; i++) {
		char *text = format_text(&r, names[i]);
		ck_assert_msg(strstr(text, "caf?"), "%s", names[i]);
		free(text);
	}
	result_free(&r);
}
END_TEST

/* ---- the machine formats, on results of every shape: what an autograder or CI reads ---- */

enum fake_shape { FAKE_PASSED, FAKE_BROKEN, FAKE_TOOL_MISSING, FAKE_NOTHING_RAN, FAKE_BUILD_FAILED, FAKE_HUNG,
		  FAKE_SHAPES };
static const char *const fake_shape_names[FAKE_SHAPES] = { "passed", "broken", "tsan could not run",
							    "nothing could run", "build failed", "hung" };

/* Every gate of r set to st with reason why (the build's too when build is set), then scored again. */
static void fake_set_all(struct result *r, enum result_status st, const char *why, int build)
{
	for (int i = 0; i < r->ngates; i++) {
		struct gate_result *g = &r->gates[r->order[i]];
		if (g->id == GATE_BUILD && !build)
			continue;
		g->status = st;
		free(g->reason);
		g->reason = u_xstrdup(why);
	}
}

static void fake_rescore(struct result *r)
{
	int points[GATE_COUNT] = { [GATE_BUILD] = 10, [GATE_TESTS] = 10, [GATE_TSAN] = 10 };
	result_score(r, points);
}

/* A result of the given shape, as gate_grade and racelab grade would leave it. */
static void fake_shaped(struct result *r, enum fake_shape shape)
{
	switch (shape) {
	case FAKE_PASSED:
		fake_result(r, RESULT_PASS, NULL);
		result_add_case(&r->gates[GATE_TESTS], "one_thread_counts", RESULT_PASS, "");
		result_add_case(&r->gates[GATE_TESTS], "no_update_is_lost", RESULT_PASS, "");
		u_list_add(&r->graded, u_xstrdup("counter.c"));
		u_list_add(&r->ignored, u_xstrdup("test_counter.c"));
		break;
	case FAKE_BROKEN:
		fake_graded(r, RESULT_FAIL);
		break;
	case FAKE_TOOL_MISSING:
		fake_graded(r, RESULT_ERROR);
		break;
	case FAKE_NOTHING_RAN:
		fake_graded(r, RESULT_PASS);
		fake_set_all(r, RESULT_ERROR, "not run: the compiler could not run here", 1);
		break;
	case FAKE_BUILD_FAILED:
		fake_result(r, RESULT_PASS, NULL);
		fake_set_all(r, RESULT_SKIP, "not run: the build failed", 0);
		r->gates[GATE_BUILD].status = RESULT_FAIL;
		free(r->gates[GATE_BUILD].reason);
		r->gates[GATE_BUILD].reason = u_xstrdup("does not compile");
		free(r->gates[GATE_BUILD].detail);
		r->gates[GATE_BUILD].detail = u_xstrdup("error: expected ';' before '}' token\n      counter.c:4: c->value++");
		u_list_add(&r->gates[GATE_BUILD].kinds, u_xstrdup("compile"));
		u_list_add(&r->graded, u_xstrdup("counter.c"));
		break;
	case FAKE_HUNG:
		fake_graded(r, RESULT_FAIL);
		r->gates[GATE_TESTS].status = RESULT_FAIL;
		free(r->gates[GATE_TESTS].reason);
		r->gates[GATE_TESTS].reason = u_xstrdup("tests: hang (1 report)");
		u_list_add(&r->gates[GATE_TESTS].kinds, u_xstrdup("hang"));
		result_add_case(&r->gates[GATE_TESTS], "(the test that hung)", RESULT_FAIL, "Deadlock, a cycle of 2 threads");
		break;
	case FAKE_SHAPES:
		ck_abort_msg("no such shape");
	}
	fake_rescore(r);
}

/* The score a writer shows, against the points it lists: earned of what could run, scaled to the total. */
static void assert_scaled(double score, double earned, double counted, int max, const char *what)
{
	double want = counted > 0 ? max * earned / counted : 0;
	ck_assert_msg(score > want - 1e-9 && score < want + 1e-9, "%s: score %g, but %g of %g points over %d", what,
		      score, earned, counted, max);
}

/* Gradescope's results.json: every field its autograder reads, of its type, and no other; on every test too. */
static void assert_gradescope_valid(const char *text, const char *what)
{
	json_error_t e;
	json_t *g = json_loads(text, JSON_REJECT_DUPLICATES, &e), *tests, *t;
	ck_assert_msg(g, "%s: not JSON (%s)", what, e.text);
	double score;
	int max, secs;
	const char *out, *format, *vis;
	ck_assert_msg(json_unpack_ex(g, &e, JSON_STRICT, "{s:F, s:i, s:i, s:s, s:s, s:s, s:o}", "score", &score,
				     "max_score", &max, "execution_time", &secs, "output", &out, "output_format",
				     &format, "visibility", &vis, "tests", &tests) == 0, "%s: %s", what, e.text);
	ck_assert_msg(!strcmp(format, "text") && !strcmp(vis, "visible") && json_array_size(tests) > 0, "%s", what);
	ck_assert_int_eq(max, 30);
	size_t i;
	int earned = 0, counted = 0;
	json_array_foreach(tests, i, t) {
		const char *name, *status, *tout, *tformat, *tvis;
		int ts, tmax;
		json_t *tags, *tag;
		ck_assert_msg(json_unpack_ex(t, &e, JSON_STRICT, "{s:s, s:i, s:i, s:s, s:s, s:s, s:s, s:o}", "name", &name,
					     "score", &ts, "max_score", &tmax, "status", &status, "output", &tout,
					     "output_format", &tformat, "visibility", &tvis, "tags", &tags) == 0,
			      "%s, test %zu: %s", what, i, e.text);
		ck_assert_msg(!strcmp(status, "passed") || !strcmp(status, "failed"), "%s, %s: %s", what, name, status);
		ck_assert_msg(!strcmp(tformat, "text") && !strcmp(tvis, "visible") && ts >= 0 && ts <= tmax,
			      "%s, %s", what, name);
		ck_assert_msg(json_is_array(tags), "%s, %s: tags", what, name);
		size_t k;
		json_array_foreach(tags, k, tag)
			ck_assert_msg(json_is_string(tag), "%s, %s: a tag is no string", what, name);
		earned += ts;
		counted += tmax;
	}
	assert_scaled(score, earned, counted, max, what);
	json_decref(g);
}

/* PrairieLearn's results.json, the same way. */
static void assert_prairielearn_valid(const char *text, const char *what)
{
	json_error_t e;
	json_t *p = json_loads(text, JSON_REJECT_DUPLICATES, &e), *tests, *t;
	ck_assert_msg(p, "%s: not JSON (%s)", what, e.text);
	int gradable;
	double score;
	const char *message, *out;
	ck_assert_msg(json_unpack_ex(p, &e, JSON_STRICT, "{s:b, s:F, s:s, s:s, s:o}", "gradable", &gradable, "score",
				     &score, "message", &message, "output", &out, "tests", &tests) == 0,
		      "%s: %s", what, e.text);
	size_t i;
	int earned = 0, counted = 0;
	json_array_foreach(tests, i, t) {
		const char *name, *tmsg, *tout;
		int pts, tmax;
		ck_assert_msg(json_unpack_ex(t, &e, JSON_STRICT, "{s:s, s:i, s:i, s:s, s:s}", "name", &name, "points",
					     &pts, "max_points", &tmax, "message", &tmsg, "output", &tout) == 0,
			      "%s, test %zu: %s", what, i, e.text);
		ck_assert_msg(pts >= 0 && pts <= tmax, "%s, %s", what, name);
		earned += pts;
		counted += tmax;
	}
	ck_assert_msg(json_array_size(tests) > 0 && score >= 0 && score <= 1, "%s: score %g", what, score);
	ck_assert_msg(gradable == (counted > 0), "%s: gradable %d with %d points that could run", what, gradable, counted);
	assert_scaled(score, earned, counted, 1, what);
	json_decref(p);
}

/* JUnit: well formed, and the counts on testsuites and testsuite agree with the testcases. */
static void assert_junit_valid(const char *xml, const char *what)
{
	xmlDoc *doc = xmlReadMemory(xml, (int)strlen(xml), "junit.xml", NULL, XML_PARSE_NONET);
	ck_assert_msg(doc, "%s: not XML", what);
	static const char *const counts[][2] = { { "tests", "testcase" }, { "failures", "testcase/failure" },
						 { "errors", "testcase/error" }, { "skipped", "testcase/skipped" } };
	for (size_t i = 0; i < sizeof counts / sizeof *counts; i++) {
		char *expr = u_fmt("number(/testsuites/@%s) = count(/testsuites/testsuite/%s) and "
				   "number(/testsuites/testsuite/@%s) = count(/testsuites/testsuite/%s)",
				   counts[i][0], counts[i][1], counts[i][0], counts[i][1]);
		xmlXPathObjectPtr o = xpath(doc, expr);
		ck_assert_msg(o->boolval, "%s: %s", what, expr);
		xmlXPathFreeObject(o);
		free(expr);
	}
	xmlFreeDoc(doc);
}

/*
 * What is wrong with tap as TAP 14 (NULL: nothing): the version line; at the top and in each
 * subtest (4 spaces in, after "# Subtest:") one plan that counts its test points, numbered
 * 1, 2, ... in order; right after every "not ok", its YAML block ("---" 2 spaces in).
 */
static char *tap_problem(const char *tap)
{
	int plan[2] = { -1, -1 }, count[2] = { 0, 0 }, sub = 0, awaiting = -1, n = 0;
	const char *yaml_end = NULL;
	char *copy = u_xstrdup(tap), *save = NULL, *problem = NULL;
	for (char *l = strtok_r(copy, "\n", &save); l && !problem; l = strtok_r(NULL, "\n", &save)) {
		int d = strncmp(l, "    ", 4) == 0;
		const char *t = l + 4 * d;
		if (++n == 1) {
			problem = strcmp(l, "TAP version 14") ? u_fmt("line 1 is not the version: %s", l) : NULL;
		} else if (yaml_end) {
			yaml_end = strcmp(l, yaml_end) ? yaml_end : NULL;
		} else if (!strcmp(l, "  ---") || !strcmp(l, "      ---")) {
			yaml_end = d ? "      ..." : "  ...";
			awaiting = -1;
		} else if (awaiting >= 0) {
			problem = u_fmt("line %d: a 'not ok' without its YAML block", n - 1);
		} else if (!d && !strncmp(l, "# Subtest: ", 11)) {
			sub = 1;
			plan[1] = -1;
			count[1] = 0;
		} else if (t[0] == '#') {
			continue;
		} else if (d && !sub) {
			problem = u_fmt("line %d: indented outside a subtest: %s", n, l);
		} else if (!strncmp(t, "1..", 3)) {
			problem = plan[d] >= 0 ? u_fmt("line %d: a second plan", n) : NULL;
			plan[d] = atoi(t + 3);
		} else {
			int notok = !strncmp(t, "not ok ", 7);
			if (!notok && strncmp(t, "ok ", 3))
				problem = u_fmt("line %d is not TAP: %s", n, l);
			else if (atoi(t + (notok ? 7 : 3)) != ++count[d])
				problem = u_fmt("line %d: test point %d out of order", n, count[d]);
			else if (!d && sub && plan[1] != count[1])
				problem = u_fmt("line %d: the subtest's plan says %d, it has %d", n, plan[1], count[1]);
			sub = d && sub;
			awaiting = notok ? d : -1;
		}
	}
	if (!problem && (yaml_end || awaiting >= 0))
		problem = u_xstrdup("it ends inside a YAML block, or without one after its last 'not ok'");
	if (!problem && (plan[0] != count[0] || count[0] == 0))
		problem = u_fmt("the plan says %d, it has %d test points", plan[0], count[0]);
	free(copy);
	return problem;
}

/* Each writer's document is what its reader expects, for results of every shape. */
START_TEST(every_format_is_valid_for_every_shape)
{
	for (int s = 0; s < FAKE_SHAPES; s++) {
		struct result r;
		fake_shaped(&r, (enum fake_shape)s);
		const char *what = fake_shape_names[s];
		char *gs = format_text(&r, "gradescope"), *pl = format_text(&r, "prairielearn");
		char *xml = format_text(&r, "junit"), *tap = format_text(&r, "tap");
		assert_gradescope_valid(gs, what);
		assert_prairielearn_valid(pl, what);
		assert_junit_valid(xml, what);
		char *problem = tap_problem(tap);
		ck_assert_msg(!problem, "%s, tap: %s", what, problem);
		/* Every writer says which files were graded. */
		ck_assert_msg(strstr(gs, "Graded: counter.c") && strstr(pl, "Graded: counter.c") &&
			      strstr(xml, "name=\"graded_files\" value=\"counter.c\"") && strstr(tap, "\n# Graded: counter.c"),
			      "%s: the graded file is not named", what);
		free(gs);
		free(pl);
		free(xml);
		free(tap);
		result_free(&r);
	}
}
END_TEST

/* The TAP checker itself: each defect it exists for is caught. */
START_TEST(tap_checker_catches_bad_tap)
{
	const char *bad[] = {
		"1..1\nok 1 - build\n",                                      /* no version line */
		"TAP version 14\n1..2\nok 1 - build\n",                      /* plan longer than the points */
		"TAP version 14\n1..2\nok 2 - build\nok 1 - tests\n",        /* out of order */
		"TAP version 14\n1..1\nnot ok 1 - tsan\n",                   /* not ok without YAML */
		"TAP version 14\n1..1\n# Subtest: tests\n    1..2\n    ok 1 - a\nok 1 - tests\n", /* short subtest */
		"TAP version 14\n1..1\nnot ok 1 - tsan\n  ---\n  reason: x\n", /* unfinished YAML */
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char *problem = tap_problem(bad[i]);
		ck_assert_msg(problem, "not caught: %s", bad[i]);
		free(problem);
	}
	ck_assert_ptr_null(tap_problem("TAP version 14\n1..1\n# Subtest: tests\n    1..1\n    not ok 1 - a\n"
				       "      ---\n      reason: x\n      ...\nnot ok 1 - tests\n  ---\n"
				       "  detail: |\n    one\n    ok 5 - not a point\n  ...\n"));
}
END_TEST

/* A passing result: full marks, every entry passed, one per gate and one per suite test. */
START_TEST(formats_of_a_passing_result)
{
	struct result r;
	fake_shaped(&r, FAKE_PASSED);
	char *gs = format_text(&r, "gradescope"), *xml = format_text(&r, "junit"), *tap = format_text(&r, "tap");
	json_t *g = json_loads(gs, 0, NULL), *t;
	ck_assert_double_eq(json_number_value(json_object_get(g, "score")), 30);
	struct u_list names = { 0 };
	size_t i;
	json_array_foreach(json_object_get(g, "tests"), i, t) {
		ck_assert_str_eq(json_string_value(json_object_get(t, "status")), "passed");
		u_list_add(&names, u_xstrdup(json_string_value(json_object_get(t, "name"))));
	}
	char *all = u_list_join(&names, ", ");
	ck_assert_str_eq(all, "build, tests, tests: one_thread_counts, tests: no_update_is_lost, tsan");
	ck_assert_msg(strstr(json_string_value(json_object_get(g, "output")),
			     "Ignored (only the file to edit is graded; the lab's own tests, headers and build are used): "
			     "test_counter.c."), "%s", gs);
	xmlDoc *doc = xmlReadMemory(xml, (int)strlen(xml), "junit.xml", NULL, XML_PARSE_NONET);
	xmlXPathObjectPtr o = xpath(doc, "count(//failure | //error | //skipped)");
	ck_assert_double_eq(o->floatval, 0);
	xmlXPathFreeObject(o);
	xmlFreeDoc(doc);
	ck_assert_msg(!strstr(tap, "not ok") && strstr(tap, "\nok 3 - tsan\n"), "%s", tap);
	free(all);
	u_list_free(&names);
	json_decref(g);
	free(gs);
	free(xml);
	free(tap);
	result_free(&r);
}
END_TEST

/* Where nothing could run (no compiler), PrairieLearn is told the submission is not gradable. */
START_TEST(nothing_could_run_is_not_gradable)
{
	struct result r;
	fake_shaped(&r, FAKE_NOTHING_RAN);
	char *pl = format_text(&r, "prairielearn"), *tap = format_text(&r, "tap");
	json_t *p = json_loads(pl, 0, NULL), *t;
	ck_assert(json_is_false(json_object_get(p, "gradable")));
	ck_assert_double_eq(json_number_value(json_object_get(p, "score")), 0);
	size_t i;
	json_array_foreach(json_object_get(p, "tests"), i, t)
		ck_assert_int_eq(json_integer_value(json_object_get(t, "max_points")), 0);
	/* TAP: skipped, not failed, each with the reason */
	ck_assert_msg(strstr(tap, "\nok 1 - build # SKIP could not run on the grading machine, not counted: not run: "
				  "the compiler could not run here\n"), "%s", tap);
	json_decref(p);
	free(pl);
	free(tap);
	result_free(&r);
}
END_TEST

/* A build that failed, and a hang: what JUnit and TAP say of each. */
START_TEST(formats_of_a_failed_build_and_a_hang)
{
	struct result r;
	fake_shaped(&r, FAKE_BUILD_FAILED);
	char *xml = format_text(&r, "junit");
	xmlDoc *doc = xmlReadMemory(xml, (int)strlen(xml), "junit.xml", NULL, XML_PARSE_NONET);
	xmlXPathObjectPtr o = xpath(doc, "count(//testcase[@name='build']/failure[contains(., 'counter.c:4')]) = 1 "
					 "and count(//testcase/skipped) = 2");
	ck_assert_msg(o->boolval, "%s", xml);
	xmlXPathFreeObject(o);
	xmlFreeDoc(doc);
	free(xml);
	result_free(&r);

	fake_shaped(&r, FAKE_HUNG);
	xml = format_text(&r, "junit");
	char *tap = format_text(&r, "tap");
	doc = xmlReadMemory(xml, (int)strlen(xml), "junit.xml", NULL, XML_PARSE_NONET);
	o = xpath(doc, "count(//testcase[@name='tests']/failure[contains(@message, 'hang')]) = 1 and "
		       "count(//testcase[@name='(the test that hung)']/failure[contains(@message, 'Deadlock')]) = 1");
	ck_assert_msg(o->boolval, "%s", xml);
	xmlXPathFreeObject(o);
	xmlFreeDoc(doc);
	ck_assert_msg(strstr(tap, "\n    not ok 3 - (the test that hung)\n      ---\n      reason: Deadlock, a cycle of "
				  "2 threads\n      ...\n") && strstr(tap, "\nnot ok 2 - tests\n"), "%s", tap);
	free(xml);
	free(tap);
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
	lab.enabled[GATE_HELGRIND] = lab.enabled[GATE_MEMCHECK] = lab.enabled[GATE_STRESS] = 0; /* keep it quick */
	lab.enabled[GATE_SCHEDULES] = 0;
	gate_grade(&lab, forged, &o, &r);
	ck_assert_int_eq(r.gates[GATE_BUILD].status, RESULT_PASS);
	ck_assert_msg(r.gates[GATE_TESTS].status == RESULT_FAIL, "tests: %s", r.gates[GATE_TESTS].reason);
	ck_assert_msg(r.gates[GATE_TSAN].status == RESULT_FAIL, "tsan: %s", r.gates[GATE_TSAN].reason);
	ck_assert(u_list_has(&r.gates[GATE_TSAN].kinds, "data-race"));
	ck_assert_int_lt(r.score, r.max_score);
	result_free(&r);
	free(forged);
	lab_free(&lab);
}
END_TEST

/* on_gate's record: the gates in the order they were reported, and what each had when it was. */
struct gate_log {
	int gates[GATE_COUNT], n;
	enum result_status status[GATE_COUNT];
};

static void log_gate(const struct result *r, int gate, void *user)
{
	struct gate_log *l = user;
	ck_assert_int_lt(l->n, GATE_COUNT);
	l->status[l->n] = r->gates[gate].status;
	l->gates[l->n++] = gate;
}

/*
 * The shipped kata 11 with every gate of its lab, three at once (the gate threads side by side,
 * as racelab check runs them): each gate is reported once, in the lab's order, already settled,
 * and the detectors catch the race. Under ThreadSanitizer (make unit-tsan) this is the test that
 * watches the gate threads.
 */
START_TEST(gates_side_by_side_report_in_order)
{
	struct lab lab;
	char err[256];
	ck_assert_int_eq(lab_load("11", &lab, err, sizeof err), 0);
	char *shipped = u_fmt("%s/%s", lab.dir, lab.edit);
	struct gate_log log = { .n = 0 };
	struct gate_opts o = { .jobs = 3, .label = "shipped", .on_gate = log_gate, .user = &log };
	struct result r;
	gate_grade(&lab, shipped, &o, &r);
	ck_assert_int_eq(log.n, r.ngates);
	for (int i = 0; i < r.ngates; i++) {
		ck_assert_msg(log.gates[i] == r.order[i], "reported %s where %s was due", gate_names[log.gates[i]],
			      gate_names[r.order[i]]);
		ck_assert_msg(log.status[i] == r.gates[r.order[i]].status, "%s was reported before it settled",
			      gate_names[r.order[i]]);
	}
	ck_assert_int_eq(r.gates[GATE_BUILD].status, RESULT_PASS);
	ck_assert_msg(r.gates[GATE_TSAN].status == RESULT_FAIL && u_list_has(&r.gates[GATE_TSAN].kinds, "data-race"), "tsan: %s",
		      r.gates[GATE_TSAN].reason);
	ck_assert_msg(r.gates[GATE_HELGRIND].status == RESULT_FAIL && u_list_has(&r.gates[GATE_HELGRIND].kinds, "Race"),
		      "helgrind: %s", r.gates[GATE_HELGRIND].reason);
	result_free(&r);
	free(shipped);
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
	ck_assert_int_eq(r.gates[GATE_BUILD].status, RESULT_FAIL);
	ck_assert_msg(strstr(r.gates[GATE_BUILD].detail, "counter.c:4"), "detail: %s", r.gates[GATE_BUILD].detail);
	ck_assert_int_eq(r.gates[GATE_TSAN].status, RESULT_SKIP);
	ck_assert_int_eq(r.score, 0);
	/* JUnit: the build's failure shows the line, every other gate is skipped. */
	char *xml = format_text(&r, "junit");
	xmlDoc *doc = xmlReadMemory(xml, (int)strlen(xml), "junit.xml", NULL, XML_PARSE_NONET);
	ck_assert_ptr_nonnull(doc);
	char *expr = u_fmt("count(//testcase[@name='build']/failure[contains(., 'counter.c:4')]) = 1 and "
			   "count(//testcase/skipped) = %d", r.ngates - 1);
	xmlXPathObjectPtr x = xpath(doc, expr);
	ck_assert_msg(x->boolval, "%s: %s", expr, xml);
	xmlXPathFreeObject(x);
	xmlFreeDoc(doc);
	free(expr);
	free(xml);
	result_free(&r);

	gate_grade(&lab, NULL, &o, &r); /* nothing submitted */
	ck_assert_int_eq(r.gates[GATE_BUILD].status, RESULT_FAIL);
	ck_assert(strstr(r.gates[GATE_BUILD].reason, "missing"));
	result_free(&r);
	u_rmtree(dir);
	free(dir);
	free(bad);
	lab_free(&lab);
}
END_TEST

/* racelab grade of lab 11 from src into out as json: its exit code, and the document (NULL: none). */
static int grade_json(const char *src, const char *out, json_t **doc)
{
	struct cli_opts o = { .lab = "11", .src = src, .format = "json", .out = out, .jobs = 2 };
	int rc = grade_cmd(&o);
	if (doc)
		*doc = json_load_file(out, 0, NULL);
	return rc;
}

/*
 * racelab grade of what builds nothing (no gate runs): a folder that does not exist, an empty one,
 * one without the file to edit. A result file all the same, each saying why; what else lies in the
 * folder is listed as ignored. The result is written in place to a device: /dev/null stays one.
 */
START_TEST(grade_without_the_file_to_edit)
{
	char *dir = u_mkdtemp("gradesrc"), *out = u_fmt("%s/result.json", dir), *src = u_fmt("%s/sub", dir);
	const struct {
		const char *readme; /* NULL: the folder does not exist; "": it is empty */
		const char *reason, *ignored;
	} cases[] = { { NULL, "does not exist: nothing to build", "[]" },
		      { "", "counter.c is missing: nothing to build", "[]" },
		      { "counter.c lives elsewhere", "counter.c is missing: nothing to build", "[\"README.txt\"]" } };
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		if (cases[i].readme)
			ck_assert_int_eq(u_mkdirs(src), 0);
		if (cases[i].readme && *cases[i].readme) {
			char *readme = u_fmt("%s/README.txt", src);
			u_write_file(readme, cases[i].readme, strlen(cases[i].readme));
			free(readme);
		}
		json_t *doc;
		ck_assert_int_eq(grade_json(src, out, &doc), 1);
		ck_assert_msg(doc, "case %zu: no result file", i);
		json_t *build = json_array_get(json_object_get(doc, "gates"), 0);
		const char *reason = json_string_value(json_object_get(build, "reason"));
		ck_assert_str_eq(json_string_value(json_object_get(build, "status")), "fail");
		ck_assert_msg(reason && strstr(reason, cases[i].reason), "case %zu: %s", i, reason);
		ck_assert_double_eq(json_number_value(json_object_get(doc, "score")), 0);
		char *ignored = json_dumps(json_object_get(doc, "ignored_files"), JSON_COMPACT | JSON_ENCODE_ANY);
		char *graded = json_dumps(json_object_get(doc, "graded_files"), JSON_COMPACT | JSON_ENCODE_ANY);
		ck_assert_str_eq(ignored, cases[i].ignored);
		ck_assert_str_eq(graded, "[]");
		free(ignored);
		free(graded);
		json_decref(doc);
	}
	struct stat st;
	ck_assert_int_eq(grade_json(src, "/dev/null", NULL), 1);
	ck_assert_msg(stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode), "/dev/null is no longer a device");
	u_rmtree(dir);
	free(dir);
	free(out);
	free(src);
}
END_TEST

/* Each test runs in its own process (Check's fork mode), where the runner must be set up anew. */
/* A race's accesses and a misuse are fields of the record (recorded from corpus programs of diagnose). */
START_TEST(valgrind_records_accesses_and_misuse)
{
	const struct src_ctx rounds = { "race_barrier_rounds.c", "/nonexistent", "/nonexistent" };
	size_t len;
	char *xml = fixture_text("helgrind-race-rounds.xml", &len);
	struct findings f = { 0 };
	vg_parse(xml, len, &rounds, "helgrind", &f);
	const struct finding *x = findings_first(&f, "Race");
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->naccess, 2); /* this write, and the read it conflicts with */
	ck_assert(x->access[0].write && !x->access[1].write);
	ck_assert_int_eq(x->access[0].size, 4);
	ck_assert_str_eq(x->access[0].file, "race_barrier_rounds.c");
	ck_assert_int_eq(x->access[0].line, 14);
	ck_assert_int_eq(x->access[1].line, 27);
	ck_assert(x->access[0].ip == 0x1091CF && x->access[0].in_lab);
	ck_assert_ptr_null(x->misuse);
	findings_free(&f);
	free(xml);

	const struct src_ctx exits = { "misuse_exit_holding.c", "/nonexistent", "/nonexistent" };
	xml = fixture_text("drd-exit-holding.xml", &len);
	vg_parse(xml, len, &exits, "drd", &f);
	x = findings_first(&f, "MutexErr");
	ck_assert_ptr_nonnull(x);
	ck_assert_str_eq(x->misuse, "exit-holding-lock");
	ck_assert_int_eq(x->naccess, 0);
	ck_assert_msg(strstr(x->text, "first used here") && strstr(x->text, "misuse_exit_holding.c:11"),
		      "DRD's first use of the mutex (its lock) is not shown: %s", x->text);
	findings_free(&f);
	free(xml);

	/* TSan: the headline names the misuse; a race's accesses say which is atomic. */
	tsan_parse("WARNING: ThreadSanitizer: unlock of an unlocked mutex (or by a wrong thread) (pid=7)\n"
		   "    #0 pthread_mutex_unlock <null> (a.out+0x1)\n    #1 store /tmp/build/counter.c:16:3 (a.out+0x2)\n"
		   "==================\n", &src11, &f);
	ck_assert_str_eq(f.v[0].misuse, "unlock-not-held");
	ck_assert_int_eq(f.v[0].line, 16);
	findings_free(&f);
}
END_TEST

/* TSan's own failure names its file (the deadlock detector past 64 mutexes); a hang still growing is busy. */
START_TEST(tsan_crash_and_growth_are_told)
{
	char *prefix = fixture("tsan-check-failed.log");
	char *where = tsan_check_failed(prefix);
	ck_assert_str_eq(where ? where : "(none)", "sanitizer_deadlock_detector.h");
	free(where);
	free(prefix);
	prefix = fixture("tsan-race.log");
	ck_assert_ptr_null(tsan_check_failed(prefix)); /* no such file: nothing failed */
	free(prefix);

	struct wd_hang h = { .kind = "cond-wait", .text = u_xstrdup("thread 2 waits on condition variable c.") };
	wd_growth(&h, 1000, 1000, 0.2);
	ck_assert_str_eq(h.kind, "cond-wait"); /* no growth: the wait stands */
	wd_growth(&h, 1000, 9192, 0.2);
	ck_assert_str_eq(h.kind, "growing");
	ck_assert_msg(strstr(h.text, "8.0 MiB more") && strstr(h.text, "busy"), "%s", h.text);
	wd_hang_free(&h);
	struct wd_hang d = { .kind = "deadlock", .text = u_xstrdup("Deadlock, a cycle of 2 threads") };
	wd_growth(&d, 1000, 9192, 0.2);
	ck_assert_str_eq(d.kind, "deadlock"); /* a cycle hangs whatever else still runs */
	wd_hang_free(&d);
}
END_TEST

/* ---- the blocked rule: a hang named as soon as every thread waits for good ---- */

START_TEST(blocked_reads_a_thread_wait)
{
	char *wait = u_fmt("%d 0x55d27bea0208 0x80 0x2 0x0 0x0 0x0 0x7fed253fd220 0x55d27aa6ee2a", (int)SYS_futex);
	char *timed = u_fmt("%d 0x55d27bea0208 0x189 0x2 0x7ffc0a1b2c30 0x0 0xffffffff 0x7fed253fd220 0x55d27aa6ee2a",
			    (int)SYS_futex);
	char *join = u_fmt("%d 0x7fed253fe990 0x109 0x2cee 0x0 0x0 0xffffffff 0x7fff320509f0 0x7fed28984f16", (int)SYS_futex);
	char *nap = u_fmt("%d 0x7fed25bfe6b8 0x7fed25bfe6b8 0x0 0x8 0x0 0x7fff320507e7 0x7fed25bfe6c8 0x55d27aa6e8ce",
			  (int)SYS_nanosleep);
	char *child = u_fmt("%d 0xffffffff 0x7ffc3c 0x0 0x0 0x0 0x0 0x7ffc3c 0x7f00aa", (int)SYS_wait4);
	ck_assert(blk_line_waits(wait, 'S'));          /* a mutex or condition variable, no timeout */
	ck_assert(blk_line_waits(join, 'S'));          /* pthread_join: a bitset wait, no timeout */
	ck_assert(blk_line_waits(child, 'S'));         /* waits for a child of the tree */
	ck_assert(!blk_line_waits(timed, 'S'));        /* a timed wait ends by itself */
	ck_assert(!blk_line_waits(nap, 'S'));          /* a sleep ends by itself */
	ck_assert(!blk_line_waits(wait, 'R'));         /* woken, waiting for a CPU */
	ck_assert(!blk_line_waits("running", 'R'));
	ck_assert(!blk_line_waits("-1 0x7ffc 0x7f00", 'S'));
	free(wait);
	free(timed);
	free(join);
	free(nap);
	free(child);
}
END_TEST

/* Run bin with a long timeout and the blocked rule on: only the rule, or the program itself, can end it. */
static void run_blocked_rule(const char *bin, char *arg, struct run_result *res, struct wd_hang *hang)
{
	char *argv[] = { (char *)bin, arg, NULL };
	struct run_spec spec = { .argv = argv, .dir = "/tmp", .timeout_s = 30, .blocked_s = 0.3, .untrusted = 1,
				 .on_timeout = look, .on_timeout_arg = hang };
	memset(hang, 0, sizeof *hang);
	ck_assert_int_eq(run_child(&spec, res), 0);
}

START_TEST(blocked_rule_names_a_deadlock_before_its_alarm)
{
	char *bin = build_prog("alarm_deadlock");
	struct run_result res;
	struct wd_hang h;
	run_blocked_rule(bin, NULL, &res, &h);
	ck_assert_msg(res.timed_out && res.blocked, "not stopped as blocked (signal %d, exit %d)", res.signal,
		      res.exit_code);
	ck_assert_msg(h.kind && !strcmp(h.kind, "deadlock"), "kind: %s (%s)", h.kind ? h.kind : "(none)",
		      h.text ? h.text : "");
	char *why = run_limit_text(&res);
	ck_assert_msg(strstr(why, "blocked for good"), "%s", why);
	free(why);
	run_result_free(&res);
	wd_hang_free(&h);
	free(bin);
}
END_TEST

START_TEST(blocked_rule_leaves_sleepers_alone)
{
	char *bin = build_prog("sleeper");
	char *modes[] = { NULL, "alarm" }; /* a sleeping thread; a wait its own SIGALRM handler ends */
	for (size_t i = 0; i < NELEM(modes); i++) {
		struct run_result res;
		struct wd_hang h;
		run_blocked_rule(bin, modes[i], &res, &h);
		ck_assert_msg(!res.timed_out && res.exit_code == 0, "sleeper %s: timed out %d (%s), exit %d",
			      modes[i] ? modes[i] : "", res.timed_out, h.text ? h.text : "", res.exit_code);
		run_result_free(&res);
		wd_hang_free(&h);
	}
	free(bin);
}
END_TEST

/* ---- access.c: plain loads and stores told from atomics, on a small program's binaries ---- */

/* The line of prog's source that carries "tag:NAME". */
static int tagged_line(const char *path, const char *name)
{
	char *tag = u_fmt("tag:%s", name), *text = u_slurp(path, NULL);
	int line = 0;
	for (char *p = text, *nl; p && *p; p = nl + 1) {
		line++;
		nl = strchr(p, '\n');
		if (!nl)
			break;
		if (memmem(p, (size_t)(nl - p), tag, strlen(tag)))
			break;
	}
	free(tag);
	free(text);
	return line;
}

START_TEST(access_tells_plain_from_atomic)
{
	char *dir = u_mkdtemp("access");
	char *src = u_fmt("%s/harness/tests/progs/accesses.c", lab_root()), *copy = u_fmt("%s/accesses.c", dir);
	ck_assert_int_eq(u_copy_file(src, copy), 0);
	struct lab lab = { .id = "access", .dir = dir, .edit = "accesses.c", .own_main = 1 };
	struct src_ctx sc = { "accesses.c", dir, dir };
	struct findings built = { 0 };
	ck_assert_int_eq(build_variant(&lab, dir, BUILD_PLAIN, &sc, &built, NULL, NULL), 0);
	struct acc_program p;
	ck_assert_msg(acc_scan(&lab, dir, &sc, &p) == 0, "%s", p.error ? p.error : "");
	struct finding_access a = { .file = "accesses.c", .in_lab = 1 };
	a.line = tagged_line(src, "plain");
	ck_assert_int_eq(acc_classify(&p, &a), ACC_PLAIN);
	a.line = tagged_line(src, "atomic");
	ck_assert_int_eq(acc_classify(&p, &a), ACC_ATOMIC);
	a.line = tagged_line(src, "none");
	ck_assert_int_eq(acc_classify(&p, &a), ACC_UNKNOWN);
	/* Inline assembly: TSan instruments nothing there; only the instruction at the address tells. */
	a.line = tagged_line(src, "asm");
	ck_assert_int_eq(acc_classify(&p, &a), ACC_UNKNOWN);
	unsigned long locked = 0;
	for (int i = 0; i < p.ninsns; i++)
		if (p.insns[i].line == a.line && p.insns[i].locked)
			locked = p.insns[i].addr;
	ck_assert_msg(locked, "no locked instruction at line %d", a.line);
	a.ip = 0x108000 + locked; /* where Valgrind loads a PIE: the same offset in its page */
	ck_assert_int_eq(acc_classify(&p, &a), ACC_ATOMIC);
	a.ip += 1; /* another instruction's address says nothing of this one */
	ck_assert_int_eq(acc_classify(&p, &a), ACC_UNKNOWN);
	a.in_lab = 0;
	ck_assert_int_eq(acc_classify(&p, &a), ACC_LIBRARY);
	/* What else synchronizes: the atomics (both kinds), and the pipe, which Helgrind and DRD do not model. */
	char *at_atomic = u_fmt("accesses.c:%d", tagged_line(src, "atomic")), *at_asm = u_fmt("accesses.c:%d", a.line);
	ck_assert(u_list_has(&p.atomics, at_atomic) && u_list_has(&p.atomics, at_asm));
	ck_assert(u_list_has(&p.unmodeled, "pipe"));
	free(at_atomic);
	free(at_asm);
	acc_free(&p);
	findings_free(&built);
	u_rmtree(dir);
	free(dir);
	free(src);
	free(copy);
}
END_TEST

/* ---- hazard.c: which detector's record counts as which hazard ---- */

/* A program's grading where every gate passed; hz_fail adds a record and fails its gate. */
static void hz_result(struct result *r)
{
	static const int gates[] = { GATE_BUILD, GATE_TESTS, GATE_TSAN, GATE_HELGRIND, GATE_DRD, GATE_MEMCHECK, GATE_MEMORY };
	memset(r, 0, sizeof *r);
	for (size_t i = 0; i < NELEM(gates); i++) {
		r->gates[gates[i]].id = gates[i];
		r->gates[gates[i]].status = RESULT_PASS;
		r->order[r->ngates++] = gates[i];
	}
}

static struct finding *hz_fail(struct result *r, int gate, const char *tool, const char *kind)
{
	r->gates[gate].status = RESULT_FAIL;
	return finding_add(&r->gates[gate].found, tool, kind);
}

static void hz_access(struct finding *x, int line, int write)
{
	struct finding_access *a = finding_add_access(x);
	a->file = u_xstrdup("p.c");
	a->line = line;
	a->write = write;
	a->in_lab = 1;
}

/* Helgrind's and DRD's race on p.c:14 (write) against p.c:27 (read), TSan silent. */
static void hz_valgrind_race(struct result *r)
{
	hz_result(r);
	struct finding *x = hz_fail(r, GATE_HELGRIND, "helgrind", "Race");
	hz_access(x, 14, 1);
	hz_access(x, 27, 0);
	hz_access(hz_fail(r, GATE_DRD, "drd", "ConflictingAccess"), 14, 1);
}

START_TEST(hazard_rules_judge_the_records)
{
	struct acc_line lines[] = { { "p.c", 14, 1, 0 }, { "p.c", 27, 1, 0 } };
	struct acc_program acc = { .lines = lines, .nlines = 2 };
	struct result r;
	struct hz_report h;

	/* Both Valgrind tools, the same place, plain accesses, nothing else synchronizing: a race. */
	hz_valgrind_race(&r);
	hz_judge(&r, &acc, &h);
	ck_assert(h.found[HZ_RACE] && h.n == 2 && h.v[0].why);
	hz_free(&h);
	/* Without the binary's word, or with an atomic access, or atomics elsewhere: a note, no race. */
	hz_judge(&r, NULL, &h);
	ck_assert(!h.found[HZ_RACE] && h.notes.n == 2);
	hz_free(&h);
	lines[1].atomic = 1;
	hz_judge(&r, &acc, &h);
	ck_assert(!h.found[HZ_RACE]);
	ck_assert_msg(strstr(h.notes.v[0], "p.c:27 is atomic"), "%s", h.notes.v[0]);
	hz_free(&h);
	lines[1].atomic = 0;
	u_list_add(&acc.atomics, u_xstrdup("p.c:40"));
	hz_judge(&r, &acc, &h);
	ck_assert(!h.found[HZ_RACE]);
	ck_assert_msg(strstr(h.notes.v[0], "atomic operations (at p.c:40)"), "%s", h.notes.v[0]);
	hz_free(&h);
	u_list_free(&acc.atomics);
	/* Helgrind alone: a note. */
	result_free(&r);
	hz_result(&r);
	hz_access(hz_fail(&r, GATE_HELGRIND, "helgrind", "Race"), 14, 1);
	hz_judge(&r, &acc, &h);
	ck_assert(!h.found[HZ_RACE] && h.notes.n == 1);
	hz_free(&h);
	result_free(&r);

	/* Helgrind's lock order: a note while TSan ran and said nothing, a deadlock once TSan agrees or could not judge it. */
	hz_result(&r);
	hz_fail(&r, GATE_HELGRIND, "helgrind", "LockOrder");
	hz_judge(&r, NULL, &h);
	ck_assert(!h.found[HZ_DEADLOCK] && h.notes.n == 1);
	hz_free(&h);
	r.gates[GATE_TSAN].partial = u_xstrdup("its deadlock detector failed");
	hz_judge(&r, NULL, &h);
	ck_assert(h.found[HZ_DEADLOCK] && h.ngaps == 1 && !h.whole_gaps);
	hz_free(&h);
	result_free(&r);

	/* A misuse is a misuse, whoever reports it; a run that broke its tool is a gap, never a clean bill. */
	hz_result(&r);
	hz_fail(&r, GATE_DRD, "drd", "MutexErr")->misuse = "unlock-not-held";
	r.gates[GATE_TSAN].status = RESULT_FAIL; /* no record: the run broke the tool */
	r.gates[GATE_TSAN].reason = u_xstrdup("ThreadSanitizer left no verdict");
	hz_judge(&r, NULL, &h);
	ck_assert(h.found[HZ_MISUSE] && h.whole_gaps == 1 && !h.unjudged[HZ_RACE]);
	hz_free(&h);
	result_free(&r);

	/* Busy is not hung: still growing uncapped, out of memory under the cap: memory, and the run's gap. */
	hz_result(&r);
	hz_fail(&r, GATE_TESTS, "watchdog", "hang")->hang_kind = "growing";
	hz_fail(&r, GATE_MEMORY, "tests", "oom");
	hz_judge(&r, NULL, &h);
	ck_assert(h.found[HZ_MEMORY] && !h.found[HZ_HANG] && h.whole_gaps == 1);
	hz_free(&h);
	result_free(&r);

	/* A signal that ended the plain run is a crash; a blocked cycle a deadlock. */
	hz_result(&r);
	hz_fail(&r, GATE_TESTS, "tests", "crash");
	hz_judge(&r, NULL, &h);
	ck_assert(h.found[HZ_CRASH] && h.n == 1);
	hz_free(&h);
	result_free(&r);
	hz_result(&r);
	hz_fail(&r, GATE_TESTS, "watchdog", "hang")->hang_kind = "deadlock";
	hz_fail(&r, GATE_HELGRIND, "watchdog", "hang");
	hz_judge(&r, NULL, &h);
	ck_assert(h.found[HZ_DEADLOCK] && !h.found[HZ_HANG] && !h.ngaps);
	hz_free(&h);
	result_free(&r);
}
END_TEST

static void setup(void)
{
	run_init();
}

TCase *room_tcase(void); /* test_room.c */

/* A search's rounds: contiguous schedules, the whole budget in all, the first round a sixteenth. */
START_TEST(search_rounds_cover_the_budget_once)
{
	long budgets[] = { 1000, 2000, 7, 1 };
	for (size_t b = 0; b < sizeof budgets / sizeof budgets[0]; b++) {
		long next = 0, total = 0;
		double secs = 0;
		for (int i = 0; i < SCH_ROUNDS; i++) {
			struct sch_round r;
			sch_round(budgets[b], 2.0, i, &r);
			ck_assert_msg(r.first >= next, "round %d of %ld starts at %ld, before %ld", i, budgets[b], r.first,
				      next);
			ck_assert_int_ge(r.budget, 1);
			next = r.first + r.budget;
			total += r.budget;
			secs += r.seconds;
			if (i == 0 && budgets[b] >= 16)
				ck_assert_int_eq(r.budget, budgets[b] / 16);
		}
		ck_assert_msg(total >= budgets[b] && total <= budgets[b] + SCH_ROUNDS, "budget %ld: %ld in all",
			      budgets[b], total);
		ck_assert_double_eq_tol(secs, 2.0, 1e-9);
	}
}
END_TEST

/* A test's lines of several rounds are one record: counts summed, the failure kept. */
START_TEST(search_records_of_rounds_are_summed)
{
	char *dir = u_mkdtemp("schrec"), *path = u_fmt("%s/s.txt", dir);
	const char *text = "test a explored 62 too-long 0 seconds 0.100 failed 0 kind - why \n"
			   "test b explored 62 too-long 1 seconds 0.125 failed 0 kind - why \n"
			   "test a explored 187 too-long 0 seconds 0.300 failed 0 kind - why \n"
			   "test b explored 3 too-long 0 seconds 0.010 failed 4242 kind deadlock why T1 holds {s:8}\n";
	u_write_file(path, text, strlen(text));
	struct sch_records r;
	ck_assert_int_eq(sch_records_read(path, &r), 0);
	ck_assert_int_eq(r.n, 2);
	ck_assert_str_eq(r.v[0].test, "a");
	ck_assert_int_eq(r.v[0].explored, 249);
	ck_assert_ptr_null(r.v[0].seed);
	ck_assert_str_eq(r.v[1].test, "b");
	ck_assert_int_eq(r.v[1].explored, 65);
	ck_assert_int_eq(r.v[1].too_long, 1);
	ck_assert_str_eq(r.v[1].seed, "4242");
	ck_assert_str_eq(r.v[1].kind, "deadlock");
	ck_assert_str_eq(r.v[1].why, "T1 holds {s:8}");
	ck_assert_int_eq(sch_records_failed(&r), 1);
	sch_records_free(&r);
	u_rmtree(dir);
	free(dir);
	free(path);
}
END_TEST

static Suite *harness_suite(void)
{
	Suite *s = suite_create("harness");
	TCase *parse = tcase_create("parsers");
	tcase_add_test(parse, tsan_reads_a_data_race);
	tcase_add_test(parse, tsan_kinds_and_fatal_errors);
	tcase_add_test(parse, valgrind_reads_helgrind_xml);
	tcase_add_test(parse, valgrind_report_cut_short_is_no_verdict);
	tcase_add_test(parse, check_xml_parses);
	tcase_add_test(parse, judge_a_suite_run);
	tcase_add_test(parse, judge_a_program_run);
	tcase_add_test(parse, massif_finds_the_peak_and_its_site);
	tcase_add_test(parse, watchdog_explains_a_recorded_cycle);
	tcase_add_test(parse, watchdog_explains_barrier_self_and_orphan);
	tcase_add_test(parse, tsan_names_the_variable_lines_and_threads);
	tcase_add_test(parse, tsan_shows_the_whole_lock_order_cycle);
	tcase_add_test(parse, massif_chart_draws_heap_and_bound);
	tcase_add_test(parse, concept_page_for_each_finding);
	tcase_add_test(parse, watchdog_says_nobody_is_left_to_signal);
	tcase_add_checked_fixture(parse, setup, NULL);
	suite_add_tcase(s, parse);

	TCase *runner = tcase_create("runner");
	tcase_set_timeout(runner, 60);
	tcase_add_test(runner, runner_kills_the_whole_group_on_time);
	tcase_add_test(runner, runner_caps_address_space_and_reports_exec_failure);
	tcase_add_test(runner, runner_stops_a_cancelled_run);
	tcase_add_test(runner, runner_gives_a_clean_environment);
	tcase_add_test(runner, watchdog_names_the_mutexes_of_a_live_deadlock);
	tcase_add_test(runner, watchdog_counts_a_live_barrier);
	tcase_add_checked_fixture(runner, setup, NULL);
	suite_add_tcase(s, runner);

	TCase *verdict = tcase_create("verdict");
	tcase_set_timeout(verdict, 120);
	tcase_add_test(verdict, lab_loads_by_number_and_name);
	tcase_add_test(verdict, lab_lists_its_fixed_sources_in_order);
	tcase_add_test(verdict, proof_checks_broken_expectations);
	tcase_add_test(verdict, json_carries_every_gate);
	tcase_add_test(verdict, score_leaves_out_gates_that_could_not_run);
	tcase_add_test(verdict, gradescope_and_prairielearn_from_one_result);
	tcase_add_test(verdict, junit_and_tap_from_one_result);
	tcase_add_test(verdict, sanitized_text_writes_in_every_format);
	tcase_add_test(verdict, every_format_is_valid_for_every_shape);
	tcase_add_test(verdict, tap_checker_catches_bad_tap);
	tcase_add_test(verdict, formats_of_a_passing_result);
	tcase_add_test(verdict, nothing_could_run_is_not_gradable);
	tcase_add_test(verdict, formats_of_a_failed_build_and_a_hang);
	tcase_add_test(verdict, printed_verdicts_are_not_believed);
	tcase_add_test(verdict, gates_side_by_side_report_in_order);
	tcase_add_test(verdict, build_failure_points_at_the_line);
	tcase_add_test(verdict, grade_without_the_file_to_edit);
	tcase_add_test(verdict, search_rounds_cover_the_budget_once);
	tcase_add_test(verdict, search_records_of_rounds_are_summed);
	tcase_add_checked_fixture(verdict, setup, NULL);
	suite_add_tcase(s, verdict);
	suite_add_tcase(s, room_tcase());

	TCase *diag = tcase_create("diagnose");
	tcase_set_timeout(diag, 120);
	tcase_add_test(diag, blocked_reads_a_thread_wait);
	tcase_add_test(diag, access_tells_plain_from_atomic);
	tcase_add_test(diag, valgrind_records_accesses_and_misuse);
	tcase_add_test(diag, tsan_crash_and_growth_are_told);
	tcase_add_test(diag, hazard_rules_judge_the_records);
	tcase_add_test(diag, blocked_rule_names_a_deadlock_before_its_alarm);
	tcase_add_test(diag, blocked_rule_leaves_sleepers_alone);
	tcase_add_checked_fixture(diag, setup, NULL);
	suite_add_tcase(s, diag);
	return s;
}

Suite *cache_suite(void); /* test_cache.c */
Suite *runtime_suite(void); /* test_runtime.c */
Suite *limit_suite(void); /* test_limit.c */

int main(void)
{
	SRunner *sr = srunner_create(harness_suite());
	srunner_add_suite(sr, cache_suite());
	srunner_add_suite(sr, runtime_suite());
	srunner_add_suite(sr, limit_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
