/* expect: deadlock -- three threads in a ring, each holding its own lock and waiting for the next one's (forced by a barrier) */
#include <pthread.h>
#include <stdio.h>

enum { N = 3 };

static pthread_mutex_t fork_lock[N];
static pthread_barrier_t all_hold_one;

static void *diner(void *arg)
{
	int me = (int)(long)arg;
	pthread_mutex_lock(&fork_lock[me]);
	pthread_barrier_wait(&all_hold_one);
	pthread_mutex_lock(&fork_lock[(me + 1) % N]);   /* the next diner holds it and waits too */
	pthread_mutex_unlock(&fork_lock[(me + 1) % N]);
	pthread_mutex_unlock(&fork_lock[me]);
	return NULL;
}

int main(void)
{
	pthread_t t[N];
	pthread_barrier_init(&all_hold_one, NULL, N);
	for (int i = 0; i < N; i++)
		pthread_mutex_init(&fork_lock[i], NULL);
	for (long i = 0; i < N; i++)
		pthread_create(&t[i], NULL, diner, (void *)i);
	for (int i = 0; i < N; i++)
		pthread_join(t[i], NULL);
	puts("all ate");
	return 0;
}
