/* crew.h: a crew of threads that works through a job in rounds (the interface the tests call). */
#ifndef CREW_H
#define CREW_H

#include <pthread.h>

struct crew;
typedef int (*crew_step_fn)(struct crew *c, int id, int round);

struct crew {
	int nworkers;
	int rounds;
	crew_step_fn step;              /* worker id's part of one round; non-zero means it failed */
	void *arg;                      /* for step() */
	pthread_barrier_t round_end;    /* the workers meet here after every round */
	pthread_mutex_t lock;           /* guards failed_round */
	int failed_round;               /* the first round in which a step failed, or -1 */
};

void crew_init(struct crew *c, int nworkers, int rounds, crew_step_fn step, void *arg);
void crew_destroy(struct crew *c);

/*
 * Worker id's loop, run by each of the nworkers threads at once: step(c, id, r)
 * for r = 0, 1, ..., rounds-1. No worker starts round r+1 before every worker
 * has finished round r. When a step fails, the job stops: every worker
 * finishes the round it is in and starts no other.
 * Returns 0 when every round ran, -1 when the job stopped because a step failed.
 */
int crew_work(struct crew *c, int id);

#endif
