/* expect: race -- a barrier reused every round with the second barrier missing: the next round's write meets this round's read (ThreadSanitizer merges the rounds of one barrier and mostly misses it) */
#include <pthread.h>
#include <stdio.h>

enum { ROUNDS = 100 };

static int slot;                   /* written by the producer each round, read by the consumer */
static pthread_barrier_t filled;   /* "slot is written": the only barrier of a round */

static void *producer(void *arg)
{
	(void)arg;
	for (int r = 0; r < ROUNDS; r++) {
		slot = r;                       /* round r+1 writes while the consumer may still read round r */
		pthread_barrier_wait(&filled);
		/* missing: a second barrier_wait(&consumed) before the next write */
	}
	return NULL;
}

static void *consumer(void *arg)
{
	long sum = 0;
	(void)arg;
	for (int r = 0; r < ROUNDS; r++) {
		pthread_barrier_wait(&filled);
		sum += slot;
	}
	return (void *)sum;
}

int main(void)
{
	pthread_t p, c;
	void *sum;
	pthread_barrier_init(&filled, NULL, 2);
	pthread_create(&p, NULL, producer, NULL);
	pthread_create(&c, NULL, consumer, NULL);
	pthread_join(p, NULL);
	pthread_join(c, &sum);
	pthread_barrier_destroy(&filled);
	printf("sum %ld (expected %d)\n", (long)sum, ROUNDS * (ROUNDS - 1) / 2);
	return 0;
}
