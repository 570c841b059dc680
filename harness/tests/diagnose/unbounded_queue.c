/* expect: memory -- a producer far faster than its consumer fills an unbounded queue (1 MiB jobs) until malloc fails */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

enum { JOBS = 768, JOB_BYTES = 1 << 20 };

struct job {
	struct job *next;
	char data[JOB_BYTES - sizeof(struct job *)];
};

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t produced_all = PTHREAD_COND_INITIALIZER;
static struct job *head;
static int done;

static void *producer(void *arg)
{
	(void)arg;
	for (int i = 0; i < JOBS; i++) {
		struct job *j = malloc(sizeof *j);
		if (!j) {
			fprintf(stderr, "out of memory after %d jobs\n", i);
			abort();
		}
		pthread_mutex_lock(&m);
		j->next = head;  /* no bound: nothing ever makes the producer wait */
		head = j;
		pthread_mutex_unlock(&m);
	}
	pthread_mutex_lock(&m);
	done = 1;
	pthread_cond_signal(&produced_all);
	pthread_mutex_unlock(&m);
	return NULL;
}

/* The slow consumer: here it starts only when everything was produced, so the queue peaks every run. */
static void *consumer(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	while (!done)
		pthread_cond_wait(&produced_all, &m);
	while (head) {
		struct job *j = head;
		head = j->next;
		free(j);
	}
	pthread_mutex_unlock(&m);
	return NULL;
}

int main(void)
{
	pthread_t p, c;
	pthread_create(&c, NULL, consumer, NULL);
	pthread_create(&p, NULL, producer, NULL);
	pthread_join(p, NULL);
	pthread_join(c, NULL);
	puts("done");
	return 0;
}
