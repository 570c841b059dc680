/* gate.c: grade one learner's file for one lab: every enabled gate, into one result. */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "build.h"
#include "ckxml.h"
#include "concept.h"
#include "gate.h"
#include "limit.h"
#include "massif.h"
#include "probe.h"
#include "schedgate.h"
#include "schedule.h"
#include "proctree.h"
#include "run.h"
#include "tsan.h"
#include "valgrind.h"
#include "watchdog.h"

/* Tools slow the suite down; a run's timeout grows with its tool. */
enum { TSAN_SLOWDOWN = 2, VALGRIND_SLOWDOWN = 5 };
/* The tmpfs a learner run works in, in MiB: katas write no files; a filler stops here. */
enum { GATE_HOME_MB = 64 };
/*
 * A program of the user's own (diagnose) is stopped as hung once every thread has waited with no
 * timeout, and no CPU moved, for this long (blocked.h): a deadlock is named before the program's own
 * alarm() or a long timeout. Its plain runs only: under Valgrind every signal has a handler (Valgrind's),
 * so a timer could always wake it, and TSan keeps a thread of its own that sleeps. Katas keep their
 * timeouts (their proofs and docs quote those hangs).
 */
#define GATE_BLOCKED_S 0.5

struct gate_ctx {
	const struct lab *lab;
	const struct gate_opts *opts;
	struct result *r;
	char *work;             /* the learner's copy, the binaries, every run's folder */
	struct src_ctx src;
	sem_t slots;            /* gates running at once */
	pthread_mutex_t lock;   /* guards done[] and the on_gate callbacks */
	int done[GATE_COUNT];
	int reported;           /* gates (in order) already passed to on_gate */
	int whole[GATE_COUNT];  /* a Valgrind gate's run ended by itself, every report finished: its records are all it saw */
	struct acc_program acc; /* the binaries, read once when a report's judging needs them (limit.h) */
	int acc_read;
};

/* Ask once, for each detector the lab enables, whether it works here (probe.c). */
static void *gate_probe(void *arg)
{
	const struct lab *lab = arg;
	for (int g = 0; g < GATE_COUNT; g++)
		if (lab->enabled[g])
			probe_tool_works((enum gate_id)g);
	return NULL;
}

/*
 * A run's folder goes when its verdict is read: what the learner's code wrote
 * there (a disk filled on purpose) must not starve the gates after it.
 */
static void gate_rundir_free(char *dir)
{
	if (!getenv("RACELAB_KEEP"))
		u_rmtree(dir);
	free(dir);
}

/*
 * A fresh folder for one run, inside the work folder. If racelab's own temporary tree
 * cannot hold it (a full disk), the run goes ahead in a path that does not exist, fails
 * to start, and its gate says why: an error of the machine, not of the learner.
 */
static char *gate_rundir(struct gate_ctx *c, const char *tag)
{
	static int seq;
	char *d = u_fmt("%s/run-%s-%d", c->work, tag, __atomic_add_fetch(&seq, 1, __ATOMIC_RELAXED));
	if (mkdir(d, 0755) != 0)
		fprintf(stderr, "racelab: cannot make %s: %s\n", d, strerror(errno));
	return d;
}

/* One run of the suite, and what the watchdog saw if it hung. */
struct gate_run {
	struct run_result res;
	struct wd_hang hang;
	int watch_growth;      /* on a timeout, tell busy and growing from hung (diagnose's programs) */
};

static void gate_run_free(struct gate_run *run)
{
	run_result_free(&run->res);
	wd_hang_free(&run->hang);
}

/*
 * The run's on_timeout hook: gdb looks at the threads while they still hang. A run stopped at its
 * timeout, not for idleness, is first watched a moment: one still mapping memory is busy, not hung.
 */
static void gate_on_timeout(pid_t root, void *arg)
{
	struct gate_run *run = arg;
	enum { GROWTH_WATCH_US = 200 * 1000 };
	long before = run->res.idle || !run->watch_growth ? 0 : pt_tree_vm_kb(root), after = 0;
	if (before) {
		usleep(GROWTH_WATCH_US);
		after = pt_tree_vm_kb(root);
	}
	char *script = u_fmt("%s/harness/gdb/hangview.py", lab_root());
	wd_explain(root, script, &run->hang);
	wd_growth(&run->hang, before, after, GROWTH_WATCH_US / 1e6);
	free(script);
}

/* A run killed at its cap on processes and threads: a fork bomb fails the gate. */
static void gate_add_capped(struct findings *f, const char *tool, const struct run_result *res)
{
	if (!res->pids_capped)
		return;
	struct finding *x = finding_add(f, tool, "fork-bomb");
	x->text = u_xstrdup("it kept making processes or threads, up to the cap, and was stopped there.\n");
}

/*
 * Run the suite once: binary, or a tool in front of it (prefix), in its own
 * folder, with Check's XML log there. Judge it as a suite run into f. Under a
 * tool (tool not NULL), RACELAB_TOOL tells the suite so, and rl_scale() shrinks
 * its loops: the tools see a race in a few iterations, the plain run needs many.
 */
