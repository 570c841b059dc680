/* rl_sched_explore.c: the search over schedules of one Check test: a child per schedule, then the verdict run in place. */
#include <check.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rl_sched.h"

/*
 * Check runs each test in a process of its own (fork mode). When the test starts its first
 * thread, it is still alone: that is where this file forks a child per schedule, each
 * running the rest of the test under one seed and telling its outcome through a pipe. The
 * process that searched then runs one schedule itself, the first failing one (so Check
 * records the very failure, with its seed) or, when none failed, one that passed. What
 * the search saw is appended as a line to RACELAB_SCHED_OUT for the harness to read.
 *
 * Environment: RACELAB_SCHED_BUDGET schedules (default 1000) and RACELAB_SCHED_SECONDS
 * (default 3) per test, whichever ends first; RACELAB_SCHED_FIRST the index of the first
 * schedule (a later round of the harness's search goes on where the one before ended);
 * RACELAB_SCHED_SEED the search's base seed (default 1); RACELAB_SCHED_STRATEGY random, pct or mix (default); RACELAB_SCHED_REPLAY
 * a schedule's seed to run alone (with RACELAB_SCHED_TEST: in that test only);
 * RACELAB_SCHED_TRACE the file a replay writes its steps to, RACELAB_SCHED_TRACE_DIR the folder
 * where a search writes the steps of each test's schedule run in place (TEST.trace).
 */
int __real_clock_gettime(clockid_t clk, struct timespec *ts);
void __real__ck_assert_failed(const char *file, int line, const char *expr, const char *msg, ...)
	__attribute__((noreturn, format(printf, 4, 5)));

/* What one child's schedule came to. */
enum { EX_OK, EX_FAIL, EX_LONG };

static struct {
	int begun, in_child, result_fd;
	uint64_t seed;
	const char *test;
} ex = { .result_fd = -1 };

/* How many spurious wakeups one schedule may choose (each one a real possibility, but rare in life). */
enum { EXPLORE_SPURIOUS = 2 };
/* How many schedules, every one past the step limit, before a search says threads spin forever. */
enum { EXPLORE_LONG_PROOF = 3 };

static double explore_env(const char *name, double def)
{
	const char *v = getenv(name);
	return v && *v ? strtod(v, NULL) : def;
}

static double explore_clock(void)
{
	struct timespec ts;
	__real_clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int explore_in_child(void)
{
	return ex.in_child;
}

static void explore_activate(uint64_t seed)
{
	ex.seed = seed;
	rl_sched.active = 1;
	rl_sched.steps = rl_sched.quiet = rl_sched.quiet_yields = 0;
	rl_sched.spurious_left = EXPLORE_SPURIOUS;
	rl_sched.step_limit = (long)explore_env("RACELAB_SCHED_STEPS", 200000);
	search_start(seed);
	trace_note("seed %" PRIu64 "\ntest %s\nstrategy %s\n", seed, ex.test, search_mode_name(seed));
}

/*
 * The i-th schedule's seed: the strategy turns with i unless one is asked for; k is the longest
 * schedule seen (0: none yet, PCT then guesses 1000). The generator's start counts up from a
 * point the base seed picks, so no two schedules of a search are the same, and two searches of
 * other base seeds (make bench-schedules) start far apart.
 */
static uint64_t explore_seed(uint64_t base, long i, unsigned long k)
{
	const char *s = getenv("RACELAB_SCHED_STRATEGY");
	unsigned mode = (unsigned)(i % 3) + 1; /* random walk, PCT 2, PCT 3 */
	if (s && !strcmp(s, "random"))
		mode = 0;
	else if (s && !strcmp(s, "pct"))
		mode = 2 + (unsigned)(i % 2);
	uint64_t start = base * 0x9e3779b97f4a7c15ULL;
	start ^= start >> 31;
	return search_seed_make(start + (uint64_t)i, mode == 1 ? 0 : mode, k ? k : 1000);
}

/* A child's last word when the test ran to its end. */
static void explore_child_exit(void)
{
	char buf[64];
	int n = snprintf(buf, sizeof buf, "ok %ld\n", rl_sched.steps);
	if (write(ex.result_fd, buf, (size_t)n) < 0)
		_exit(5);
}

/* Run the schedule of seed in a child; its outcome, and what it said, in out. */
static int explore_one(uint64_t seed, char *out, size_t outlen, long *steps)
{
	int pfd[2];
	if (pipe(pfd) != 0)
		return EX_LONG;
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		close(pfd[0]);
		ex.in_child = 1;
		ex.result_fd = pfd[1];
		atexit(explore_child_exit);
		explore_activate(seed);
		return -1;
	}
	close(pfd[1]);
	size_t len = 0;
	ssize_t r;
	while (len + 1 < outlen && (r = read(pfd[0], out + len, outlen - 1 - len)) != 0)
		if (r > 0)
			len += (size_t)r;
		else if (errno != EINTR)
			break;
	out[len] = '\0';
	close(pfd[0]);
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	*steps = 0;
	sscanf(out, "%*s %ld", steps);
	if (WIFSIGNALED(st)) {
		snprintf(out, outlen, "fail crash 0\nthe test crashed: %s", strsignal(WTERMSIG(st)));
		return EX_FAIL;
	}
	if (WEXITSTATUS(st) == 0 && !strncmp(out, "ok ", 3))
		return EX_OK;
	if (!strncmp(out, "long ", 5))
		return EX_LONG;
	if (strncmp(out, "fail ", 5) != 0)
		snprintf(out, outlen, "fail exit 0\nthe test ended with exit status %d", WEXITSTATUS(st));
	return EX_FAIL;
}

