/* test_runtime.c: unit tests of the tests' runtime: the fault shim (built and run as a lab) and the noise's PRNG. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "ckxml.h"
#include "lab.h"
#include "probe.h"
#include "run.h"
#include "runtime/rl_noise.h"
#include "util.h"

/* ---- the fault shim, on harness/tests/fault/ (calls.c plays the learner's file) ---- */

struct fault_lab {
	struct lab lab;
	char *work;
	struct src_ctx src;
};

static void fault_lab_open(struct fault_lab *fl)
{
	memset(fl, 0, sizeof *fl);
	fl->lab.id = "fault";
	fl->lab.dir = u_fmt("%s/harness/tests/fault", lab_root());
	fl->lab.edit = "calls.c";
	fl->work = u_mkdtemp("fault");
	char *from = u_fmt("%s/calls.c", fl->lab.dir), *to = u_fmt("%s/calls.c", fl->work);
	ck_assert_int_eq(u_copy_file(from, to), 0);
	fl->src = (struct src_ctx){ "calls.c", fl->work, fl->lab.dir };
	free(from);
	free(to);
}

static void fault_lab_close(struct fault_lab *fl)
{
	u_rmtree(fl->work);
	free(fl->work);
	free(fl->lab.dir);
}

static void fault_build(struct fault_lab *fl, enum build_variant v)
{
	struct findings f = { 0 };
	int rc = build_variant(&fl->lab, fl->work, v, &fl->src, &f, NULL, NULL);
	char *text = findings_text(&f);
	ck_assert_msg(rc == 0, "the %d build failed: %s %s", (int)v, text ? text : "", f.fatal ? f.fatal : "");
	free(text);
	findings_free(&f);
}

/*
 * Run the suite's test case `tcase` of binary v (under the tool in prefix, or none), with one more
 * variable in env; its Check log into log; the run's exit code.
 */
static int fault_run(struct fault_lab *fl, enum build_variant v, const char *prefix, const char *tcase,
		     const char *env, struct ck_log *log)
{
	char *bin = build_binary(fl->work, v), *xml = u_fmt("%s/check-%s.xml", fl->work, tcase);
	struct u_list argv = { 0 };
	if (prefix)
		u_list_split(&argv, prefix, ' ');
	u_list_add(&argv, u_xstrdup(bin));
	u_list_add(&argv, NULL);
	char *envv[] = { u_fmt("CK_XML_LOG_FILE_NAME=%s", xml), u_xstrdup("CK_FORK=yes"),
			 u_fmt("CK_RUN_CASE=%s", tcase), u_xstrdup(env ? env : "RACELAB_TOOL="), NULL };
	struct run_spec spec = { .argv = argv.v, .env = envv, .dir = fl->work, .timeout_s = 120 };
	struct run_result res;
	ck_assert_int_eq(run_child(&spec, &res), 0);
	int code = res.exit_code;
	run_result_free(&res);
	ck_assert_int_eq(ck_read(xml, log), 0);
	argv.n--;
	u_list_free(&argv);
	for (int i = 0; envv[i]; i++)
		free(envv[i]);
	free(xml);
	free(bin);
	return code;
}

/* Every test of case "shim" passed in binary v (under prefix), and the run exited 0. */
static void fault_shim_passes(struct fault_lab *fl, enum build_variant v, const char *prefix, const char *env)
{
	struct ck_log log;
	int code = fault_run(fl, v, prefix, "shim", env, &log);
	ck_assert_int_eq(log.n, 3);
	for (int i = 0; i < log.n; i++)
		ck_assert_msg(strcmp(log.t[i].result, "success") == 0, "%s%s%s: %s %s (%s)", prefix ? prefix : "",
			      prefix ? ": " : "", log.t[i].id, log.t[i].result, log.t[i].message, log.t[i].fn);
	ck_assert_msg(code == 0, "%s exited %d", prefix ? prefix : "the suite", code);
	ck_free(&log);
}

/* Plain build: arm, fail once, leave Check alone, sweep; a failing assertion names the fault. */
START_TEST(fault_shim_in_the_plain_build)
{
	struct fault_lab fl;
	fault_lab_open(&fl);
	fault_build(&fl, BUILD_PLAIN);
	fault_shim_passes(&fl, BUILD_PLAIN, NULL, NULL);

	struct ck_log log;
	ck_assert_int_ne(fault_run(&fl, BUILD_PLAIN, NULL, "named", NULL, &log), 0);
	ck_assert_int_eq(log.n, 1);
	ck_assert_str_eq(log.t[0].result, "failure");
	ck_assert_str_eq(log.t[0].message,
			 "calls_spawn's 2nd thread did not start (with the 2nd pthread_create failing, EAGAIN)");
	ck_free(&log);
	fault_lab_close(&fl);
}
END_TEST

/*
 * Valgrind replaces malloc in libc; the shim's malloc calls that one, so the faults and
 * Memcheck's own bookkeeping agree: no error, no leak. Helgrind and DRD see no error in the
 * shim (they are told to leave its atomic counters alone, which they would take for plain data).
 */
