/* replay.c: racelab replay: a kata's tests under the controlled scheduler, the failing schedule found or rerun, as a timeline. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "cli.h"
#include "run.h"
#include "schedule.h"
#include "timeline.h"

/* Rows of steps the terminal's timeline shows at most; the page shows them all. */
enum { REPLAY_ROWS = 60 };

/* The defaults of a search: per test, whichever ends first. */
#define REPLAY_BUDGET 2000L
#define REPLAY_SECONDS 5.0

struct replay {
	const struct cli_opts *o;
	struct lab lab;
	char *work, *bin;
	struct src_ctx src;
};

/* The learner's file (or --src DIR's) copied into the work folder, and built with the scheduler. */
static int replay_build(struct replay *r)
{
	char *from = r->o->src ? u_fmt("%s/%s", r->o->src, r->lab.edit) : u_fmt("%s/%s", r->lab.dir, r->lab.edit);
	char *to = u_fmt("%s/%s", r->work, r->lab.edit);
	int rc = u_copy_file(from, to);
	if (rc != 0)
		fprintf(stderr, "racelab: cannot read %s\n", from);
	free(from);
	free(to);
	if (rc != 0)
		return -1;
	r->src = (struct src_ctx){ .edit = r->lab.edit, .builddir = r->work, .labdir = r->lab.dir };
	struct findings f = { 0 };
	rc = build_variant(&r->lab, r->work, BUILD_SCHED, &r->src, &f, NULL, NULL);
	if (rc != 0) {
		char *text = findings_text(&f);
		fprintf(stderr, "racelab: the schedules build of %s failed:\n%s%s\n", r->lab.edit, text,
			f.fatal ? f.fatal : "");
		free(text);
	}
	findings_free(&f);
	r->bin = build_binary(r->work, BUILD_SCHED);
	char *call = rc == 0 ? sch_unmodeled_call(&r->lab, r->work) : NULL;
	if (call) { /* a wait the scheduler cannot see would stall every schedule */
		fprintf(stderr, "racelab: %s calls %s(), which the scheduler does not model: there is nothing "
			"it can explore (docs/concepts/schedules.md)\n", r->lab.edit, call);
		rc = -1;
	}
	free(call);
	return rc;
}

/* Run the suite once with the scheduler's settings in env (NULL-terminated, each NAME=value). */
static int replay_run(struct replay *r, char **extra)
{
	char *argv[] = { r->bin, NULL }, *env[12];
	int n = 0;
	env[n++] = u_xstrdup("RACELAB_TOOL=schedules");
	env[n++] = u_xstrdup("CK_FORK=yes");
	env[n++] = u_fmt("CK_XML_LOG_FILE_NAME=%s/check.xml", r->work);
	env[n++] = u_fmt("CK_DEFAULT_TIMEOUT=%d", 600);
	/* The search's base seed, for make bench-schedules: seeds 1..20 each start a search of their own. */
	const char *base = getenv("RACELAB_SCHED_SEED");
	if (base && *base)
		env[n++] = u_fmt("RACELAB_SCHED_SEED=%s", base);
	for (int i = 0; extra[i] && n < 11; i++)
		env[n++] = extra[i];
	env[n] = NULL;
	char *out = u_fmt("%s/output.txt", r->work);
	struct run_spec spec = { .argv = argv, .env = env, .dir = r->work, .timeout_s = 900, .out_path = out,
				 .untrusted = 1 };
	struct run_result res;
	int rc = run_child(&spec, &res);
	if (rc != 0)
		fprintf(stderr, "racelab: the tests could not run: %s\n", res.error ? res.error : "?");
	run_result_free(&res);
	for (int i = 0; i < n; i++)
		free(env[i]);
	free(out);
	return rc;
}

