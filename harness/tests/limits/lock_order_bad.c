/* expect: fail tsan helgrind -- trylock_ok.c with the second lock taken by pthread_mutex_lock: a lock-order inversion (done one thread after the other, so it never hangs) */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static int moves;

static void *mover(void *arg)
{
	int forward = arg == NULL;
	pthread_mutex_t *first = forward ? &a : &b, *second = forward ? &b : &a;
	for (int i = 0; i < 1000; i++) {
		pthread_mutex_lock(first);
		pthread_mutex_lock(second);
		moves++;
		pthread_mutex_unlock(second);
		pthread_mutex_unlock(first);
	}
	return NULL;
}

int main(void)
{
	pthread_t x, y;
	pthread_create(&x, NULL, mover, NULL);
	pthread_join(x, NULL);
	pthread_create(&y, NULL, mover, &x);
	pthread_join(y, NULL);
	printf("moves %d\n", moves);
	return 0;
}
