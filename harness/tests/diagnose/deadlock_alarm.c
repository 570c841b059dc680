/* expect: deadlock -- ABBA between two threads, with a 3 s alarm(3) as the program's own safety net: SIGALRM kills it before a long timeout would */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t inbox = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t outbox = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both_hold_one;

static void *sender(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&outbox);
	pthread_barrier_wait(&both_hold_one);
	pthread_mutex_lock(&inbox);
	pthread_mutex_unlock(&inbox);
	pthread_mutex_unlock(&outbox);
	return NULL;
}

static void *receiver(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&inbox);
	pthread_barrier_wait(&both_hold_one);
	pthread_mutex_lock(&outbox);
	pthread_mutex_unlock(&outbox);
	pthread_mutex_unlock(&inbox);
	return NULL;
}

int main(void)
{
	pthread_t s, r;
	alarm(3);  /* if it ever hangs, SIGALRM ends it */
	pthread_barrier_init(&both_hold_one, NULL, 2);
	pthread_create(&s, NULL, sender, NULL);
	pthread_create(&r, NULL, receiver, NULL);
	pthread_join(s, NULL);
	pthread_join(r, NULL);
	puts("done");
	return 0;
}
