/* expect: pass tsan helgrind drd; notes helgrind -- two locks in opposite orders, the second by trylock, everything given back on failure: no deadlock (Helgrind: "lock order violated") */
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
		pthread_mutex_unlock(first); /* give back what is held, then try again */
		sched_yield();
	}
}

static void *mover(void *arg)
{
	int forward = arg == NULL;
	for (int i = 0; i < 1000; i++) {
		take_both(forward ? &a : &b, forward ? &b : &a);
		moves++;
		pthread_mutex_unlock(&a);
		pthread_mutex_unlock(&b);
	}
	return NULL;
}

int main(void)
{
	pthread_t x, y;
	pthread_create(&x, NULL, mover, NULL);
	pthread_create(&y, NULL, mover, &x);
	pthread_join(x, NULL);
	pthread_join(y, NULL);
	printf("moves %d\n", moves);
	return moves == 2000 ? 0 : 1;
}
