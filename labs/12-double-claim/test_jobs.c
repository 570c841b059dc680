/* test_jobs.c: Check suite for 12-double-claim; the tests own the worker threads. */
#include <errno.h>
#include <semaphore.h>
#include <time.h>

#include "jobs.h"
#include "racelab_test.h"

enum { MAX_JOBS = 256, MEET_WAIT_S = 2 };

struct worker {
	struct jobs *table;
	jobs_want_fn want;
	int index;		/* 0, 1, ...: which worker this is */
	int asked;		/* how many times want() ran for this worker */
	bool met;		/* forced test: the other worker was deciding at the same time */
	int got[MAX_JOBS];	/* how many times this worker was handed each job */
	int bad_id;		/* an id out of range, if claim ever returned one */
};

static bool want_all(int id, void *worker)
{
	(void)id;
	(void)worker;
	return true;
}

static bool want_even(int id, void *worker)
{
	(void)worker;
	return id % 2 == 0;
}

/*
 * The forced interleaving. Each worker, the first time it is offered a job,
 * waits in want() until the other worker is also in want(). So both have done
 * their check and neither has acted yet: exactly the moment a check-then-act
 * claim breaks. A correct claim gets through it: the two are then either
 * deciding about different jobs, or the loser of an atomic claim moves on.
 */
static sem_t arrived[2];

static bool meet(int me)
{
	struct timespec deadline;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += MEET_WAIT_S;
	sem_post(&arrived[me]);
	while (sem_timedwait(&arrived[1 - me], &deadline) == -1)
		if (errno != EINTR)
			return false;
	return true;
}

static bool want_after_meeting(int id, void *worker)
{
	struct worker *w = worker;
	(void)id;
	if (w->asked == 0)
		w->met = meet(w->index);
	w->asked++;
	return true;
}

/* A worker's life: claim until nothing is left, counting what it was handed. */
static void *work(void *arg)
{
	struct worker *w = arg;
	int id;
	while ((id = jobs_claim_next(w->table, w->want, w)) >= 0) {
		if (id >= MAX_JOBS) {
			w->bad_id = id;
			break;
		}
		w->got[id]++;
	}
	return NULL;
}

static void setup_workers(struct worker *w, int n, struct jobs *t, jobs_want_fn want)
{
	for (int i = 0; i < n; i++)
		w[i] = (struct worker){ .table = t, .want = want, .index = i, .bad_id = -1 };
}

/* Every job went to exactly one worker. */
static void check_each_job_once(const struct worker *w, int nworkers, int njobs)
{
	for (int i = 0; i < nworkers; i++)
		ck_assert_msg(w[i].bad_id < 0, "claim returned job %d, but ids go from 0 to %d",
			      w[i].bad_id, njobs - 1);
	for (int id = 0; id < njobs; id++) {
		int times = 0;
		for (int i = 0; i < nworkers; i++)
			times += w[i].got[id];
		ck_assert_msg(times <= 1, "job %d was claimed %d times: %s", id, times,
			      "several workers saw it pending, and each of them took it");
		ck_assert_msg(times == 1, "job %d was never claimed, though every worker wanted it", id);
	}
}

START_TEST(one_worker_gets_every_job)
{
	struct jobs *t = jobs_create(8);
	ck_assert_ptr_nonnull(t);
	struct worker w;
	setup_workers(&w, 1, t, want_all);
	work(&w);
	check_each_job_once(&w, 1, 8);
	jobs_destroy(t);
}
END_TEST

START_TEST(refused_jobs_stay_pending)
{
	struct jobs *t = jobs_create(8);
	ck_assert_ptr_nonnull(t);
	struct worker w[2];
	setup_workers(w, 2, t, want_even);
	w[1].want = want_all;
	work(&w[0]);
	for (int id = 0; id < 8; id++)
		ck_assert_msg(w[0].got[id] == (id % 2 == 0),
			      "a worker that wants only even jobs was handed job %d %d times",
			      id, w[0].got[id]);
	work(&w[1]);
	check_each_job_once(w, 2, 8);
	jobs_destroy(t);
}
END_TEST

START_TEST(two_deciding_workers_never_share_a_job)
{
	struct jobs *t = jobs_create(8);
	ck_assert_ptr_nonnull(t);
	struct worker w[2];
	setup_workers(w, 2, t, want_after_meeting);
	sem_init(&arrived[0], 0, 0);
	sem_init(&arrived[1], 0, 0);
	rl_parallel(2, work, w, sizeof w[0]);
	check_each_job_once(w, 2, 8);
	for (int i = 0; i < 2; i++)
		ck_assert_msg(w[i].met, "worker %d waited %d s in want() and the other worker never "
			      "got to look at a job: a worker must not wait while another one decides "
			      "(do not hold a lock while want() runs)", i, MEET_WAIT_S);
	sem_destroy(&arrived[0]);
	sem_destroy(&arrived[1]);
	jobs_destroy(t);
}
END_TEST

START_TEST(many_workers_many_jobs)
{
	enum { WORKERS = 4 };
	struct jobs *t = jobs_create(MAX_JOBS);
	ck_assert_ptr_nonnull(t);
	static struct worker w[WORKERS];
	setup_workers(w, WORKERS, t, want_all);
	rl_parallel(WORKERS, work, w, sizeof w[0]);
	check_each_job_once(w, WORKERS, MAX_JOBS);
	jobs_destroy(t);
}
END_TEST

Suite *lab_suite(void)
{
	Suite *s = suite_create("12-double-claim");
	TCase *tc = tcase_create("jobs");
	tcase_add_test(tc, one_worker_gets_every_job);
	tcase_add_test(tc, refused_jobs_stay_pending);
	tcase_add_test(tc, two_deciding_workers_never_share_a_job);
	tcase_add_test(tc, many_workers_many_jobs);
	suite_add_tcase(s, tc);
	return s;
}