static void gate_suite(struct gate_ctx *c, const char *tool, struct u_list *prefix, const char *binary,
		       const char *extra_env, double timeout, long cap_mb, const char *rundir,
		       struct gate_run *run, struct findings *f)
{
	struct u_list argv = { 0 };
	for (int i = 0; prefix && i < prefix->n; i++)
		u_list_add(&argv, u_xstrdup(prefix->v[i]));
	u_list_add(&argv, u_xstrdup(binary));
	if (c->lab->run_args)
		u_list_split(&argv, c->lab->run_args, ' ');
	u_list_add(&argv, NULL);
	char *xml = u_fmt("%s/check.xml", rundir);
	char *env[12] = { u_fmt("CK_XML_LOG_FILE_NAME=%s", xml),
			/* Check's own per-test timeout must not beat the watchdog: it would kill the hang unexplained. */
			u_fmt("CK_DEFAULT_TIMEOUT=%d", (int)(timeout * 4 + 60)),
			u_xstrdup("CK_FORK=yes"), u_xstrdup("CK_VERBOSITY=normal"),
			tool ? u_fmt("RACELAB_TOOL=%s", tool) : u_xstrdup("RACELAB_TOOL="), NULL };
	/* extra_env: more NAME=value entries, a line each. */
	struct u_list extra = { 0 };
	if (extra_env)
		u_list_split(&extra, extra_env, '\n');
	for (int i = 0, e = 5; i < extra.n && e < 11; i++)
		env[e++] = u_xstrdup(extra.v[i]);
	u_list_free(&extra);
	char *out = u_fmt("%s/output.txt", rundir), *home = u_fmt("%s/home", rundir);
	mkdir(home, 0755); /* where it cannot be made, the run cannot start, and says so */
	/*
	 * Under a tool the timeout is longer, but a tree that stays idle a plain timeout long is stuck.
	 * Isolated (where namespaces can be made): a test process orphaned by its own code goes to the
	 * run's own init, not to this racelab, so its kill(getppid()) or kill(-1) can end that run only,
	 * never the grader. The code works in a folder of its own, a small tmpfs there: filling it
	 * leaves room for the reports the tools write beside it, so a disk filler gets a verdict.
	 */
	memset(run, 0, sizeof *run);
	run->watch_growth = c->lab->own_main;
	struct run_spec spec = { .argv = argv.v, .env = env, .dir = home, .timeout_s = timeout,
				 .idle_s = tool ? c->lab->timeout_s : 0, .blocked_s = c->lab->own_main && !tool ? GATE_BLOCKED_S : 0,
				 .as_cap_mb = cap_mb, .untrusted = 1,
				 .isolate = 1, .tmp_dir = home, .tmp_mb = GATE_HOME_MB, .on_timeout = gate_on_timeout,
				 .on_timeout_arg = run, .out_path = out, .cancel = c->opts->cancel };
	if (run_child(&spec, &run->res) != 0 && !f->fatal)
		f->fatal = u_xstrdup(run->res.error ? run->res.error : "the run could not start");
	else if (c->lab->own_main)
		ck_judge_program(&run->res, &run->hang, f);
	else
		ck_judge(xml, &run->res, &run->hang, &c->src, f);
	if (!tool) /* under a tool, the gate adds it to its own findings */
		gate_add_capped(f, "tests", &run->res);
	argv.n--;
	u_list_free(&argv);
	for (int i = 0; env[i]; i++)
		free(env[i]);
	free(xml);
	free(out);
	free(home);
}

/* A one-line reason from what a detector found. */
static char *gate_reason(const struct findings *f, const char *tool)
{
	struct u_list kinds = { 0 };
	findings_kinds(f, &kinds);
	char *k = u_list_join(&kinds, ", ");
	char *s = u_fmt("%s: %s (%d report%s)", tool, k, f->n, f->n == 1 ? "" : "s");
	free(k);
	u_list_free(&kinds);
	return s;
}

/* g's reason (when it failed), kinds and evidence, again from its records (after some became notes). */
static void gate_describe(struct gate_result *g, const char *tool)
{
	if (g->status == RESULT_FAIL && g->found.n) {
		free(g->reason);
		g->reason = gate_reason(&g->found, tool);
	}
	u_list_free(&g->kinds);
	findings_kinds(&g->found, &g->kinds);
	free(g->detail);
	g->detail = findings_text(&g->found);
}

/*
 * Fill g from f: fail if the tool found anything, error if it could not run, else pass.
 * A tool that failed on the learner's code although it works here was broken
 * by that code (a filled disk, a killed tool): that fails, or a submission
 * could turn the detectors that catch it into errors, which cost no points.
 */
static void gate_settle(struct gate_result *g, struct findings *f, const char *tool, char *pass_reason)
{
	if (f->n) { /* what it found stands, whatever else went wrong */
		g->status = RESULT_FAIL;
		g->reason = gate_reason(f, tool);
		free(pass_reason);
	} else if (f->fatal && probe_tool_works(g->id)) {
		g->status = RESULT_FAIL;
		g->reason = u_fmt("%s left no verdict although it works on this machine: the run broke it (%s)",
				  tool, f->fatal);
		u_list_add(&g->kinds, u_xstrdup("no-verdict"));
		free(pass_reason);
	} else if (f->fatal) {
		g->status = RESULT_ERROR;
		g->reason = u_fmt("%s could not run here: %s", tool, f->fatal);
		free(pass_reason);
	} else {
		g->status = RESULT_PASS;
		g->reason = pass_reason;
	}
	findings_kinds(f, &g->kinds);
	g->detail = findings_text(f);
	g->raw = u_buf_take(&f->raw);
	findings_move(&g->found, f);
}

/*
 * A detector's silence vouches only for what it watched. A run that a signal ended before
 * the tests did (its runner killed by the learner's code: kill(getppid()), kill(-1)) showed
 * the tool a part of the code at most, so it leaves no verdict, which the gate counts as a
 * fail where the tool works. Called after gate_add_hang: a run we killed ourselves, for a
 * hang or the cap on processes, has its finding by then.
 */
