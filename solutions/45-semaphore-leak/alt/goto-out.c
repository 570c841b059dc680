/* alt: the kernel's goto-out idiom: every path after the acquire leaves through one out: label that releases once; EINTR retried around sem_wait. */
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

int run_query(struct pool *p, int query)
{
	int ret = 0;
	int conn = pool_acquire(p);

	if (db_exec(conn, query) != 0) {
		ret = -1;               /* the database said no: tell the caller */
		goto out;
	}
	/* more steps on the connection would go here, each `goto out` on failure */
out:
	pool_release(p, conn);
	return ret;
}
