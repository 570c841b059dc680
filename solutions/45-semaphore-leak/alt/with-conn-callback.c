/* alt: a loan helper, with_conn(p, fn, arg), owns the acquire and the release and runs the query as a callback: run_query never holds a connection itself, so it cannot return early with one. */
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

/* Borrow a connection, run fn on it, give it back whatever fn returned. */
static int with_conn(struct pool *p, int (*fn)(int conn, void *arg), void *arg)
{
	int conn = pool_acquire(p);
	int rc = fn(conn, arg);
	pool_release(p, conn);
	return rc;
}

static int exec_query(int conn, void *arg)
{
	return db_exec(conn, *(int *)arg) != 0 ? -1 : 0;
}

int run_query(struct pool *p, int query)
{
	return with_conn(p, exec_query, &query);
}