static void gate_cut_short(struct findings *f, const struct run_result *res)
{
	if (!f->fatal && !f->n && res->signal)
		f->fatal = u_fmt("the tests' run was killed by signal %d (%s) before they ended, so it saw part of "
				 "them at most", res->signal, strsignal(res->signal));
}

/* A hang under a tool: the tool's own reports stay, and the watchdog's words join them. */
static void gate_add_hang(struct findings *f, const char *tool, const struct gate_run *run)
{
	gate_add_capped(f, tool, &run->res);
	if (run->res.timed_out)
		ck_add_hang(&run->res, &run->hang, NULL, f);
}

/*
 * A tool's timeout: the lab's, times the tool's slowdown. A program of the user's own (diagnose)
 * whose plain run hung or never ended will not end under a tool either: there a tool gets the
 * plain timeout only, time to see the program's start, and an endless program costs seconds, not minutes.
 */
static double gate_tool_timeout(struct gate_ctx *c, int slowdown)
{
	const struct gate_result *plain = &c->r->gates[GATE_TESTS];
	int endless = c->lab->own_main && plain->status == RESULT_FAIL && findings_first(&plain->found, "hang");
	return c->lab->timeout_s * (endless ? 1 : slowdown);
}

static char *gate_plain(struct gate_ctx *c)
{
	return build_binary(c->work, BUILD_PLAIN);
}

/*
 * The suite's tests one by one, from Check's log: what the machine formats list
 * under the gate. Check logs a test when it ends, so a hang adds one entry for
 * the test that never did.
 */
static void gate_cases(const char *rundir, const struct gate_run *run, struct gate_result *g)
{
	struct ck_log log;
	char *xml = u_fmt("%s/check.xml", rundir);
	ck_read(xml, &log);
	for (int i = 0; i < log.n; i++) {
		const struct ck_test *t = &log.t[i];
		int ok = strcmp(t->result, "success") == 0, crash = !ok && strcmp(t->result, "failure") != 0;
		char *msg = ok ? u_xstrdup("") : u_fmt("%s%s (%s)", crash ? "crashed: " : "", t->message, t->fn);
		result_add_case(g, t->id, ok ? RESULT_PASS : RESULT_FAIL, msg);
		free(msg);
	}
	if (run->res.timed_out)
		result_add_case(g, "(the test that hung)", RESULT_FAIL, run->hang.text ? run->hang.text : "hung");
	ck_free(&log);
	free(xml);
}

static void gate_tests(struct gate_ctx *c, struct gate_result *g)
{
	struct findings f = { 0 };
	struct gate_run run;
	char *dir = gate_rundir(c, "tests"), *bin = gate_plain(c);
	gate_suite(c, NULL, NULL, bin, NULL, c->lab->timeout_s, 0, dir, &run, &f);
	gate_settle(g, &f, "tests", u_xstrdup("every test passed"));
	gate_cases(dir, &run, g);
	gate_run_free(&run);
	findings_free(&f);
	gate_rundir_free(dir);
	free(bin);
}

/*
 * Whether a stress failure is plausibly a spurious wakeup's doing: the learner's code waits on a
 * condition variable, and some test that failed under the shim did not fail in the plain tests
 * (run first, alone).
 */
static int gate_spurious(struct gate_ctx *c, const struct findings *stress)
{
	const struct findings *plain = &c->r->gates[GATE_TESTS].found;
	char *path = u_fmt("%s/%s", c->work, c->lab->edit);
	char *text = u_slurp(path, NULL);
	int waits = text && strstr(text, "pthread_cond_") && strstr(text, "wait");
	int news = 0;
	for (int i = 0; waits && i < stress->n; i++) {
		int before = 0;
		for (int k = 0; stress->v[i].test && k < plain->n; k++)
			before |= plain->v[k].test && strcmp(plain->v[k].test, stress->v[i].test) == 0;
		news |= stress->v[i].test && !before;
	}
	free(text);
	free(path);
	return news;
}

/*
 * The schedule noise's seed of one stress run (harness/runtime/shim_noise.c): RACELAB_NOISE_SEED
 * of racelab's own environment where it is set, to rerun a failure with its seed (0: no noise);
 * otherwise a fresh one for each run, from 1 to 999999, short enough to read out and type back.
 */
static unsigned long gate_noise_seed(void)
{
	const char *env = getenv("RACELAB_NOISE_SEED");
	if (env && *env)
		return strtoul(env, NULL, 10);
	unsigned long r = 0;
	if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
		r = (unsigned long)time(NULL) * 2654435761UL ^ (unsigned long)getpid();
	return 1 + r % 999999;
}

