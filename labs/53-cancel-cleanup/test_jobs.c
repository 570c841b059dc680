/* test_jobs.c: Check suite for 53-cancel-cleanup; the tests start, retire and join the workers. */
#include <errno.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#include "jobs.h"
#include "racelab_test.h"

enum { MAX_JOB = 64, SLOW_JOB = MAX_JOB - 1 };

/* What the workers did: each job's runs, and one post per job run. */
static int ran[MAX_JOB];
static sem_t job_done;

/* The slow job's side of the test that retires its worker while it runs. */
static sem_t slow_started;		/* posted when the slow job has begun */
static atomic_int retire_returned;	/* set once jobs_retire has returned */
static int slow_finished;		/* the slow job got to its last line */

/*
 * A job that takes a while and sleeps as it goes, as real jobs do: usleep, like
 * read, printf or sem_wait, is a cancellation point. It says it has begun, works
 * until jobs_retire has returned (or 200 ms, for a jobs_retire that waits for
 * the worker to leave), sleeps once more, and records that it got to its end.
 */
static void slow_job(void)
{
	sem_post(&slow_started);
	for (int ms = 0; ms < 200 && !atomic_load_explicit(&retire_returned, memory_order_relaxed); ms++)
		usleep(1000);
	usleep(1000);
	slow_finished = 1;
}

static void run_job(int job, void *arg)
{
	(void)arg;
	if (job >= 0 && job < MAX_JOB)
		ran[job]++;
	if (job == SLOW_JOB)
		slow_job();
	sem_post(&job_done);
}

static struct jobs *start_queue(void)
{
	memset(ran, 0, sizeof ran);
	sem_init(&job_done, 0, 0);
	struct jobs *j = jobs_create(run_job, NULL);
	ck_assert_ptr_nonnull(j);
	return j;
}

static void submit_range(struct jobs *j, int from, int to)
{
	for (int job = from; job < to; job++)
		ck_assert_msg(jobs_submit(j, job), "jobs_submit(%d) found the queue full", job);
}

/* Wait until n more jobs have run, then check jobs from .. to-1 each ran exactly once. */
static void wait_jobs(int from, int to)
{
	for (int k = from; k < to; k++)
		while (sem_wait(&job_done) == -1 && errno == EINTR)
			;
	for (int job = from; job < to; job++)
		ck_assert_msg(ran[job] == 1, "job %d ran %d times; expected once", job, ran[job]);
}

/* A worker thread: who it is to the kernel, then the learner's worker body. */
struct worker {
	pthread_t thread;
	struct jobs *jobs;
	pid_t tid;
	sem_t known;	/* posted once tid is set */
};

static void *worker_thread(void *arg)
{
	struct worker *w = arg;
	w->tid = gettid();
	sem_post(&w->known);
	return jobs_worker(w->jobs);
}

static void start_worker(struct worker *w, struct jobs *j)
{
	w->jobs = j;
	sem_init(&w->known, 0, 0);
	rl_spawn(&w->thread, worker_thread, w);
	while (sem_wait(&w->known) == -1 && errno == EINTR)
		;
}

/*
 * Retire a worker that is certainly idle: asleep, and (being the only thread
 * that touches the queue just now) asleep waiting for a job, inside
 * pthread_cond_wait. Then join it: it must really end.
 */
static void retire_idle_worker(struct jobs *j, struct worker *w)
{
	rl_wait_until_asleep(w->tid);
	jobs_retire(j, w->thread);
	rl_join(w->thread);
	sem_destroy(&w->known);
}

/* Two workers share 40 jobs; each job runs exactly once. The workers are left waiting. */
START_TEST(every_job_runs_once)
{
	static struct worker w[2];
	struct jobs *j = start_queue();
	start_worker(&w[0], j);
	start_worker(&w[1], j);
	submit_range(j, 0, 40);
	wait_jobs(0, 40);
	/* No retiring here: the workers still wait for jobs when this test's process ends. */
}
END_TEST

/*
 * Retire a worker while it runs a job that sleeps: the retirement must wait for
 * the job to end (jobs.h: "the worker finishes the job it is running"). A worker
 * that can be cancelled while it runs a job ends inside the job's usleep, with
 * the job half done.
 */
