/* test_crew.c: workers wait until the whole crew runs, then report the number they were handed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "crew.h"
#include "racelab_test.h"

/* What one crew's workers saw, filled in by the workers themselves. */
struct roll {
	pthread_mutex_t lock;
	pthread_cond_t all_in;
	int n;			/* crew size asked for */
	int arrived;		/* workers running so far */
	int most_at_once;	/* arrivals seen by a worker that gave up waiting */
	const int *arg[CREW_MAX];
	int id[CREW_MAX];
};

static struct roll roll_a, roll_b;

static void roll_init(struct roll *r, int n)
{
	memset(r, 0, sizeof *r);
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->all_in, NULL);
	r->n = n;
}

static void roll_destroy(struct roll *r)
{
	pthread_cond_destroy(&r->all_in);
	pthread_mutex_destroy(&r->lock);
}

/*
 * Each worker waits until the whole crew is running before it reads its
 * number. By then run_crew has created every thread, so a number that is still
 * being changed by run_crew's loop reads wrong every time, not only when the
 * scheduler happens to be slow. A crew that never gets all its threads running
 * at once (say, one thread at a time) is noted after 3 seconds, not hung.
 */
static void report(struct roll *r, const int *arg)
{
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 3;

	pthread_mutex_lock(&r->lock);
	int me = r->arrived++;
	pthread_cond_broadcast(&r->all_in);
	while (r->arrived < r->n && r->most_at_once == 0)
		if (pthread_cond_timedwait(&r->all_in, &r->lock, &deadline) != 0)
			r->most_at_once = r->arrived;
	r->arg[me] = arg;
	r->id[me] = *arg;
	pthread_mutex_unlock(&r->lock);
}

static void *worker_a(void *arg)
{
	report(&roll_a, arg);
	return NULL;
}

static void *worker_b(void *arg)
{
	report(&roll_b, arg);
	return NULL;
}

/* Fails unless the crew ran all at once and each of 0..n-1 was handed out once. */
static void check_roll(struct roll *r, const char *crew)
{
	char seen[8 * CREW_MAX] = "";
	int count[CREW_MAX] = { 0 };
	int ok = 1;

	ck_assert_msg(r->most_at_once == 0,
		      "crew %s: only %d of %d workers were running at once; run_crew must "
		      "start them all before it waits for any", crew, r->most_at_once, r->n);
	ck_assert_msg(r->arrived == r->n, "crew %s: %d workers ran, asked for %d",
		      crew, r->arrived, r->n);
	for (int k = 0; k < r->n; k++) {
		snprintf(seen + strlen(seen), 8, " %d", r->id[k]);
		if (r->id[k] < 0 || r->id[k] >= r->n || count[r->id[k]]++ > 0)
			ok = 0;
	}
	ck_assert_msg(ok, "crew %s: workers read ids%s; expected each id from 0 to %d once. "
		      "They read their number after run_crew's loop had moved on",
		      crew, seen, r->n - 1);
	for (int j = 0; j < r->n; j++)
		for (int k = j + 1; k < r->n; k++)
			ck_assert_msg(r->arg[j] != r->arg[k],
				      "crew %s: two workers were handed the same address %p; "
				      "each thread needs an int of its own", crew, (void *)r->arg[j]);
}

START_TEST(test_one_worker)
{
	roll_init(&roll_a, 1);
	run_crew(1, worker_a);
	check_roll(&roll_a, "of 1");
	roll_destroy(&roll_a);
}
END_TEST

START_TEST(test_each_id_once)
{
	roll_init(&roll_a, 6);
	run_crew(6, worker_a);
	check_roll(&roll_a, "of 6");
	roll_destroy(&roll_a);
}
END_TEST

static void *crew_a(void *unused)
{
	(void)unused;
	run_crew(4, worker_a);
	return NULL;
}

static void *crew_b(void *unused)
{
	(void)unused;
	run_crew(4, worker_b);
	return NULL;
}

/*
 * Crew sizes from 1 to CREW_MAX, odd and even, either side of a half: a fix
 * with a size of its own fails here. Not every size: the schedules gate models
 * at most 64 threads a test, and these add up to 52.
 */