static void gate_stress(struct gate_ctx *c, struct gate_result *g)
{
	struct findings f = { 0 };
	if (build_variant(c->lab, c->work, BUILD_STRESS, &c->src, &f, NULL, c->opts->cancel) != 0) {
		free(f.fatal);
		f.fatal = u_xstrdup("the stress build (with the spurious-wakeup and noise shims) failed");
	}
	char *bin = build_binary(c->work, BUILD_STRESS);
	int n = 0;
	unsigned long seed = 0;
	while (!f.fatal && !f.n && n < c->lab->stress_runs) {
		struct gate_run run;
		char *dir = gate_rundir(c, "stress");
		seed = gate_noise_seed();
		char *env = u_fmt("RACELAB_NOISE_SEED=%lu", seed);
		gate_suite(c, NULL, NULL, bin, env, c->lab->timeout_s, 0, dir, &run, &f);
		n++;
		free(env);
		gate_run_free(&run);
		gate_rundir_free(dir);
	}
	char *pass = u_fmt("%d runs with spurious wakeups and schedule noise, all passed", n);
	if (f.n) {
		/* The run and its seed first, so that the failure can be run again as it was. */
		char *spurious = gate_spurious(c, &f)
			? u_xstrdup("  (The plain tests passed; here every other pthread_cond_wait returned at once, "
				    "as POSIX allows: a waiter must re-check its condition in a loop)\n") : u_xstrdup("");
		char *t = u_fmt("stress run %d of %d, noise seed %lu (RACELAB_NOISE_SEED=%lu racelab check runs it "
				"again): %s%s", n, c->lab->stress_runs, seed, seed, f.v[0].text ? f.v[0].text : "",
				spurious);
		free(f.v[0].text);
		f.v[0].text = t;
		free(spurious);
	}
	gate_settle(g, &f, "stress", pass);
	findings_free(&f);
	free(bin);
}

/* One TSan run (with more options, if extra), its findings into f; the runtime file of a CHECK that failed, or NULL. */
static char *gate_tsan_run(struct gate_ctx *c, const char *extra, struct findings *f)
{
	char *dir = gate_rundir(c, "tsan"), *bin = build_binary(c->work, BUILD_TSAN);
	char *logp = u_fmt("%s/tsan", dir), *base = tsan_options(logp);
	char *opt = u_fmt("%s%s%s", base, extra ? " " : "", extra ? extra : "");
	struct findings suite = { 0 };
	struct gate_run run;
	gate_suite(c, "tsan", NULL, bin, opt, gate_tool_timeout(c, TSAN_SLOWDOWN), 0, dir, &run, &suite);
	f->fatal = suite.fatal ? u_xstrdup(suite.fatal) : NULL;
	if (!f->fatal)
		tsan_read(logp, &c->src, f);
	char *crashed = tsan_check_failed(logp);
	gate_add_hang(f, "tsan", &run);
	gate_cut_short(f, &run.res);
	gate_run_free(&run);
	findings_free(&suite);
	gate_rundir_free(dir);
	free(bin);
	free(logp);
	free(base);
	free(opt);
	return crashed;
}

static void gate_tsan(struct gate_ctx *c, struct gate_result *g)
{
	struct findings f = { 0 }, build = { 0 };
	if (build_variant(c->lab, c->work, BUILD_TSAN, &c->src, &build, NULL, c->opts->cancel) != 0) {
		const char *said = build.n && build.v[0].text ? build.v[0].text : build.fatal ? build.fatal : "?";
		char *first = u_fmt("%.*s", (int)strcspn(said, "\n"), said);
		f.fatal = u_fmt("clang -fsanitize=thread failed (is clang's TSan runtime, libclang-rt-14-dev, "
				"installed?): %s", first);
		free(first);
	} else {
		char *crashed = gate_tsan_run(c, NULL, &f);
		/*
		 * Past 64 mutexes held at once, TSan's deadlock detector fails a CHECK and the run hangs
		 * (DETECTION.md): no verdict at all. Judge again without it; lock order then goes unjudged by
		 * TSan, and the gate says so.
		 */
		if (crashed && !strcmp(crashed, "sanitizer_deadlock_detector.h")) {
			findings_free(&f);
			free(gate_tsan_run(c, "detect_deadlocks=0", &f));
			g->partial = u_fmt("ThreadSanitizer's deadlock detector failed (a CHECK in %s: more than 64 mutexes "
					   "held at once) and was turned off: races judged, lock order not", crashed);
		}
		free(crashed);
	}
	gate_settle(g, &f, "ThreadSanitizer", u_xstrdup("no ThreadSanitizer report"));
	findings_free(&f);
	findings_free(&build);
}

static void gate_valgrind(struct gate_ctx *c, struct gate_result *g, const char *tool)
{
	struct findings f = { 0 }, suite = { 0 };
	struct gate_run run;
	char *dir = gate_rundir(c, tool), *bin = gate_plain(c);
	char *xmlp = u_fmt("%s/vg", dir);
	struct u_list prefix = { 0 };
	vg_args(tool, xmlp, &prefix);
	gate_suite(c, tool, &prefix, bin, NULL, gate_tool_timeout(c, VALGRIND_SLOWDOWN), 0, dir, &run, &suite);
	if (suite.fatal)
		f.fatal = u_xstrdup(suite.fatal);
	else
		vg_read(xmlp, &c->src, tool, &f);
	/* A report we cut short (a hang, a fork bomb) leaves fatal set; the finding added here outranks it. */
	gate_add_hang(&f, tool, &run);
	gate_cut_short(&f, &run.res);
	c->whole[g->id] = !f.fatal && !run.res.signal && !run.res.timed_out && !run.res.pids_capped;
	char *name = u_fmt("%c%s", tool[0] - 'a' + 'A', tool + 1);
	gate_settle(g, &f, name, u_fmt("no %s error", name));
	free(name);
	gate_run_free(&run);
	findings_free(&f);
	findings_free(&suite);
	u_list_free(&prefix);
	gate_rundir_free(dir);
	free(bin);
	free(xmlp);
}

static void gate_helgrind(struct gate_ctx *c, struct gate_result *g) { gate_valgrind(c, g, "helgrind"); }
static void gate_drd(struct gate_ctx *c, struct gate_result *g) { gate_valgrind(c, g, "drd"); }
static void gate_memcheck(struct gate_ctx *c, struct gate_result *g) { gate_valgrind(c, g, "memcheck"); }

