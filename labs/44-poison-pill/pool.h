/* pool.h: a fixed crew of worker threads fed through one queue (the interface the tests call). */
#ifndef POOL_H
#define POOL_H

#include <pthread.h>
#include <stdbool.h>

enum { POOL_MAX_WORKERS = 8, QUEUE_CAP = 32 };

/* What a worker does with one item. Items are numbers >= 0. */
typedef void (*handle_fn)(long item);

struct pool {
	pthread_mutex_t lock;       /* guards everything below */
	pthread_cond_t not_empty;   /* something was pushed */
	pthread_cond_t not_full;    /* a slot was freed */
	long items[QUEUE_CAP];      /* ring buffer of waiting items */
	int head;                   /* index of the oldest item */
	int count;                  /* how many are waiting */
	bool closing;               /* there for you to use, if your fix needs it */
	handle_fn handle;
	int nworkers;
	pthread_t workers[POOL_MAX_WORKERS];
};

/*
 * Start nworkers threads (1..POOL_MAX_WORKERS) that call handle on each item.
 * If a thread cannot be started (pthread_create fails), the pool runs with the
 * workers that did start, or ends the program: it never waits for, stops or
 * joins a worker that does not exist.
 */
void pool_start(struct pool *p, int nworkers, handle_fn handle);

/* Queue one item (>= 0); waits while the queue is full. */
void pool_submit(struct pool *p, long item);

/*
 * Stop the pool: every item submitted before this call is handled first, then
 * every worker stops. Returns once all the workers have finished.
 */
void pool_shutdown(struct pool *p);

#endif