/* Search every test's schedules, in rounds (sch_round); the first failing one's test and seed, or none. 0 when the search ran. */
static int replay_search(struct replay *r, char **test, char **seed)
{
	long budget = r->o->budget ? r->o->budget : REPLAY_BUDGET;
	double secs = r->o->seconds ? r->o->seconds : REPLAY_SECONDS;
	char *path = u_fmt("%s/search.txt", r->work);
	struct sch_records recs = { 0 };
	int rc = 0;
	for (int i = 0; i < SCH_ROUNDS && rc == 0 && !sch_records_failed(&recs); i++) {
		struct sch_round round;
		sch_round(budget, secs, i, &round);
		char *env[] = { u_fmt("RACELAB_SCHED_OUT=%s", path), u_fmt("RACELAB_SCHED_BUDGET=%ld", round.budget),
				u_fmt("RACELAB_SCHED_SECONDS=%g", round.seconds),
				u_fmt("RACELAB_SCHED_FIRST=%ld", round.first), NULL };
		rc = replay_run(r, env);
		sch_records_free(&recs);
		sch_records_read(path, &recs);
	}
	long explored = 0;
	for (int i = 0; i < recs.n; i++) {
		explored += recs.v[i].explored;
		if (recs.v[i].seed && !*seed) {
			*test = u_xstrdup(recs.v[i].test);
			*seed = u_xstrdup(recs.v[i].seed);
			printf("Search: test %s failed (%s) in schedule %ld of its search.\n", recs.v[i].test,
			       recs.v[i].kind, recs.v[i].explored);
		}
	}
	if (rc == 0 && !*seed)
		printf("Search: %ld schedules explored in %d tests, none failed (budget %ld schedules or %g s a test).\n",
		       explored, recs.n, budget, secs);
	sch_records_free(&recs);
	free(path);
	return rc == 0 ? 0 : -1;
}

/* The traced file a replay wrote: its --test's, else the first (by name) whose schedule failed. */
static char *replay_trace_file(struct replay *r, const char *test)
{
	if (test)
		return u_fmt("%s/traces/%s.trace", r->work, test);
	char *dir = u_fmt("%s/traces", r->work), *found = NULL;
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		char *p = u_fmt("%s/%s", dir, names[i]->d_name), *text = found ? NULL : u_slurp(p, NULL);
		if (text && strstr(text, "\nfail "))
			found = u_xstrdup(p);
		free(text);
		free(p);
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	free(dir);
	return found;
}

/* Run the one schedule, traced, and tell it. 1 when it failed, 0 when it passed, 2 when it could not. */
static int replay_show(struct replay *r, const char *test, const char *seed)
{
	char *dir = u_fmt("%s/traces", r->work);
	u_mkdirs(dir);
	char *env[] = { u_fmt("RACELAB_SCHED_REPLAY=%s", seed), u_fmt("RACELAB_SCHED_TRACE_DIR=%s", dir),
			test ? u_fmt("RACELAB_SCHED_TEST=%s", test) : NULL, NULL };
	free(dir);
	if (replay_run(r, env) != 0)
		return 2;
	char *file = replay_trace_file(r, test), *err = NULL;
	struct sch_trace t;
	if (!file || sch_trace_load(file, r->bin, &r->src, &t, &err) != 0) {
		fprintf(stderr, "racelab: schedule %s left no trace%s%s\n", seed, err ? ": " : "", err ? err : "");
		free(file);
		free(err);
		return 2;
	}
	char *text = tl_text(&t, r->lab.edit, REPLAY_ROWS);
	fputs(text, stdout);
	printf("Again: racelab replay %s --seed %s --test %s\n", r->lab.id, seed, t.test ? t.test : "?");
	if (r->o->html) {
		char *title = u_fmt("%s: schedule %s", r->lab.id, seed), *page = tl_html(&t, r->lab.edit, title);
		if (u_write_file(r->o->html, page, strlen(page)) != 0)
			fprintf(stderr, "racelab: cannot write %s\n", r->o->html);
		free(title);
		free(page);
	}
	int rc = t.fail_kind ? 1 : 0;
	sch_trace_free(&t);
	free(text);
	free(file);
	return rc;
}

int replay_cmd(const struct cli_opts *o)
{
	struct replay r = { .o = o };
	if (cli_load_operand(o, "replay", &r.lab) != 0)
		return 2;
	if (o->test && !o->seed) {
		fprintf(stderr, "racelab: --test goes with --seed (the search covers every test)\n");
		lab_free(&r.lab);
		return 2;
	}
	r.work = u_mkdtemp("replay");
	int rc = 2;
	char *test = o->test ? u_xstrdup(o->test) : NULL, *seed = o->seed ? u_xstrdup(o->seed) : NULL;
	if (r.work && replay_build(&r) == 0 && (seed || replay_search(&r, &test, &seed) == 0))
		rc = seed ? replay_show(&r, test, seed) : 0;
	if (r.work && !getenv("RACELAB_KEEP"))
		u_rmtree(r.work);
	free(r.work);
	free(r.bin);
	free(test);
	free(seed);
	lab_free(&r.lab);
	return rc;
}
