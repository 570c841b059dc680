/* pool.h: a pool of database connections shared by many threads (the interface the tests call). */
#ifndef POOL_H
#define POOL_H

#include <pthread.h>
#include <semaphore.h>
#include <stdbool.h>

#include "db.h"

enum { POOL_CONNS = DB_CONNS };

struct pool {
	sem_t idle;                 /* one token per connection nobody holds */
	pthread_mutex_t lock;       /* guards busy[] */
	bool busy[POOL_CONNS];      /* connections lent out right now */
};

void pool_init(struct pool *p);
void pool_destroy(struct pool *p);

/* Borrow a connection, waiting while all are lent out; returns its number. */
int pool_acquire(struct pool *p);

/* Give a borrowed connection back. */
void pool_release(struct pool *p, int conn);

/* Run one query on a borrowed connection: 0 if it succeeds, -1 if the database
 * rejects it. Called by many threads at once. */
int run_query(struct pool *p, int query);

#endif
