/* alt: pthread_cleanup_push(release) before the query and pthread_cleanup_pop(1) after it: the release runs exactly once on the normal path, and also if the thread is cancelled or exits inside the query. */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>

#include "pool.h"

void pool_init(struct pool *p)
{
	if (sem_init(&p->idle, 0, POOL_CONNS) != 0)
		abort();
	pthread_mutex_init(&p->lock, NULL);
	for (int i = 0; i < POOL_CONNS; i++)
		p->busy[i] = false;
}

void pool_destroy(struct pool *p)
{
	pthread_mutex_destroy(&p->lock);
	sem_destroy(&p->idle);
}

int pool_acquire(struct pool *p)
{
	/* sleeps while every connection is lent out; a signal (EINTR) is not a token */
	while (sem_wait(&p->idle) != 0)
		if (errno != EINTR)
			abort();

	pthread_mutex_lock(&p->lock);
	int conn = 0;
	while (conn < POOL_CONNS && p->busy[conn])
		conn++;
	/* The token we took promises that one connection is idle. */
	assert(conn < POOL_CONNS && "the semaphore counted a connection that is not idle");
	p->busy[conn] = true;
	pthread_mutex_unlock(&p->lock);
	return conn;
}

void pool_release(struct pool *p, int conn)
{
	pthread_mutex_lock(&p->lock);
	p->busy[conn] = false;
	pthread_mutex_unlock(&p->lock);
	sem_post(&p->idle);             /* one more idle connection: wake a waiter */
}

struct borrowed {
	struct pool *p;
	int conn;
};

static void give_back(void *arg)
{
	struct borrowed *b = arg;
	pool_release(b->p, b->conn);
}

int run_query(struct pool *p, int query)
{
	struct borrowed b = { p, pool_acquire(p) };
	int rc;

	pthread_cleanup_push(give_back, &b);
	rc = db_exec(b.conn, query);
	pthread_cleanup_pop(1);         /* 1: run give_back now, on every path */

	return rc != 0 ? -1 : 0;
}
