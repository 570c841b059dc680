/* expect: pass tsan helgrind; notes helgrind -- 4 threads x 100k increments, each under a pthread spinlock: correct (Helgrind: "recursive write lock granted"; DRD is left out: its waiters spin through whole time slices, and at load the run can outlast its timeout) */
#include <pthread.h>
#include <stdio.h>

enum { THREADS = 4, ROUNDS = 100000 };
static pthread_spinlock_t spin;
static long hits;

static void *bump(void *arg)
{
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		pthread_spin_lock(&spin);
		hits++;
		pthread_spin_unlock(&spin);
	}
	return NULL;
}

int main(void)
{
	pthread_t t[THREADS];
	pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE);
	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, bump, NULL);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	pthread_spin_destroy(&spin);
	printf("hits %ld of %d\n", hits, THREADS * ROUNDS);
	return hits == THREADS * ROUNDS ? 0 : 1;
}
