/* expect: fail tsan helgrind drd -- spin_ok.c with the first thread of the four bumping the count without the spinlock: a data race */
#include <pthread.h>
#include <stdio.h>

enum { THREADS = 4, ROUNDS = 100000 };
static pthread_spinlock_t spin;
static long hits;

static void *bump(void *arg)
{
	int careless = arg != NULL;
	for (int i = 0; i < ROUNDS; i++) {
		if (!careless)
			pthread_spin_lock(&spin);
		hits++;
		if (!careless)
			pthread_spin_unlock(&spin);
	}
	return NULL;
}

int main(void)
{
	pthread_t t[THREADS];
	pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE);
	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, bump, i == 0 ? &hits : NULL);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	pthread_spin_destroy(&spin);
	printf("hits %ld of %d\n", hits, THREADS * ROUNDS);
	return 0;
}
