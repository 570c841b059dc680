/* wrong: the failing worker stops stepping but keeps coming to the barrier; nobody hangs, but the others never learn, run every later round and return 0 */
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
	int rc = 0;
	for (int r = 0; r < c->rounds; r++) {
		if (rc == 0 && c->step(c, id, r) != 0) {
			note_failure(c, r);
			rc = -1;        /* the job has failed: stop working, but keep meeting the others */
		}
		/* Round r+1 uses what every worker did in round r: wait for them all. */
		pthread_barrier_wait(&c->round_end);
	}
	return rc;
}