/*
 * Whether a suite that failed under the address-space cap really ran out of memory: it says
 * so (ENOMEM, bad_alloc, a thread that could not get a stack), or it died of a signal (malloc's
 * NULL met by abort() or a dereference) while the uncapped run's heap filled half the cap, or
 * it ended (a signal, an exit code) where the uncapped run (the tests gate's) was still growing
 * when its timeout stopped it.
 */
static int gate_oom(const struct findings *suite, long peak_bytes, long cap_mb, const struct findings *uncapped)
{
	const struct finding *hang = findings_first(uncapped, "hang");
	int grew = hang && hang->hang_kind && !strcmp(hang->hang_kind, "growing");
	if (grew && (findings_first(suite, "crash") || findings_first(suite, "exit")))
		return 1;
	/* What the tests' messages (Check's log, the learner's asserts) say when memory ran out. */
	static const char *const said[] = { "Cannot allocate memory", "ENOMEM", "bad_alloc", "out of memory",
					    "Out of memory", "Resource temporarily unavailable" };
	for (int k = 0; k < suite->n; k++)
		for (size_t i = 0; suite->v[k].evidence && i < NELEM(said); i++)
			if (strstr(suite->v[k].evidence, said[i]))
				return 1;
	return findings_first(suite, "crash") && peak_bytes * 2 >= cap_mb * 1024 * 1024;
}

/* Heap over its bound under massif, or the suite failing under an address-space cap. */
static void gate_memory(struct gate_ctx *c, struct gate_result *g)
{
	struct findings f = { 0 }, suite = { 0 };
	struct gate_run run;
	char *bin = gate_plain(c);

	char *dir = gate_rundir(c, "massif");
	char *outp = u_fmt("%s/massif", dir);
	struct u_list prefix = { 0 };
	u_list_add(&prefix, u_xstrdup("valgrind"));
	u_list_add(&prefix, u_xstrdup("--tool=massif"));
	u_list_add(&prefix, u_xstrdup("--time-unit=B"));
	u_list_add(&prefix, u_xstrdup("--peak-inaccuracy=0"));
	u_list_add(&prefix, u_fmt("--massif-out-file=%s.%%p", outp));
	gate_suite(c, "massif", &prefix, bin, NULL, gate_tool_timeout(c, VALGRIND_SLOWDOWN), 0, dir, &run, &suite);
	struct massif_peak peak;
	long max = c->lab->heap_max_kb * 1024;
	if (massif_read(outp, &c->src, &peak) != 0 && !run.res.timed_out) {
		f.fatal = u_xstrdup(suite.fatal ? suite.fatal : "massif wrote no profile (is Valgrind installed?)");
	} else if (peak.peak_bytes > max) {
		struct finding *x = finding_add(&f, "massif", "heap");
		char *chart = massif_chart(peak.series, peak.nseries, max, 8, 60, "  ");
		x->text = u_fmt("The heap grew to %.1f KiB, %.0fx the bound of %ld KiB, allocated mostly at\n"
				"      %s\n%s", peak.peak_bytes / 1024.0, (double)peak.peak_bytes / (double)max,
				c->lab->heap_max_kb, peak.site ? peak.site : "(no allocation site in the lab's code)", chart);
		if (peak.site_frame.file)
			src_place(x, &peak.site_frame);
		free(chart);
	}
	memcpy(g->heap, peak.series, sizeof g->heap);
	g->nheap = peak.nseries;
	gate_add_hang(&f, "massif", &run);
	long peak_bytes = peak.peak_bytes;
	massif_free(&peak);
	gate_run_free(&run);
	findings_free(&suite);
	gate_rundir_free(dir);

	/* The plain build under an address-space cap: a queue without bound runs out of memory. */
	dir = gate_rundir(c, "capped");
	gate_suite(c, NULL, NULL, bin, NULL, c->lab->timeout_s, c->lab->memory_cap_mb, dir, &run, &suite);
	if (suite.n) {
		int oom = gate_oom(&suite, peak_bytes, c->lab->memory_cap_mb, &c->r->gates[GATE_TESTS].found);
		struct finding *x = finding_add(&f, "tests", oom ? "oom" : "capped-fail");
		char *said = findings_text(&suite);
		x->text = u_fmt("under a %ld MiB address-space cap the suite failed%s\n  %s", c->lab->memory_cap_mb,
				oom ? ": it ran out of memory" : ", though not for lack of memory", said);
		x->test = suite.v[0].test ? u_xstrdup(suite.v[0].test) : NULL;
		free(said);
	}
	char *pass = u_fmt("peak heap %.1f KiB (bound %ld KiB), and the suite passes under a %ld MiB cap",
			   peak_bytes / 1024.0, c->lab->heap_max_kb, c->lab->memory_cap_mb);
	gate_settle(g, &f, "memory", pass);
	gate_run_free(&run);
	findings_free(&f);
	findings_free(&suite);
	u_list_free(&prefix);
	gate_rundir_free(dir);
	free(outp);
	free(bin);
}