/* One line per test for the harness: how many schedules, and the first failing one. */
static void explore_record(long explored, long too_long, double secs, uint64_t fail_seed, const char *fail)
{
	const char *path = getenv("RACELAB_SCHED_OUT");
	FILE *f = path && *path ? fopen(path, "a") : NULL;
	if (!f)
		return;
	char kind[64] = "-";
	const char *why = "";
	if (fail) {
		sscanf(fail, "fail %63s", kind);
		why = strchr(fail, '\n') ? strchr(fail, '\n') + 1 : "";
	}
	fprintf(f, "test %s explored %ld too-long %ld seconds %.3f failed %" PRIu64 " kind %s why %s\n", ex.test,
		explored, too_long, secs, fail ? fail_seed : 0, kind, why);
	fclose(f);
}

/* The schedule run in place is traced into RACELAB_SCHED_TRACE_DIR/TEST.trace: a file a test. */
static void explore_trace_dir(void)
{
	const char *dir = getenv("RACELAB_SCHED_TRACE_DIR");
	if (dir && *dir) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s.trace", dir, ex.test);
		trace_open(path);
	}
}

/* Search the test's schedules; returns in each child (to run its schedule) and, last, in place. */
static void explore_search(void)
{
	long budget = (long)explore_env("RACELAB_SCHED_BUDGET", 1000), explored = 0, too_long = 0, steps = 0;
	long first = (long)explore_env("RACELAB_SCHED_FIRST", 0);
	double secs = explore_env("RACELAB_SCHED_SECONDS", 3), start = explore_clock();
	uint64_t base = (uint64_t)explore_env("RACELAB_SCHED_SEED", 1), ok_seed = 0, fail_seed = 0;
	unsigned long k = 0;
	int ok = 0, failed = 0;
	static char out[4096];
	/* Time up with every schedule so far too long is no verdict yet: on a busy machine a round may
	 * have had time for one, and one long schedule is no proof that threads spin forever. */
	long proof = budget < EXPLORE_LONG_PROOF ? budget : EXPLORE_LONG_PROOF;
	for (long i = first; explored < budget && (explore_clock() - start < secs || (!ok && explored < proof)) && !failed;
	     i++) {
		uint64_t seed = explore_seed(base, i, k);
		int rc = explore_one(seed, out, sizeof out, &steps);
		if (rc < 0)
			return; /* the child: run this schedule */
		explored++;
		if (rc == EX_OK && !ok++)
			ok_seed = seed;
		if (rc == EX_OK && (unsigned long)steps > k)
			k = (unsigned long)steps;
		too_long += rc == EX_LONG;
		if (rc == EX_FAIL) {
			failed = 1;
			fail_seed = seed;
		}
	}
	explore_record(explored, too_long, explore_clock() - start, fail_seed, failed ? out : NULL);
	if (!failed && !ok)
		explore_fail("no-progress", "every schedule tried ran past the step limit: a thread spins and "
			     "nothing it waits for can happen");
	explore_trace_dir();
	check_catch_crashes();
	explore_activate(failed ? fail_seed : ok_seed);
}

void explore_begin(void)
{
	ex.begun = 1;
	ex.test = tcase_name();
	const char *replay = getenv("RACELAB_SCHED_REPLAY"), *only = getenv("RACELAB_SCHED_TEST");
	if (!replay || !*replay) {
		explore_search();
		return;
	}
	/* A replay: the one schedule, traced, in the test it was found in; the other tests run one schedule plainly. */
	int mine = !only || !*only || !strcmp(only, ex.test);
	const char *trace_path = getenv("RACELAB_SCHED_TRACE");
	if (mine && trace_path && *trace_path)
		trace_open(trace_path);
	else if (mine)
		explore_trace_dir();
	check_catch_crashes();
	explore_activate(mine ? strtoull(replay, NULL, 10) : explore_seed(1, 0, 0));
}

void explore_fail(const char *kind, const char *why)
{
	if (ex.in_child) {
		char buf[4096];
		int n = snprintf(buf, sizeof buf, "fail %s %ld\n%s", kind, rl_sched.steps, why);
		if (write(ex.result_fd, buf, (size_t)n) < 0)
			_exit(5);
		_exit(3);
	}
	trace_note("fail %s %s\n", kind, why);
	trace_flush();
	rl_sched.off = 1;
	__real__ck_assert_failed("schedule", 0, "schedule", "%s: %s (schedule %" PRIu64 ")", kind, why, ex.seed);
}

void explore_too_long(void)
{
	if (ex.in_child) {
		char buf[64];
		int n = snprintf(buf, sizeof buf, "long %ld\n", rl_sched.steps);
		if (write(ex.result_fd, buf, (size_t)n) < 0)
			_exit(5);
		_exit(4);
	}
	explore_fail("no-progress", "the schedule ran past the step limit: a thread spins and what it waits for "
		     "does not happen");
}

uint64_t explore_seed_now(void);
uint64_t explore_seed_now(void)
{
	return ex.seed;
}
