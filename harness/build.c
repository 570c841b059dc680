/* build.c: compile a lab's variants (plain, stress, tsan) from the learner's file. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "objcache.h"
#include "run.h"
#include "util.h"

#ifndef RL_CHECK_LIBS
#define RL_CHECK_LIBS "-lcheck"
#endif

static const char *const build_names[] = { "plain", "stress", "tsan", "syntax", "objects", "schedules" };

char *build_binary(const char *dir, enum build_variant v)
{
	return u_fmt("%s/%s", dir, build_names[v]);
}

/*
 * Whether v compiles with clang and ThreadSanitizer: the tsan variant, and the
 * build gate's clang check where the lab has a tsan gate (its object then
 * serves the tsan build, so the learner's file goes through clang once).
 */
static int build_is_tsan(const struct lab *lab, enum build_variant v)
{
	return v == BUILD_TSAN || (v == BUILD_SYNTAX_CLANG && lab->enabled[GATE_TSAN]);
}

/* The compiler and the flags of every compile (and link) of variant v. */
static void build_cc(const struct lab *lab, enum build_variant v, struct u_list *a)
{
	u_list_add(a, u_xstrdup(v == BUILD_PLAIN || v == BUILD_STRESS ? "gcc" : "clang"));
	/*
	 * A kata is C11; a program of the user's own (diagnose) is built as gcc and clang build it by
	 * default, GNU C (a file-scope asm(), typeof). Warnings are shown, never fatal: no -Werror.
	 */
	u_list_add(a, u_xstrdup(lab->own_main ? "-std=gnu11" : "-std=c11"));
	const char *flags[] = { "-D_GNU_SOURCE", "-g", "-O1", "-Wall", "-Wextra", "-pthread" };
	for (size_t i = 0; i < NELEM(flags); i++)
		u_list_add(a, u_xstrdup(flags[i]));
	u_list_add(a, u_fmt("-I%s", lab->dir));
	u_list_add(a, u_fmt("-I%s/harness/runtime", lab_root()));
	if (build_is_tsan(lab, v) || v == BUILD_TSAN_OBJECTS)
		u_list_add(a, u_xstrdup("-fsanitize=thread"));
	if (v == BUILD_TSAN_OBJECTS) /* -O0: every access stays at its own line */
		u_list_add(a, u_xstrdup("-O0"));
	/* How much the tests' loops shrink under a tool (rl_scale in the runtime): the lab's measured choice. */
	if (lab->tool_scale > 0)
		u_list_add(a, u_fmt("-DRL_TOOL_SCALE=%ld", lab->tool_scale));
}

/* Whether variant v's link takes C11 <threads.h> calls through shim_threads.c (build_c11_wraps). */
static int build_c11_shimmed(enum build_variant v)
{
	return v == BUILD_TSAN || v == BUILD_STRESS || v == BUILD_SCHED;
}

/* The files of variant v the learner does not edit: the lab's other .c files, Check's main and helpers, the shim. */
static void build_fixed_sources(const struct lab *lab, enum build_variant v, struct u_list *out)
{
	lab_fixed_sources(lab, out);
	if (!lab->own_main) {
		u_list_add(out, u_fmt("%s/harness/runtime/check_main.c", lab_root()));
		u_list_add(out, u_fmt("%s/harness/runtime/rl_test.c", lab_root()));
		u_list_add(out, u_fmt("%s/harness/runtime/shim_fault.c", lab_root()));
	}
	if (v == BUILD_STRESS) {
		u_list_add(out, u_fmt("%s/harness/runtime/shim_cond.c", lab_root()));
		u_list_add(out, u_fmt("%s/harness/runtime/shim_noise.c", lab_root()));
		u_list_add(out, u_fmt("%s/harness/runtime/rl_noise.c", lab_root()));
	}
	if (v == BUILD_SCHED) {
		static const char *const sched[] = { "rl_sched.c", "rl_sched_check.c", "rl_sched_explore.c",
						     "rl_sched_mem.c", "rl_sched_search.c", "rl_sched_stuck.c",
						     "rl_sched_sync.c", "rl_sched_time.c", "rl_sched_trace.c" };
		for (size_t i = 0; i < NELEM(sched); i++)
			u_list_add(out, u_fmt("%s/harness/runtime/%s", lab_root(), sched[i]));
	}
	if (build_c11_shimmed(v)) /* a program of one's own too */
		u_list_add(out, u_fmt("%s/harness/runtime/shim_threads.c", lab_root()));
}

/*
 * The learner's loads, stores and atomics as the scheduler's points: TSan's calls, the load of
 * a read-modify-write kept (clang drops it before a store to the same place), no call per function.
 */