START_TEST(test_sizes)
{
	static const int size[] = { 1, 2, 3, 7, 8, CREW_MAX - 1, CREW_MAX };
	for (size_t i = 0; i < sizeof size / sizeof size[0]; i++) {
		int n = size[i];
		char crew[16];
		snprintf(crew, sizeof crew, "of %d", n);
		roll_init(&roll_a, n);
		run_crew(n, worker_a);
		check_roll(&roll_a, crew);
		roll_destroy(&roll_a);
	}
}
END_TEST

/* The failed-start test's workers: how many have read their number. */
static pthread_mutex_t late_lock = PTHREAD_MUTEX_INITIALIZER;
static int late_done;

/*
 * Reads its number a second late, as a thread on a busy machine may. A
 * run_crew that returns before its threads finish (say, freeing their ints
 * when a pthread_create fails) returns while these are still asleep.
 */
static void *late_worker(void *arg)
{
	const struct timespec late = { 1, 0 };
	nanosleep(&late, NULL);
	volatile int id = *(const int *)arg;
	(void)id;
	pthread_mutex_lock(&late_lock);
	late_done++;
	pthread_mutex_unlock(&late_lock);
	return NULL;
}

enum { RETURNED_EARLY = 42, NEVER_FAILED = 43 };

/* In a child process: a crew of 6 whose 3rd pthread_create fails. */
static int failed_start_child(void *arg)
{
	(void)arg;
	rl_fault_arm("pthread_create", 3, EAGAIN);
	run_crew(6, late_worker);
	if (!rl_fault_fired())
		return NEVER_FAILED;
	int started = (int)rl_fault_calls() - 1;
	pthread_mutex_lock(&late_lock);
	int done = late_done;
	pthread_mutex_unlock(&late_lock);
	return done < started ? RETURNED_EARLY : 0;
}

/*
 * When a pthread_create fails part-way, run_crew may end the program (as the
 * shipped code does) or return once the threads it did start have finished;
 * it may not return while they still need their ints. The crew runs in a
 * child process so that ending the program is an allowed outcome. Not under
 * the schedules gate: its search counts any exit status but 0 as a failure,
 * and the shipped fix exits with 1.
 */
START_TEST(test_failed_start)
{
	if (rl_under_scheduler())
		return;
	int status = rl_run_apart(failed_start_child, NULL);
	ck_assert_msg(WIFEXITED(status), "with the 3rd pthread_create of a crew of 6 failing, "
		      "run_crew crashed (signal %d)", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	ck_assert_msg(WEXITSTATUS(status) != NEVER_FAILED,
		      "run_crew made fewer than 3 pthread_create calls for a crew of 6");
	ck_assert_msg(WEXITSTATUS(status) != RETURNED_EARLY,
		      "with the 3rd pthread_create of a crew of 6 failing, run_crew returned while "
		      "the 2 threads it had started were still running: their ints must stay valid "
		      "until they finish (join them, or end the program)");
}
END_TEST

/* Two callers at once: one crew's numbers must not be another crew's. */
START_TEST(test_two_crews_at_once)
{
	pthread_t a, b;
	roll_init(&roll_a, 4);
	roll_init(&roll_b, 4);
	rl_spawn(&a, crew_a, NULL);
	rl_spawn(&b, crew_b, NULL);
	rl_join(a);
	rl_join(b);
	check_roll(&roll_a, "A");
	check_roll(&roll_b, "B");
	roll_destroy(&roll_a);
	roll_destroy(&roll_b);
}
END_TEST

Suite *lab_suite(void)
{
	Suite *s = suite_create("16-loop-var");
	TCase *tc = tcase_create("crew");
	tcase_add_test(tc, test_one_worker);
	tcase_add_test(tc, test_each_id_once);
	tcase_add_test(tc, test_sizes);
	tcase_add_test(tc, test_two_crews_at_once);
	tcase_add_test(tc, test_failed_start);
	suite_add_tcase(s, tc);
	return s;
}
