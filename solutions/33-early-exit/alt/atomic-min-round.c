/* alt: failed_round kept by GCC __atomic builtins (a compare-and-swap loop keeps the smallest round, acquire loads after the barrier) and the question 'failed by this round?'; right because every access is atomic and all of round r's failures are stored before barrier r opens */
#include "crew.h"

void crew_init(struct crew *c, int nworkers, int rounds, crew_step_fn step, void *arg)
{
	c->nworkers = nworkers;
	c->rounds = rounds;
	c->step = step;
	c->arg = arg;
	pthread_barrier_init(&c->round_end, NULL, (unsigned)nworkers);
	pthread_mutex_init(&c->lock, NULL);
	c->failed_round = -1;
}

void crew_destroy(struct crew *c)
{
	pthread_barrier_destroy(&c->round_end);
	pthread_mutex_destroy(&c->lock);
}

/* Remember the first round that failed: keep the minimum with a CAS loop. */
static void note_failure_atomic(struct crew *c, int round)
{
	int seen = __atomic_load_n(&c->failed_round, __ATOMIC_ACQUIRE);
	while (seen < 0 || round < seen) {
		if (__atomic_compare_exchange_n(&c->failed_round, &seen, round, 0,
		                                __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			break;
	}
}

int crew_work(struct crew *c, int id)
{
	for (int r = 0; r < c->rounds; r++) {
		if (c->step(c, id, r) != 0)
			note_failure_atomic(c, r);
		/* Round r+1 uses what every worker did in round r: wait for them all. */
		pthread_barrier_wait(&c->round_end);
		int f = __atomic_load_n(&c->failed_round, __ATOMIC_ACQUIRE);
		if (f >= 0 && f <= r)
			return -1;
	}
	return 0;
}