static void build_sched_instrument(struct u_list *a)
{
	const char *flags[] = { "-fsanitize=thread", "-mllvm", "-tsan-instrument-read-before-write=1",
				"-mllvm", "-tsan-instrument-func-entry-exit=0" };
	for (size_t i = 0; i < NELEM(flags); i++)
		u_list_add(a, u_xstrdup(flags[i]));
}

/* -Wl,--wrap=NAME,... for each call harness/runtime/rl_sched.wrap lists. */
static char *build_sched_wraps(void)
{
	char *path = u_fmt("%s/harness/runtime/rl_sched.wrap", lab_root()), *text = u_slurp(path, NULL), *save = NULL;
	struct u_buf b = { 0 };
	u_buf_add(&b, "-Wl");
	for (char *l = text ? strtok_r(text, "\n", &save) : NULL; l; l = strtok_r(NULL, "\n", &save))
		if (l[0] != '#' && *u_trim(l))
			u_buf_addf(&b, ",--wrap=%s", u_trim(l));
	free(text);
	free(path);
	return u_buf_take(&b);
}

/*
 * The builds whose view of synchronization comes from intercepting pthread calls: ThreadSanitizer,
 * the stress build's shims and the scheduler. Their C11 <threads.h> calls go through
 * shim_threads.c as the pthread calls glibc makes of them, so each sees those too.
 */
static const char build_c11_wraps[] =
	"-Wl,--wrap=call_once,--wrap=mtx_lock,--wrap=mtx_trylock,--wrap=mtx_timedlock,--wrap=mtx_unlock,"
	"--wrap=cnd_wait,--wrap=cnd_timedwait,--wrap=cnd_signal,--wrap=cnd_broadcast,"
	"--wrap=thrd_create,--wrap=thrd_join";

/*
 * The stress build's link: every object's calls to these go through the shims first, the
 * condition waits through shim_cond.c (spurious wakeups), the rest through shim_noise.c.
 */
static const char build_stress_wraps[] =
	"-Wl,--wrap=pthread_cond_wait,--wrap=pthread_cond_timedwait,"
	"--wrap=pthread_mutex_lock,--wrap=pthread_mutex_trylock,--wrap=pthread_mutex_unlock,"
	"--wrap=pthread_cond_signal,--wrap=pthread_cond_broadcast,--wrap=sem_wait,--wrap=sem_post,"
	"--wrap=pthread_barrier_wait,--wrap=pthread_rwlock_rdlock,--wrap=pthread_rwlock_wrlock,"
	"--wrap=pthread_rwlock_unlock,--wrap=pthread_create,--wrap=pthread_join";

/*
 * Sort the compiler's diagnostics: errors (learner's file first) into the record x, placed at
 * the first error in the learner's file, when x is not NULL; the learner's warnings to warnings.
 */
static void build_diagnostics(const char *log, const struct src_ctx *src, struct finding *x,
			      struct u_buf *warnings)
{
	char *copy = u_xstrdup(log);
	struct u_buf mine = { 0 }, other = { 0 };
	char *save = NULL; /* strtok_r: gates read their reports on several threads */
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char file[1024];
		int ln = 0;
		if (sscanf(line, "%1023[^:]:%d:", file, &ln) != 2)
			continue;
		const char *what = strstr(line, ": error: ") ? "error" : strstr(line, ": warning: ") ? "warning" : NULL;
		if (!what)
			continue;
		char *msg = strstr(line, what) + strlen(what) + 2;
		char *point = src_point(src, file, ln);
		if (*what == 'w') {
			if (warnings && src_rank(src, file) == 2)
				u_buf_addf(warnings, "warning: %s\n      %s\n", msg, point);
		} else if (x) {
			int mine_file = src_rank(src, file) == 2;
			u_buf_addf(mine_file ? &mine : &other, "error: %s\n      %s\n", msg, point);
			if (mine_file && !x->file) {
				x->file = u_xstrdup(u_basename(file));
				x->line = ln;
			}
		}
		free(point);
	}
	if (x) {
		u_buf_add(&mine, other.s ? other.s : "");
		x->text = u_buf_take(&mine);
	}
	free(u_buf_take(&other));
	free(copy);
}

/* A compile that failed: its errors (or its whole text) in f. */
static void build_failed(const char *text, const struct src_ctx *src, struct findings *f)
{
	struct finding *x = finding_add(f, "build", "compile");
	build_diagnostics(text ? text : "", src, x, NULL);
	if (!*x->text) {
		free(x->text);
		x->text = u_fmt("%s\n", text && *text ? text : "the compiler failed without a message");
	}
	x->evidence = u_xstrdup(text ? text : "");
	u_buf_add(&f->raw, text ? text : "");
}

