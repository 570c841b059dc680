/* db.c: a pretend database that also notices when two threads share one connection. */
#include <pthread.h>

#include "db.h"

static pthread_mutex_t db_lock = PTHREAD_MUTEX_INITIALIZER;
static int users[DB_CONNS];     /* threads inside db_exec on each connection */
static int misuse;
static int queries[DB_CONNS];   /* queries run on each connection */

static void enter(int conn)
{
	pthread_mutex_lock(&db_lock);
	if (conn < 0 || conn >= DB_CONNS || users[conn]++ != 0)
		misuse++;
	else
		queries[conn]++;
	pthread_mutex_unlock(&db_lock);
}

static void leave(int conn)
{
	pthread_mutex_lock(&db_lock);
	if (conn >= 0 && conn < DB_CONNS)
		users[conn]--;
	pthread_mutex_unlock(&db_lock);
}

int db_exec(int conn, int query)
{
	enter(conn);
	int rc = query < 0 ? -1 : 0;
	leave(conn);
	return rc;
}

int db_misuse(void)
{
	pthread_mutex_lock(&db_lock);
	int n = misuse;
	pthread_mutex_unlock(&db_lock);
	return n;
}

int db_queries(int conn)
{
	pthread_mutex_lock(&db_lock);
	int n = queries[conn];
	pthread_mutex_unlock(&db_lock);
	return n;
}