START_TEST(fault_shim_under_valgrind)
{
	struct fault_lab fl;
	fault_lab_open(&fl);
	fault_build(&fl, BUILD_PLAIN);
	fault_shim_passes(&fl, BUILD_PLAIN, "valgrind -q --error-exitcode=99 --leak-check=full "
			  "--errors-for-leak-kinds=definite", NULL);
	fault_shim_passes(&fl, BUILD_PLAIN, "valgrind -q --tool=helgrind --error-exitcode=99", NULL);
	fault_shim_passes(&fl, BUILD_PLAIN, "valgrind -q --tool=drd --error-exitcode=99", NULL);
	fault_lab_close(&fl);
}
END_TEST

START_TEST(fault_shim_under_tsan)
{
	if (!probe_tool_works(GATE_TSAN))
		return; /* this machine cannot run ThreadSanitizer: the tsan gate says so itself */
	struct fault_lab fl;
	fault_lab_open(&fl);
	fault_build(&fl, BUILD_TSAN);
	fault_shim_passes(&fl, BUILD_TSAN, NULL, "TSAN_OPTIONS=exitcode=66");
	fault_lab_close(&fl);
}
END_TEST

/* The stress build: the fault shim under the noise shim's wrappers (pthread_create is wrapped by both). */
START_TEST(fault_shim_in_the_noisy_stress_build)
{
	struct fault_lab fl;
	fault_lab_open(&fl);
	fault_build(&fl, BUILD_STRESS);
	fault_shim_passes(&fl, BUILD_STRESS, NULL, "RACELAB_NOISE_SEED=1234");
	fault_lab_close(&fl);
}
END_TEST

/* ---- the noise's choices ---- */

enum { NOISE_DRAWS = 100000 };

/* The same seed and thread number give the same choices; another seed or thread, others. */
START_TEST(noise_seed_is_reproducible)
{
	static int a[NOISE_DRAWS], b[NOISE_DRAWS];
	struct rl_noise x, y, z, w;
	rl_noise_start(&x, 1234, 2);
	rl_noise_start(&y, 1234, 2);
	rl_noise_start(&z, 1235, 2);
	rl_noise_start(&w, 1234, 3);
	int same_z = 0, same_w = 0;
	for (int i = 0; i < NOISE_DRAWS; i++) {
		a[i] = rl_noise_next(&x);
		b[i] = rl_noise_next(&y);
		same_z += i < 10000 && a[i] == rl_noise_next(&z);
		same_w += i < 10000 && a[i] == rl_noise_next(&w);
	}
	ck_assert(memcmp(a, b, sizeof a) == 0);
	/* Within their budgets, two streams agree where both go straight on (some 0.77 of draws), not everywhere. */
	ck_assert_int_lt(same_z, 9000);
	ck_assert_int_lt(same_w, 9000);
}
END_TEST

/*
 * Its mix: some 1 in 8 yields, 1 in 128 sleeps of 1 to 200 us, the rest go straight on, over the
 * first 16000 draws (before either budget runs out); then nothing more than the budgets allow.
 */
START_TEST(noise_choices_have_their_mix)
{
	struct rl_noise n;
	rl_noise_start(&n, 42, 0);
	long yields = 0, sleeps = 0, longest = 0, slept = 0;
	for (int i = 0; i < 16000; i++) {
		int c = rl_noise_next(&n);
		ck_assert_int_ge(c, RL_NOISE_YIELD);
		ck_assert_int_le(c, RL_NOISE_MAX_US);
		yields += c == RL_NOISE_YIELD;
		sleeps += c > 0;
		slept += c > 0 ? c : 0;
		longest = c > longest ? c : longest;
	}
	/* Bounds wide enough for any good generator: 2000 and 125 expected. */
	ck_assert_int_gt(yields, 1700);
	ck_assert_int_le(yields, RL_NOISE_YIELD_BUDGET);
	ck_assert_int_gt(sleeps, 90);
	ck_assert_int_lt(sleeps, 160);
	ck_assert_int_gt(longest, 150);
	for (int i = 0; i < NOISE_DRAWS; i++) {
		int c = rl_noise_next(&n);
		yields += c == RL_NOISE_YIELD;
		slept += c > 0 ? c : 0;
	}
	ck_assert_int_le(yields, RL_NOISE_YIELD_BUDGET);
	ck_assert_int_lt(slept, RL_NOISE_SLEEP_BUDGET_US + RL_NOISE_MAX_US);
}
END_TEST

static void runtime_setup(void)
{
	run_init();
}

Suite *runtime_suite(void)
{
	Suite *s = suite_create("runtime");
	TCase *t = tcase_create("runtime");
	tcase_set_timeout(t, 120);
	tcase_add_checked_fixture(t, runtime_setup, NULL);
	tcase_add_test(t, fault_shim_in_the_plain_build);
	tcase_add_test(t, fault_shim_under_valgrind);
	tcase_add_test(t, fault_shim_under_tsan);
	tcase_add_test(t, fault_shim_in_the_noisy_stress_build);
	tcase_add_test(t, noise_seed_is_reproducible);
	tcase_add_test(t, noise_choices_have_their_mix);
	suite_add_tcase(s, t);
	return s;
}
