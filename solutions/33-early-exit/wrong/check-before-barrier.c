/* wrong: each worker reads the failure right after its own step, before the barrier; a worker whose step ended before the failing one was noted goes on alone into the next round (hang) */
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

/* Remember the first round that failed, for whoever asks. */
static void note_failure(struct crew *c, int round)
{
	pthread_mutex_lock(&c->lock);
	if (c->failed_round < 0 || round < c->failed_round)
		c->failed_round = round;
	pthread_mutex_unlock(&c->lock);
}

int crew_work(struct crew *c, int id)
{
	for (int r = 0; r < c->rounds; r++) {
		if (c->step(c, id, r) != 0)
			note_failure(c, r);
		pthread_mutex_lock(&c->lock);
		int stop = c->failed_round >= 0;
		pthread_mutex_unlock(&c->lock);
		/* Round r+1 uses what every worker did in round r: wait for them all. */
		pthread_barrier_wait(&c->round_end);
		if (stop)
			return -1;
	}
	return 0;
}
