/* expect: misuse -- a thread unlocks a mutex that another thread holds */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t job_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t locked, released;
static int job;

static void *owner(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&job_lock);
	job = 1;
	pthread_barrier_wait(&locked);
	pthread_barrier_wait(&released);  /* never unlocks it itself: it expects someone to */
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_barrier_init(&locked, NULL, 2);
	pthread_barrier_init(&released, NULL, 2);
	pthread_create(&t, NULL, owner, NULL);
	pthread_barrier_wait(&locked);
	pthread_mutex_unlock(&job_lock);  /* main is not the owner */
	pthread_barrier_wait(&released);
	pthread_join(t, NULL);
	printf("job %d\n", job);
	return 0;
}