/* Run one compiler command a (which it takes), its messages in dir/log; 0 when it succeeded. */
static int build_run(struct u_list *a, const char *dir, const char *logname, const struct src_ctx *src,
		     struct findings *f, struct u_buf *warnings, const int *cancel)
{
	u_list_add(a, NULL);
	char *log = u_fmt("%s/%s.log", dir, logname);
	struct run_spec spec = { .argv = a->v, .dir = dir, .timeout_s = 120, .out_path = log, .cancel = cancel };
	struct run_result res;
	int ok = run_child(&spec, &res) == 0 && !res.timed_out && res.exit_code == 0;
	char *text = u_slurp(log, NULL);
	if (res.error)
		f->fatal = u_fmt("%s", res.error);
	else if (!ok)
		build_failed(text, src, f);
	else
		build_diagnostics(text ? text : "", src, NULL, warnings);
	a->n--; /* the NULL terminator is not a string to free */
	u_list_free(a);
	free(text);
	free(log);
	run_result_free(&res);
	return ok ? 0 : -1;
}

char *build_learner_obj(const struct lab *lab, const char *dir, enum build_variant v)
{
	return u_fmt("%s/%s.%s.o", dir, lab->edit, v == BUILD_SCHED ? "sched" : build_is_tsan(lab, v) ? "tsan" : "gcc");
}

/*
 * Point the learner object's calls that can fail (harness/runtime/fault_syms.txt) at the
 * fault shim (shim_fault.c), which the tests arm: only this object's calls are renamed, so
 * only the learner's code sees a fault; the tests', the runtime's and Check's calls never do.
 */
static int build_failable(const char *obj, const char *dir, const struct src_ctx *src, struct findings *f,
			  const int *cancel)
{
	struct u_list a = { 0 };
	u_list_add(&a, u_xstrdup("objcopy"));
	u_list_add(&a, u_fmt("--redefine-syms=%s/harness/runtime/fault_syms.txt", lab_root()));
	u_list_add(&a, u_xstrdup(obj));
	return build_run(&a, dir, "objcopy", src, f, NULL, cancel);
}

/*
 * The learner's file compiled alone, the one compile of every check: into its object,
 * unless this check made that already; or, for the clang check of a lab without a
 * tsan gate, only checked.
 */
static int build_learner(const struct lab *lab, const char *dir, enum build_variant v, const struct src_ctx *src,
			 struct findings *f, struct u_buf *warnings, const int *cancel)
{
	char *obj = build_learner_obj(lab, dir, v);
	if (v != BUILD_SYNTAX_CLANG && u_exists(obj)) {
		free(obj);
		return 0;
	}
	struct u_list a = { 0 };
	build_cc(lab, v, &a);
	if (v == BUILD_SCHED)
		build_sched_instrument(&a);
	if (build_is_tsan(lab, v) || v != BUILD_SYNTAX_CLANG) {
		u_list_add(&a, u_xstrdup("-c"));
		u_list_add(&a, u_fmt("%s/%s", dir, lab->edit));
		u_list_add(&a, u_xstrdup("-o"));
		u_list_add(&a, u_xstrdup(obj));
	} else {
		u_list_add(&a, u_xstrdup("-fsyntax-only"));
		u_list_add(&a, u_fmt("%s/%s", dir, lab->edit));
	}
	int made = build_is_tsan(lab, v) || v != BUILD_SYNTAX_CLANG;
	int rc = build_run(&a, dir, build_names[v], src, f, warnings, cancel);
	if (rc == 0 && made && !lab->own_main)
		rc = build_failable(obj, dir, src, f, cancel);
	free(obj);
	return rc;
}

/* The objects of the files the learner does not edit, from the object cache (objcache.c), into objs. */
static int build_fixed(const struct lab *lab, const char *dir, enum build_variant v, const struct src_ctx *src,
		       struct findings *f, struct u_list *objs, const int *cancel)
{
	struct u_list cc = { 0 }, sources = { 0 };
	build_cc(lab, v, &cc);
	build_fixed_sources(lab, v, &sources);
	int rc = 0;
	for (int i = 0; i < sources.n && rc == 0; i++) {
		struct oc_result r;
		/* A program of one's own (diagnose) is no file of racelab's: never kept. */
		rc = oc_object(&cc, sources.v[i], dir, !lab->own_main, cancel, &r);
		if (rc == 0) {
			u_list_add(objs, r.obj);
			r.obj = NULL;
		} else if (r.error) {
			f->fatal = u_xstrdup(r.error);
		} else {
			build_failed(r.log, src, f);
		}
		oc_result_free(&r);
	}
	u_list_free(&cc);
	u_list_free(&sources);
	return rc;
}

