/* wrong: run_query is fixed with a single exit, but pool_acquire scans busy[] without the lock and locks only to mark its choice: two acquirers holding tokens both see one connection free and both take it, while another sits idle */
#include <assert.h>

#include "pool.h"

void pool_init(struct pool *p)
{
	sem_init(&p->idle, 0, POOL_CONNS);
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
	sem_wait(&p->idle);             /* sleeps while every connection is lent out */

	/* Look for an idle connection; only the write needs the lock. */
	int conn = 0;
	while (conn < POOL_CONNS && p->busy[conn])
		conn++;
	assert(conn < POOL_CONNS && "the semaphore counted a connection that is not idle");
	pthread_mutex_lock(&p->lock);
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
	int conn = pool_acquire(p);
	int rc = db_exec(conn, query);
	pool_release(p, conn);          /* whatever happened: the connection goes back */
	return rc != 0 ? -1 : 0;
}