/* A correct waiter sleeps in the kernel; one that spins or polls burns CPU or wakes up constantly. */
static void gate_cpu(struct gate_ctx *c, struct gate_result *g)
{
	struct findings f = { 0 };
	struct gate_run run;
	char *dir = gate_rundir(c, "cpu"), *bin = gate_plain(c);
	gate_suite(c, NULL, NULL, bin, NULL, c->lab->timeout_s, 0, dir, &run, &f);
	const struct run_result *res = &run.res;
	double ratio = res->wall_s > 0 ? res->cpu_s / res->wall_s : 0;
	double wakeups = res->wall_s > 0 ? (double)res->vol_switches / res->wall_s : 0;
	if (!f.n && (ratio > c->lab->cpu_max_ratio || wakeups > (double)c->lab->wakeups_max)) {
		struct finding *x = finding_add(&f, "cpu", "busy");
		x->text = u_fmt("the suite used %.2f s of CPU in %.2f s (%.0f%%, bound %.0f%%) and woke up "
				"%.0f times a second (bound %ld): something spins or polls while it waits, "
				"where it should block.\n", res->cpu_s, res->wall_s, ratio * 100,
				c->lab->cpu_max_ratio * 100, wakeups, c->lab->wakeups_max);
	}
	gate_settle(g, &f, "cpu", u_fmt("%.0f%% CPU while waiting, %.0f wakeups a second", ratio * 100, wakeups));
	gate_run_free(&run);
	findings_free(&f);
	gate_rundir_free(dir);
	free(bin);
}

/*
 * One round of the schedules gate's search (sch_round): the suite under the round's budget, its
 * records appended to records. 1 when it found something, so that no later round is needed.
 */
static int gate_sched_round(struct gate_ctx *c, int i, const char *bin, const char *dir, const char *records,
			    const char *traces, struct gate_run *run, struct findings *ck)
{
	struct sch_round round;
	sch_round(c->lab->sched_budget, c->lab->sched_seconds, i, &round);
	char *env = u_fmt("RACELAB_SCHED_OUT=%s\nRACELAB_SCHED_TRACE_DIR=%s\nRACELAB_SCHED_BUDGET=%ld\n"
			  "RACELAB_SCHED_SECONDS=%g\nRACELAB_SCHED_FIRST=%ld", records, traces, round.budget,
			  round.seconds, round.first);
	/* A search per test, one after the other: its budget in seconds, times the tests, with room. */
	double timeout = c->lab->timeout_s * 2 + round.seconds * 16;
	gate_suite(c, "schedules", NULL, bin, env, timeout, 0, dir, run, ck);
	gate_add_hang(ck, "schedules", run);
	free(env);
	return ck->n || ck->fatal || run->res.timed_out || run->res.signal;
}

/*
 * A file that waits in a call the scheduler does not model (read on a pipe, a futex) would stall
 * every schedule: the gate explores nothing and says why in a note, as a detector's limit is told;
 * its verdict is then the tests gate's (gate_unexplored).
 */
static void gate_sched_unmodeled(struct gate_result *g, const char *call)
{
	struct finding *x = finding_add(&g->notes, "schedules", "not-modeled");
	x->text = u_fmt("the schedules gate explored nothing: your file calls %s()", call);
	x->evidence = u_xstrdup(x->text);
	x->limit = u_fmt("The controlled scheduler runs one thread at a time and models pthreads, semaphores, sleeps "
			 "and sched_yield. A thread waiting in %s() waits for another thread that the scheduler cannot "
			 "see, so every schedule would stall; the other gates judged this file "
			 "(docs/concepts/schedules.md).", call);
}

/*
 * The controlled scheduler (harness/runtime/rl_sched*): each test's schedules searched within the
 * lab's budget, in rounds; a failing one fails the gate, told as its timeline with the seed that replays it.
 */
static void gate_schedules(struct gate_ctx *c, struct gate_result *g)
{
	struct findings f = { 0 }, ck = { 0 };
	char *pass = NULL;
	if (build_variant(c->lab, c->work, BUILD_SCHED, &c->src, &f, NULL, c->opts->cancel) != 0) {
		findings_free(&f);
		f.fatal = u_xstrdup("the schedules build (the learner's file under the controlled scheduler) failed");
	}
	char *bin = build_binary(c->work, BUILD_SCHED), *dir = gate_rundir(c, "schedules");
	char *records = u_fmt("%s/schedules.txt", dir), *traces = u_fmt("%s/traces", dir);
	mkdir(traces, 0755);
	struct gate_run run = { 0 };
	char *call = f.fatal ? NULL : sch_unmodeled_call(c->lab, c->work);
	if (call)
		pass = u_fmt("not explored: %s calls %s(), which the scheduler does not model", c->lab->edit, call);
	else if (!f.fatal) {
		for (int i = 0; i < SCH_ROUNDS; i++) {
			gate_run_free(&run);
			findings_free(&ck);
			memset(&run, 0, sizeof run);
			if (gate_sched_round(c, i, bin, dir, records, traces, &run, &ck))
				break;
		}
		pass = sg_judge(c->lab, &ck, records, traces, bin, &c->src, &f);
		gate_cases(dir, &run, g);
	}
	gate_settle(g, &f, "schedules", pass);
	if (call)
		gate_sched_unmodeled(g, call);
	gate_run_free(&run);
	findings_free(&ck);
	free(call);
	findings_free(&f);
	gate_rundir_free(dir);
	free(records);
	free(traces);
	free(bin);
}

static void (*const gate_fn[GATE_COUNT])(struct gate_ctx *, struct gate_result *) = {
	[GATE_TESTS] = gate_tests,       [GATE_STRESS] = gate_stress, [GATE_TSAN] = gate_tsan,
	[GATE_HELGRIND] = gate_helgrind, [GATE_DRD] = gate_drd,       [GATE_MEMCHECK] = gate_memcheck,
	[GATE_MEMORY] = gate_memory,     [GATE_CPU] = gate_cpu,       [GATE_SCHEDULES] = gate_schedules,
};

