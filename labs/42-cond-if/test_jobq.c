/* test_jobq.c: the Check suite of 42-cond-if (do not edit). */
#include <check.h>
#include <semaphore.h>
#include <stdbool.h>
#include <unistd.h>

#include "jobq.h"
#include "racelab_test.h"

enum {
	WORKERS = 4,
	PER_WORKER = 50,           /* jobs each worker takes in the busy test */
	JOBS = WORKERS * PER_WORKER,
	WINDOW_MS = 200,           /* how long idle workers are watched for wakeups */
	MAX_WAKEUPS = 3,           /* wakeups allowed in that window: a worker that polls makes more */
};

/* A worker: takes `want` jobs and writes down which ones it got. */
struct worker {
	struct jobq *q;
	int want;
	bool background;           /* run on CPU 0 at nice 19 (rl_one_cpu) */
	pid_t tid;
	sem_t started;             /* posted once tid is set */
	sem_t finished;            /* posted when it has taken all it wants */
	int got[PER_WORKER];
};

static void *work(void *arg)
{
	struct worker *w = arg;
	if (w->background)
		rl_one_cpu(true);
	w->tid = gettid();
	sem_post(&w->started);
	for (int i = 0; i < w->want; i++)
		w->got[i] = jobq_take(w->q);
	sem_post(&w->finished);
	return NULL;
}

static void start_workers(struct worker *w, pthread_t *t, int n, struct jobq *q, int want)
{
	for (int i = 0; i < n; i++) {
		w[i].q = q;
		w[i].want = want;
		sem_init(&w[i].started, 0, 0);
		sem_init(&w[i].finished, 0, 0);
		rl_spawn(&t[i], work, &w[i]);
	}
	for (int i = 0; i < n; i++)
		sem_wait(&w[i].started);
}

static bool finished(struct worker *w)
{
	if (sem_trywait(&w->finished) != 0)
		return false;
	sem_post(&w->finished);
	return true;
}

/*
 * Wait until all n workers sleep inside jobq_take (true), or one of them has
 * returned from it (false). All asleep must be seen twice in a row: a worker
 * can sleep for a moment on the queue's mutex before it reaches the wait.
 */
static bool all_asleep(struct worker *w, int n)
{
	for (int seen = 0; seen < 2; rl_sleep_ms(1)) {
		bool asleep = true;
		for (int i = 0; i < n; i++) {
			if (finished(&w[i]))
				return false;
			asleep = asleep && rl_thread_asleep(w[i].tid);
		}
		seen = asleep ? seen + 1 : 0;
	}
	return true;
}

static void join_all(pthread_t *t, int n)
{
	for (int i = 0; i < n; i++)
		rl_join(t[i]);
}

START_TEST(test_fifo_in_one_thread)
{
	struct jobq *q = jobq_new();
	for (int job = 1; job <= 3; job++)
		ck_assert_msg(jobq_put(q, job), "jobq_put refused job %d in an empty queue", job);
	for (int job = 1; job <= 3; job++) {
		int got = jobq_take(q);
		ck_assert_msg(got == job, "expected job %d first, got job %d", job, got);
	}
	jobq_free(q);
}
END_TEST

START_TEST(test_take_waits_for_a_job)
{
	static struct worker w[1];
	pthread_t t[1];
	struct jobq *q = jobq_new();
	start_workers(w, t, 1, q, 1);
	bool waited = all_asleep(w, 1);
	if (!waited)
		join_all(t, 1);     /* join before failing, so TSan sees no leaked thread */
	ck_assert_msg(waited, "jobq_take returned job %d from an empty queue: it woke up "
		      "and took a job that was never put", w[0].got[0]);

	jobq_put(q, 1);
	join_all(t, 1);
	ck_assert_msg(w[0].got[0] == 1, "the worker woke up with job %d, expected job 1", w[0].got[0]);
	jobq_free(q);
}
END_TEST

/*
 * Two idle workers, one job: one worker takes it and the other must go back to
 * sleep, since the queue is empty again. Only then is a second job put.
 */
START_TEST(test_one_job_two_workers)
{
	static struct worker w[2];
	pthread_t t[2];
	struct jobq *q = jobq_new();
	start_workers(w, t, 2, q, 1);
	bool waited = all_asleep(w, 2);
	if (!waited)
		join_all(t, 2);
	ck_assert_msg(waited, "a worker returned from jobq_take with job %d while the queue "
		      "was empty", finished(&w[0]) ? w[0].got[0] : w[1].got[0]);

	jobq_put(q, 1);
	int first = -1;
	while (first < 0) {
		for (int i = 0; i < 2 && first < 0; i++)
			if (finished(&w[i]))
				first = i;
		rl_sleep_ms(1);
	}
	struct worker *other = &w[1 - first];
	bool slept_again = all_asleep(other, 1);
	if (!slept_again)
		join_all(t, 2);
	ck_assert_msg(slept_again, "one job woke both workers and both returned, with jobs %d "
		      "and %d: one of them took a job from an empty queue", w[0].got[0], w[1].got[0]);

	jobq_put(q, 2);
	join_all(t, 2);
	ck_assert_msg(w[first].got[0] == 1 && other->got[0] == 2,
		      "expected jobs 1 and 2, the workers got %d and %d", w[first].got[0], other->got[0]);
	jobq_free(q);
}
END_TEST

