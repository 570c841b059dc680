/* expect: none -- two locks taken in opposite orders, but the second with trylock, backing off on failure: no deadlock can happen (Helgrind still calls it a lock-order violation) */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static int moves;

static void take_both(pthread_mutex_t *first, pthread_mutex_t *second)
{
	for (;;) {
		pthread_mutex_lock(first);
		if (pthread_mutex_trylock(second) == 0)
			return;
		pthread_mutex_unlock(first);  /* back off: never wait while holding */
		sched_yield();
	}
}

static void *forward(void *arg)
{
	(void)arg;
	for (int i = 0; i < 1000; i++) {
		take_both(&a, &b);
		moves++;
		pthread_mutex_unlock(&b);
		pthread_mutex_unlock(&a);
	}
	return NULL;
}

static void *backward(void *arg)
{
	(void)arg;
	for (int i = 0; i < 1000; i++) {
		take_both(&b, &a);
		moves++;
		pthread_mutex_unlock(&a);
		pthread_mutex_unlock(&b);
	}
	return NULL;
}

int main(void)
{
	pthread_t x, y;
	pthread_create(&x, NULL, forward, NULL);
	pthread_create(&y, NULL, backward, NULL);
	pthread_join(x, NULL);
	pthread_join(y, NULL);
	printf("moves %d\n", moves);
	return 0;
}