/*
 * The reports of Helgrind or DRD that are their tool's known limit become notes (limit.h): judged
 * beside TSan's run of the same code, settled by then (gates are told in the enum's order, TSan
 * first). A gate left with no record passes. The binaries are read once, when a report needs them.
 */
_Static_assert(GATE_TSAN < GATE_HELGRIND && GATE_TSAN < GATE_DRD, "the tsan gate is told before Helgrind and DRD");
static void gate_limits(struct gate_ctx *c, int gid)
{
	struct gate_result *g = &c->r->gates[gid];
	const struct gate_result *tsan = c->lab->enabled[GATE_TSAN] ? &c->r->gates[GATE_TSAN] : NULL;
	if ((gid != GATE_HELGRIND && gid != GATE_DRD) || g->status != RESULT_FAIL || !c->whole[gid] ||
	    !lim_tsan_judged(tsan))
		return;
	int candidates = 0;
	for (int i = 0; i < g->found.n; i++)
		candidates += lim_candidate(&g->found.v[i]);
	if (!candidates)
		return;
	if (!c->acc_read) {
		acc_scan(c->lab, c->work, &c->src, &c->acc); /* on failure acc.error says why: races then stand */
		c->acc_read = 1;
	}
	struct lim_ctx lc = { .tsan = tsan, .acc = &c->acc, .edit = c->lab->edit };
	int noted = lim_sort(&lc, g);
	const char *name = gid == GATE_HELGRIND ? "Helgrind" : "Drd";
	if (noted && !g->found.n) {
		g->status = RESULT_PASS;
		free(g->reason);
		g->reason = u_fmt("no %s error (%d report%s noted as the tool's known limit)", name, noted, noted == 1 ? "" : "s");
	}
	if (noted)
		gate_describe(g, name);
}

/*
 * A file the scheduler could not explore (gate_sched_unmodeled) is judged there by the plain tests
 * gate, told before it: a call to read() earns no points for code whose tests fail.
 */
_Static_assert(GATE_TESTS < GATE_SCHEDULES, "the tests gate is told before the schedules gate");
static void gate_unexplored(struct gate_ctx *c, int gid)
{
	struct gate_result *g = &c->r->gates[gid];
	const struct gate_result *tests = &c->r->gates[GATE_TESTS];
	if (gid != GATE_SCHEDULES || g->status != RESULT_PASS || !findings_first(&g->notes, "not-modeled") ||
	    !c->lab->enabled[GATE_TESTS] || tests->status == RESULT_PASS)
		return;
	g->status = RESULT_FAIL;
	char *reason = u_fmt("%s; the tests gate did not pass, and this gate stands with it", g->reason);
	free(g->reason);
	g->reason = reason;
	u_list_add(&g->kinds, u_xstrdup("not-modeled"));
}

/* Tell on_gate about every finished gate whose predecessors have all finished. */
static void gate_finished(struct gate_ctx *c, int gid)
{
	pthread_mutex_lock(&c->lock);
	c->done[gid] = 1;
	while (c->reported < c->r->ngates && c->done[c->r->order[c->reported]]) {
		gate_limits(c, c->r->order[c->reported]);
		gate_unexplored(c, c->r->order[c->reported]);
		if (c->opts->on_gate)
			c->opts->on_gate(c->r, c->r->order[c->reported], c->opts->user);
		c->reported++;
	}
	pthread_mutex_unlock(&c->lock);
}

/* Why the failures matter, once per concept, in the gates' order: said after all the evidence. */
static void gate_why(const struct lab *lab, struct result *r)
{
	for (int i = 0; i < r->ngates; i++) {
		const struct gate_result *g = &r->gates[r->order[i]];
		char *why = g->status == RESULT_FAIL ? concept_line(g, lab) : NULL;
		if (why && !u_list_has(&r->why, why))
			u_list_add(&r->why, why);
		else
			free(why);
	}
}

struct gate_job {
	struct gate_ctx *c;
	int gid;
};

static void *gate_thread(void *p)
{
	struct gate_job *j = p;
	struct gate_result *g = &j->c->r->gates[j->gid];
	sem_wait(&j->c->slots);
	double t0 = u_now();
	const int *cancel = j->c->opts->cancel;
	if (cancel && __atomic_load_n(cancel, __ATOMIC_RELAXED)) {
		g->status = RESULT_SKIP;
		g->reason = u_xstrdup("not run: cancelled");
	} else {
		gate_fn[j->gid](j->c, g);
	}
	g->seconds = u_now() - t0;
	sem_post(&j->c->slots);
	gate_finished(j->c, j->gid);
	return NULL;
}

/* Build: gcc makes the plain binary every other gate runs; clang must accept the file too (both at once). */
static int gate_build(struct gate_ctx *c, struct gate_result *g)
{
	struct findings f = { 0 };
	struct u_buf warnings = { 0 };
	double t0 = u_now();
	if (build_gate_compiles(c->lab, c->work, &c->src, &f, &warnings, c->opts->cancel) == BUILD_CLANG_FAILED &&
	    f.n) {
		char *t = u_fmt("%s  (gcc accepted it; clang did not)\n", f.v[0].text ? f.v[0].text : "");
		free(f.v[0].text);
		f.v[0].text = t;
	}
	char *w = u_buf_take(&warnings);
	char *pass = *w ? u_xstrdup("compiles with gcc and clang, with warnings") : u_xstrdup("compiles with gcc and clang");
	gate_settle(g, &f, "build", pass);
	if (g->status == RESULT_PASS && *w) { /* warnings show under a build that passed */
		free(g->detail);
		g->detail = u_xstrdup(w);
	}
	if (g->status == RESULT_FAIL) {
		free(g->reason);
		g->reason = u_xstrdup("does not compile");
	}
	g->seconds = u_now() - t0;
	free(w);
	findings_free(&f);
	return g->status == RESULT_PASS ? 0 : -1;
}

