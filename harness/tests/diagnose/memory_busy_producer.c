/* expect: memory -- a producer queues 1 MiB jobs without bound while the consumer drains one every 20 ms: still running, its memory growing, at any timeout; under a memory cap, malloc fails */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

enum { JOB_BYTES = 1 << 20 };

struct job {
	struct job *next;
	char data[JOB_BYTES - sizeof(struct job *)];
};

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t nonempty = PTHREAD_COND_INITIALIZER;
static struct job *head;

static void *producer(void *arg)
{
	(void)arg;
	for (;;) {
		struct job *j = malloc(sizeof *j);
		if (!j) {
			fputs("producer: out of memory\n", stderr);
			exit(1);
		}
		pthread_mutex_lock(&m);
		j->next = head;        /* no bound: the producer never waits */
		head = j;
		pthread_cond_signal(&nonempty);
		pthread_mutex_unlock(&m);
		usleep(2000);          /* 500 jobs a second */
	}
	return NULL;
}

static void *consumer(void *arg)
{
	(void)arg;
	for (;;) {
		pthread_mutex_lock(&m);
		while (!head)
			pthread_cond_wait(&nonempty, &m);
		struct job *j = head;
		head = j->next;
		pthread_mutex_unlock(&m);
		free(j);
		usleep(20000);         /* 50 jobs a second */
	}
	return NULL;
}

int main(void)
{
	pthread_t p, c;
	pthread_create(&c, NULL, consumer, NULL);
	pthread_create(&p, NULL, producer, NULL);
	pthread_join(p, NULL);
	pthread_join(c, NULL);
	return 0;
}
