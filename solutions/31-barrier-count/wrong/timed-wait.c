/* wrong: give the phase barrier a 100 ms timeout and carry on when the others do not come */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "pool.h"

struct worker {
	struct pool *pool;
	int id;              /* 0 .. nthreads-1 */
	pthread_t thread;
};

/* pthread_barrier_wait cannot time out, so this phase barrier is made by hand. */
static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_open = PTHREAD_COND_INITIALIZER;
static int arrived;          /* threads waiting in this round */
static unsigned round_no;    /* bumped each time the gate opens */

/* Wait until `seats` threads have arrived, or 100 ms have passed: a missing thread must not hang the pool. */
static void phase_wait(int seats)
{
	pthread_mutex_lock(&gate_lock);
	unsigned my_round = round_no;
	if (++arrived == seats) {
		arrived = 0;
		round_no++;
		pthread_cond_broadcast(&gate_open);
	} else {
		struct timespec deadline;
		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline.tv_nsec += 100 * 1000000L;
		if (deadline.tv_nsec >= 1000000000L) {
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000L;
		}
		while (round_no == my_round)
			if (pthread_cond_timedwait(&gate_open, &gate_lock, &deadline) == ETIMEDOUT)
				break;   /* nobody else is coming: carry on */
	}
	pthread_mutex_unlock(&gate_lock);
}

void pool_init(struct pool *p, int nworkers)
{
	p->nworkers = nworkers;
	p->nthreads = 0;
	p->job = NULL;
}

void pool_destroy(struct pool *p)
{
	(void)p;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct pool *p = w->pool;
	struct job *job = p->job;

	for (int phase = 0; phase < job->nphases; phase++) {
		for (int s = w->id; s < job->nshards; s += p->nthreads)
			job->run(job, phase, s);
		phase_wait(p->nworkers);
	}
	return NULL;
}

void pool_run(struct pool *p, struct job *job)
{
	p->nthreads = job->nshards < p->nworkers ? job->nshards : p->nworkers;
	p->job = job;

	struct worker *w = calloc((size_t)p->nthreads, sizeof *w);
	if (w == NULL)
		abort();
	for (int i = 0; i < p->nthreads; i++) {
		w[i] = (struct worker){ .pool = p, .id = i };
		if (pthread_create(&w[i].thread, NULL, worker_main, &w[i]) != 0)
			abort();
	}
	for (int i = 0; i < p->nthreads; i++)
		pthread_join(w[i].thread, NULL);
	free(w);
	p->job = NULL;
}
