/* expect: hang -- a lost wakeup: the signal comes before the wait, and the wait has no predicate to check */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t job_ready = PTHREAD_COND_INITIALIZER;

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	pthread_cond_wait(&job_ready, &m);  /* no "while (!ready)": the signal already happened */
	pthread_mutex_unlock(&m);
	puts("worker woke up");
	return NULL;
}

int main(void)
{
	pthread_mutex_lock(&m);
	pthread_cond_signal(&job_ready);  /* nobody waits yet: the signal is lost */
	pthread_mutex_unlock(&m);
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);
	return 0;
}
