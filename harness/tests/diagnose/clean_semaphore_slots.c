/* expect: none -- a bounded buffer with two counting semaphores and a mutex: the producer blocks when it is full */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

enum { SLOTS = 4, ITEMS = 200 };

static int ring[SLOTS], in, out;
static sem_t free_slots, used_slots;
static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

static void *producer(void *arg)
{
	(void)arg;
	for (int i = 0; i < ITEMS; i++) {
		sem_wait(&free_slots);
		pthread_mutex_lock(&m);
		ring[in] = i;
		in = (in + 1) % SLOTS;
		pthread_mutex_unlock(&m);
		sem_post(&used_slots);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	long sum = 0;
	(void)arg;
	for (int i = 0; i < ITEMS; i++) {
		sem_wait(&used_slots);
		pthread_mutex_lock(&m);
		sum += ring[out];
		out = (out + 1) % SLOTS;
		pthread_mutex_unlock(&m);
		sem_post(&free_slots);
	}
	return (void *)sum;
}

int main(void)
{
	pthread_t p, c;
	void *sum;
	sem_init(&free_slots, 0, SLOTS);
	sem_init(&used_slots, 0, 0);
	pthread_create(&p, NULL, producer, NULL);
	pthread_create(&c, NULL, consumer, NULL);
	pthread_join(p, NULL);
	pthread_join(c, &sum);
	printf("sum %ld (expected %d)\n", (long)sum, ITEMS * (ITEMS - 1) / 2);
	return 0;
}