START_TEST(retire_a_worker_in_the_middle_of_a_job)
{
	static struct worker a;
	struct jobs *j = start_queue();
	sem_init(&slow_started, 0, 0);
	atomic_store_explicit(&retire_returned, 0, memory_order_relaxed);
	slow_finished = 0;
	start_worker(&a, j);
	submit_range(j, SLOW_JOB, SLOW_JOB + 1);
	while (sem_wait(&slow_started) == -1 && errno == EINTR)
		;
	jobs_retire(j, a.thread);
	/* Relaxed: it orders nothing, so only jobs.c can order the retirement
	 * before the worker's next look at it (ThreadSanitizer sees a flag read
	 * outside the lock as the race it is). */
	atomic_store_explicit(&retire_returned, 1, memory_order_relaxed);
	rl_join(a.thread);
	ck_assert_msg(ran[SLOW_JOB] == 1, "the slow job ran %d times; expected once", ran[SLOW_JOB]);
	ck_assert_msg(slow_finished,
		      "the worker was retired while its job slept in usleep, and the job never got to "
		      "its end: it was cancelled halfway. A retired worker must finish the job it is "
		      "running (jobs.h), whatever the job calls");
	sem_destroy(&a.known);
	sem_destroy(&slow_started);
	jobs_destroy(j);
	sem_destroy(&job_done);
}
END_TEST

/*
 * Scale the pool to zero and back up: one worker runs some jobs, is retired
 * while it sleeps waiting for more, and is joined; then new jobs are queued
 * and a new worker runs them. A worker cancelled inside pthread_cond_wait
 * takes the queue's lock back before it ends; if nothing releases it then,
 * the lock stays held by a thread that no longer exists, and the next
 * jobs_submit waits for it forever. This test hangs on the shipped code, so
 * it runs last.
 */
START_TEST(retire_an_idle_worker_then_queue_more)
{
	static struct worker a, b;
	struct jobs *j = start_queue();
	start_worker(&a, j);
	submit_range(j, 0, 10);
	wait_jobs(0, 10);
	retire_idle_worker(j, &a);

	submit_range(j, 10, 20);	/* queued while no worker is running */
	start_worker(&b, j);
	wait_jobs(10, 20);
	retire_idle_worker(j, &b);
	jobs_destroy(j);
	sem_destroy(&job_done);
}
END_TEST

/*
 * The README forbids polling: an idle worker waits in pthread_cond_wait, so
 * with no job and no retirement it sleeps once and stays asleep. Over the
 * 100 ms below (at least 100 ms, whatever the load) a worker that polls,
 * unlock-sleep-look again, every few milliseconds goes to sleep again and again.
 */
START_TEST(an_idle_worker_sleeps_until_woken)
{
	static struct worker a;
	struct jobs *j = start_queue();
	start_worker(&a, j);
	submit_range(j, 0, 1);
	wait_jobs(0, 1);
	rl_wait_until_asleep(a.tid);
	long before = rl_thread_sleeps(a.tid);
	rl_sleep_ms(100);
	long after = rl_thread_sleeps(a.tid);
	ck_assert_msg(after - before <= 3,
		      "an idle worker, with no job queued and no retirement, went to sleep %ld times "
		      "in 100 ms: it polls. It must wait in pthread_cond_wait until it is woken",
		      after - before);
	retire_idle_worker(j, &a);
}
END_TEST

/*
 * Several idle workers, and the one retired is not the one that has waited
 * longest: a retirement must reach the worker it names, not whichever waiter
 * one pthread_cond_signal wakes (glibc wakes the longest waiter first), and
 * the others must go on serving the queue. The order, newest first, then the
 * oldest, then the last one, makes a "signal one" or "any worker may leave"
 * retirement miss its worker, and the join hang.
 */
START_TEST(retire_one_of_several_idle_workers)
{
	static struct worker w[3];
	struct jobs *j = start_queue();
	for (int i = 0; i < 3; i++) {
		start_worker(&w[i], j);
		rl_wait_until_asleep(w[i].tid);
	}
	submit_range(j, 0, 30);
	wait_jobs(0, 30);
	for (int i = 0; i < 3; i++)
		rl_wait_until_asleep(w[i].tid);
	retire_idle_worker(j, &w[2]);
	submit_range(j, 30, 40);	/* the two left still serve the queue */
	wait_jobs(30, 40);
	rl_wait_until_asleep(w[1].tid);
	retire_idle_worker(j, &w[0]);
	retire_idle_worker(j, &w[1]);
	jobs_destroy(j);
	sem_destroy(&job_done);
}
END_TEST

Suite *lab_suite(void)
{
	Suite *s = suite_create("53-cancel-cleanup");
	TCase *tc = tcase_create("jobs");
	tcase_add_test(tc, every_job_runs_once);
	tcase_add_test(tc, retire_a_worker_in_the_middle_of_a_job);
	tcase_add_test(tc, retire_an_idle_worker_then_queue_more);
	/* After the test that hangs on the shipped code: these hang on some wrong fixes. */
	tcase_add_test(tc, an_idle_worker_sleeps_until_woken);
	tcase_add_test(tc, retire_one_of_several_idle_workers);
	suite_add_tcase(s, tc);
	return s;
}
