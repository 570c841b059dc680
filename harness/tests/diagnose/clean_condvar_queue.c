/* expect: none -- a bounded producer/consumer queue: mutex, two condition variables, waits in while loops */
#include <pthread.h>
#include <stdio.h>

enum { CAP = 4, ITEMS = 2000 };

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER, not_empty = PTHREAD_COND_INITIALIZER;
static int buf[CAP], head, count;

static void *producer(void *arg)
{
	(void)arg;
	for (int i = 1; i <= ITEMS; i++) {
		pthread_mutex_lock(&m);
		while (count == CAP)
			pthread_cond_wait(&not_full, &m);
		buf[(head + count++) % CAP] = i;
		pthread_cond_signal(&not_empty);
		pthread_mutex_unlock(&m);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	long *sum = arg;
	for (int i = 0; i < ITEMS; i++) {
		pthread_mutex_lock(&m);
		while (count == 0)
			pthread_cond_wait(&not_empty, &m);
		*sum += buf[head];
		head = (head + 1) % CAP;
		count--;
		pthread_cond_signal(&not_full);
		pthread_mutex_unlock(&m);
	}
	return NULL;
}

int main(void)
{
	pthread_t p, c;
	long sum = 0;
	pthread_create(&c, NULL, consumer, &sum);
	pthread_create(&p, NULL, producer, NULL);
	pthread_join(p, NULL);
	pthread_join(c, NULL);
	printf("sum = %ld\n", sum);
	return sum == (long)ITEMS * (ITEMS + 1) / 2 ? 0 : 1;
}
