/* pool.h: a worker pool that runs a job phase by phase (the interface the tests call). */
#ifndef POOL_H
#define POOL_H

#include <pthread.h>

/*
 * A job is cut into shards and runs in phases: phase 0 on every shard, then
 * phase 1 on every shard, and so on. Phase k+1 of a shard may read what phase k
 * wrote in any other shard, so no shard may start phase k+1 before every shard
 * has finished phase k.
 */
struct job {
	int nshards;
	int nphases;
	void (*run)(struct job *job, int phase, int shard);  /* the work of one shard in one phase */
	void *arg;                                            /* for run() */
};

struct pool {
	int nworkers;                 /* the pool never uses more threads than this */
	int nthreads;                 /* threads started for the job being run */
	struct job *job;              /* the job being run */
	pthread_barrier_t phase_end;  /* the job's threads meet here after each phase */
};

void pool_init(struct pool *p, int nworkers);
void pool_destroy(struct pool *p);

/*
 * Run every phase of job on every shard, on up to nworkers threads; return when all is done.
 * If a thread cannot be started (pthread_create fails), either run the job on the threads
 * that did start, or end the program (as the shipped code does with abort): never wait
 * for a thread that does not exist.
 */
void pool_run(struct pool *p, struct job *job);

#endif
