/* crew.c (solution): a failed step still meets the others; they decide to stop together, after the barrier. */
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

/* Did a step fail in round r or before? Asked only after round r's barrier. */
static int failed_by(struct crew *c, int round)
{
	pthread_mutex_lock(&c->lock);
	int failed = c->failed_round >= 0 && c->failed_round <= round;
	pthread_mutex_unlock(&c->lock);
	return failed;
}

int crew_work(struct crew *c, int id)
{
	for (int r = 0; r < c->rounds; r++) {
		/* A failed step still comes to the barrier: the others are waiting for it there. */
		if (c->step(c, id, r) != 0)
			note_failure(c, r);
		/* Round r+1 uses what every worker did in round r: wait for them all. */
		pthread_barrier_wait(&c->round_end);
		/*
		 * Every step of round r is done now, so every worker gets the same answer
		 * and they all leave after the same round. Asking "has anything failed?"
		 * instead of "by round r?" would let a fast worker's failure in round r+1
		 * send a slow one home a round early, with the rest waiting for it.
		 */
		if (failed_by(c, r))
			return -1;
	}
	return 0;
}