/* Link the learner's object and objs into dir/<variant>. */
static int build_link(const struct lab *lab, const char *dir, enum build_variant v, const struct u_list *objs,
		      const struct src_ctx *src, struct findings *f, const int *cancel)
{
	struct u_list a = { 0 };
	build_cc(lab, v, &a);
	/* The learner's object first, so the linker names it as the learner knows it. */
	u_list_add(&a, build_learner_obj(lab, dir, v));
	for (int i = 0; i < objs->n; i++)
		u_list_add(&a, u_xstrdup(objs->v[i]));
	if (v == BUILD_STRESS)
		u_list_add(&a, u_xstrdup(build_stress_wraps));
	if (v == BUILD_SCHED)
		u_list_add(&a, build_sched_wraps());
	if (build_c11_shimmed(v))
		u_list_add(&a, u_xstrdup(build_c11_wraps));
	u_list_add(&a, u_xstrdup("-o"));
	u_list_add(&a, build_binary(dir, v));
	if (!lab->own_main)
		u_list_split(&a, RL_CHECK_LIBS, ' ');
	char *log = u_fmt("%s-link", build_names[v]);
	int rc = build_run(&a, dir, log, src, f, NULL, cancel);
	free(log);
	return rc;
}

/* Each of the lab's source files compiled alone (-c) by clang with TSan's instrumentation, the objects in dir. */
static int build_tsan_objects(const struct lab *lab, const char *dir, const struct src_ctx *src, struct findings *f,
			      const int *cancel)
{
	struct u_list a = { 0 }, fixed = { 0 };
	build_cc(lab, BUILD_TSAN_OBJECTS, &a);
	u_list_add(&a, u_xstrdup("-c"));
	/* The learner's copy first, so the compiler names it as the learner knows it. */
	u_list_add(&a, u_fmt("%s/%s", dir, lab->edit));
	lab_fixed_sources(lab, &fixed);
	for (int i = 0; i < fixed.n; i++)
		u_list_add(&a, u_xstrdup(fixed.v[i]));
	u_list_free(&fixed);
	return build_run(&a, dir, build_names[BUILD_TSAN_OBJECTS], src, f, NULL, cancel);
}

int build_variant(const struct lab *lab, const char *dir, enum build_variant v, const struct src_ctx *src,
		  struct findings *f, struct u_buf *warnings, const int *cancel)
{
	if (v == BUILD_TSAN_OBJECTS)
		return build_tsan_objects(lab, dir, src, f, cancel);
	if (build_learner(lab, dir, v, src, f, warnings, cancel) != 0)
		return -1;
	if (v == BUILD_SYNTAX_CLANG)
		return 0;
	struct u_list objs = { 0 };
	int rc = build_fixed(lab, dir, v, src, f, &objs, cancel);
	if (rc == 0)
		rc = build_link(lab, dir, v, &objs, src, f, cancel);
	u_list_free(&objs);
	return rc;
}

/* The clang half of the build gate, on a thread of its own. */
struct build_job {
	const struct lab *lab;
	const char *dir;
	const struct src_ctx *src;
	const int *cancel;
	struct findings f;
	struct u_buf warnings;
	int rc;
};

static void *build_job_run(void *p)
{
	struct build_job *j = p;
	j->rc = build_variant(j->lab, j->dir, BUILD_SYNTAX_CLANG, j->src, &j->f, &j->warnings, j->cancel);
	return NULL;
}

int build_gate_compiles(const struct lab *lab, const char *dir, const struct src_ctx *src, struct findings *f,
			struct u_buf *warnings, const int *cancel)
{
	struct build_job clang = { .lab = lab, .dir = dir, .src = src, .cancel = cancel };
	pthread_t t;
	int threaded = pthread_create(&t, NULL, build_job_run, &clang) == 0;
	int rc = build_variant(lab, dir, BUILD_PLAIN, src, f, warnings, cancel) == 0 ? 0 : BUILD_GCC_FAILED;
	if (threaded)
		pthread_join(t, NULL);
	else if (rc == 0)
		build_job_run(&clang);
	if (rc == 0) {
		/* gcc's warnings, then clang's; and what clang alone refused, in f (empty after gcc passed). */
		char *w = u_buf_take(&clang.warnings);
		u_buf_add(warnings, w);
		free(w);
		if (clang.rc != 0) {
			findings_free(f);
			*f = clang.f;
			memset(&clang.f, 0, sizeof clang.f);
			rc = BUILD_CLANG_FAILED;
		}
	}
	findings_free(&clang.f);
	free(clang.warnings.s);
	return rc;
}