/* The gates after a build that failed are skipped; after one that could not run, they could not run either. */
static void gate_skip_all(struct result *r, const char *why)
{
	for (int i = 0; i < r->ngates; i++) {
		struct gate_result *g = &r->gates[r->order[i]];
		if (g->reason)
			continue;
		g->status = r->gates[GATE_BUILD].status == RESULT_ERROR ? RESULT_ERROR : RESULT_SKIP;
		g->reason = u_xstrdup(why);
	}
}

void gate_grade(const struct lab *lab, const char *srcfile, const struct gate_opts *o, struct result *r)
{
	struct gate_ctx c = { .lab = lab, .opts = o, .r = r };
	double t0 = u_now();
	memset(r, 0, sizeof *r);
	r->lab = u_xstrdup(lab->id);
	r->title = u_xstrdup(lab->title);
	r->label = u_xstrdup(o->label ? o->label : "your code");
	for (int g = 0; g < GATE_COUNT; g++) {
		r->gates[g].id = g;
		if (lab->enabled[g])
			r->order[r->ngates++] = g;
	}
	c.work = u_mkdtemp(lab->id);
	if (!c.work) { /* the machine's fault: every gate is an error, none the learner's */
		r->gates[GATE_BUILD].status = RESULT_ERROR;
		r->gates[GATE_BUILD].reason = u_fmt("racelab could not make its work folder: %s", strerror(errno));
		gate_skip_all(r, "not run: racelab had no work folder");
		result_score(r, lab->points);
		return;
	}
	c.src = (struct src_ctx){ lab->edit, c.work, lab->dir };
	pthread_mutex_init(&c.lock, NULL);

	char *copy = u_fmt("%s/%s", c.work, lab->edit);
	int have = srcfile && u_copy_file(srcfile, copy) == 0;
	struct gate_result *b = &r->gates[GATE_BUILD];
	/* Every detector is tried on a trivial program while the build runs, before any learner code can fill the disk. */
	pthread_t prober;
	int probing = pthread_create(&prober, NULL, gate_probe, (void *)lab) == 0;
	if (!have) {
		b->status = RESULT_FAIL;
		b->reason = u_fmt("%s is missing: nothing to build", lab->edit);
		finding_add(&b->found, "build", "missing")->text = u_fmt("%s is missing\n", lab->edit);
		findings_kinds(&b->found, &b->kinds);
		gate_skip_all(r, "not run: nothing was built");
	} else if (gate_build(&c, b) != 0) {
		gate_skip_all(r, b->status == RESULT_ERROR ? "not run: the compiler could not run here"
						       : "not run: the build failed");
	} else {
		gate_finished(&c, GATE_BUILD);
		if (probing)
			pthread_join(prober, NULL);
		probing = 0;
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		sem_init(&c.slots, 0, (unsigned)(o->jobs > 0 ? o->jobs : cpus > 0 ? cpus : 1));
		pthread_t th[GATE_COUNT];
		struct gate_job jobs[GATE_COUNT];
		int n = 0;
		/*
		 * The tests gate runs alone, first: a lost update needs two threads
		 * really running at once, and a Valgrind run beside it would take
		 * the other core. The cpu gate, which measures CPU against wall
		 * time, runs alone too, last. The tools in between run side by side.
		 */
		if (lab->enabled[GATE_TESTS]) {
			struct gate_job j = { &c, GATE_TESTS };
			gate_thread(&j);
		}
		for (int i = 0; i < r->ngates; i++) {
			int gid = r->order[i];
			if (gid == GATE_BUILD || gid == GATE_TESTS || gid == GATE_CPU)
				continue;
			jobs[n] = (struct gate_job){ &c, gid };
			if (pthread_create(&th[n], NULL, gate_thread, &jobs[n]) == 0)
				n++;
			else /* no thread to be had: the gate runs here, the others wait for it */
				gate_thread(&jobs[n]);
		}
		for (int i = 0; i < n; i++)
			pthread_join(th[i], NULL);
		if (lab->enabled[GATE_CPU]) {
			struct gate_job j = { &c, GATE_CPU };
			gate_thread(&j);
		}
		sem_destroy(&c.slots);
	}
	gate_finished(&c, GATE_BUILD);
	for (int i = 0; i < r->ngates; i++)
		gate_finished(&c, r->order[i]);
	if (probing)
		pthread_join(prober, NULL);
	if (o->on_done && r->gates[GATE_BUILD].status == RESULT_PASS)
		o->on_done(r, c.work, &c.src, o->user);
	gate_why(lab, r);
	result_score(r, lab->points);
	r->seconds = u_now() - t0;
	pthread_mutex_destroy(&c.lock);
	acc_free(&c.acc);
	free(copy);
	if (getenv("RACELAB_KEEP")) /* for maintainers: every build and run folder stays */
		fprintf(stderr, "racelab: kept %s\n", c.work);
	else
		u_rmtree(c.work);
	free(c.work);
}