/* Busy day: four workers, 200 jobs put while they work. Each job must run exactly once. */
START_TEST(test_every_job_once)
{
	static struct worker w[WORKERS];
	pthread_t t[WORKERS];
	struct jobq *q = jobq_new();
	start_workers(w, t, WORKERS, q, PER_WORKER);
	for (int job = 1; job <= JOBS; job++)
		ck_assert_msg(jobq_put(q, job), "jobq_put refused job %d", job);
	join_all(t, WORKERS);

	static int runs[JOBS + 1];
	for (int i = 0; i < WORKERS; i++)
		for (int k = 0; k < PER_WORKER; k++) {
			int job = w[i].got[k];
			ck_assert_msg(job >= 1 && job <= JOBS, "a worker got job %d, which was never "
				      "put: it took from an empty queue", job);
			runs[job]++;
		}
	for (int job = 1; job <= JOBS; job++)
		ck_assert_msg(runs[job] == 1, "job %d ran %d times, expected once", job, runs[job]);
	jobq_free(q);
}
END_TEST

/*
 * Idle workers sleep: four workers on an empty queue are watched for a window;
 * a worker that looks again now and then (a short sleep, a timed wait) wakes up
 * several times in it, however short its sleep. The README rules polling out.
 */
START_TEST(test_idle_workers_sleep)
{
	static struct worker w[WORKERS];
	pthread_t t[WORKERS];
	struct jobq *q = jobq_new();
	start_workers(w, t, WORKERS, q, 1);
	bool waited = all_asleep(w, WORKERS);
	long before[WORKERS], woke = 0;
	for (int i = 0; waited && i < WORKERS; i++)
		before[i] = rl_thread_sleeps(w[i].tid);
	if (waited)
		rl_sleep_ms(WINDOW_MS);
	for (int i = 0; waited && i < WORKERS; i++) {
		long n = rl_thread_sleeps(w[i].tid) - before[i];
		woke = n > woke ? n : woke;
	}
	for (int job = 1; job <= WORKERS; job++)
		jobq_put(q, job);
	join_all(t, WORKERS);
	ck_assert_msg(waited, "a worker returned from jobq_take while the queue was empty");
	ck_assert_msg(woke <= MAX_WAKEUPS, "an idle worker woke up %ld times in %d ms with no job "
		      "put: it polls; sleep until a job is put", woke, WINDOW_MS);
	jobq_free(q);
}
END_TEST

/*
 * The ring's size is JOBQ_CAP: fill it, one more put is refused, the queue still
 * works after that, and the ring wraps (twice round, an odd count of jobs).
 * A full-queue path that returns without unlocking hangs here.
 */
START_TEST(test_full_queue_refuses_then_works)
{
	struct jobq *q = jobq_new();
	int next_put = 1, next_take = 1;
	for (; next_put <= JOBQ_CAP; next_put++)
		ck_assert_msg(jobq_put(q, next_put), "jobq_put refused job %d of %d", next_put, JOBQ_CAP);
	ck_assert_msg(!jobq_put(q, next_put), "jobq_put took a job beyond JOBQ_CAP (%d)", JOBQ_CAP);
	for (int round = 0; round < 2 * JOBQ_CAP + 1; round++) {
		int got = jobq_take(q);
		ck_assert_msg(got == next_take, "expected job %d, got job %d", next_take, got);
		next_take++;
		ck_assert_msg(jobq_put(q, next_put), "jobq_put refused job %d with room", next_put);
		next_put++;
	}
	while (next_take < next_put) {
		int got = jobq_take(q);
		ck_assert_msg(got == next_take, "expected job %d, got job %d", next_take, got);
		next_take++;
	}
	jobq_free(q);
}
END_TEST

/*
 * A burst: four idle workers, four jobs put one after the other, and no worker
 * runs until the last put is done (the workers run in the background of the
 * test's CPU). Every job must wake a worker: a put that wakes one only when the
 * queue was empty leaves three workers asleep beside three jobs, and the test
 * hangs (the watchdog shows them in jobq_take). Last, since a hang ends the run.
 */
START_TEST(test_burst_wakes_every_idle_worker)
{
	static struct worker w[WORKERS];
	pthread_t t[WORKERS];
	struct jobq *q = jobq_new();
	rl_one_cpu(false);
	for (int i = 0; i < WORKERS; i++)
		w[i].background = true;
	start_workers(w, t, WORKERS, q, 1);
	bool waited = all_asleep(w, WORKERS);
	for (int job = 1; job <= WORKERS; job++)
		jobq_put(q, job);
	join_all(t, WORKERS);
	ck_assert_msg(waited, "a worker returned from jobq_take while the queue was empty");
	bool seen[WORKERS + 1] = { false };
	for (int i = 0; i < WORKERS; i++) {
		int job = w[i].got[0];
		ck_assert_msg(job >= 1 && job <= WORKERS && !seen[job],
			      "a worker got job %d: each of jobs 1 to %d must go to one worker", job, WORKERS);
		seen[job] = true;
	}
	jobq_free(q);
}
END_TEST

Suite *lab_suite(void)
{
	Suite *s = suite_create("42-cond-if");
	TCase *tc = tcase_create("jobq");
	tcase_add_test(tc, test_fifo_in_one_thread);
	tcase_add_test(tc, test_take_waits_for_a_job);
	tcase_add_test(tc, test_one_job_two_workers);
	tcase_add_test(tc, test_every_job_once);
	tcase_add_test(tc, test_idle_workers_sleep);
	tcase_add_test(tc, test_full_queue_refuses_then_works);
	tcase_add_test(tc, test_burst_wakes_every_idle_worker);
	suite_add_tcase(s, tc);
	return s;
}
