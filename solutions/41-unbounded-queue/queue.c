/* queue.c (solution): a bounded ring buffer; the reader waits while it is full. */
#include <pthread.h>
#include <stdlib.h>

#include "queue.h"

struct queue {
	pthread_mutex_t lock;      /* guards everything below */
	pthread_cond_t not_empty;  /* signalled when a request arrives */
	pthread_cond_t not_full;   /* signalled when a request leaves */
	struct request *slots;     /* capacity requests, allocated once */
	size_t capacity;
	size_t head;               /* slot of the oldest request */
	size_t len;
};

struct queue *queue_new(size_t capacity)
{
	struct queue *q = calloc(1, sizeof *q);
	if (q == NULL)
		abort();
	/* All the memory the queue will ever use, taken up front: the spike cannot grow it. */
	q->slots = calloc(capacity, sizeof *q->slots);
	if (q->slots == NULL)
		abort();
	q->capacity = capacity;
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->not_empty, NULL);
	pthread_cond_init(&q->not_full, NULL);
	return q;
}

void queue_free(struct queue *q)
{
	pthread_cond_destroy(&q->not_full);
	pthread_cond_destroy(&q->not_empty);
	pthread_mutex_destroy(&q->lock);
	free(q->slots);
	free(q);
}

/* Backpressure: a full queue makes the reader sleep until the writer takes one. */
void queue_push(struct queue *q, const struct request *r)
{
	pthread_mutex_lock(&q->lock);
	while (q->len == q->capacity)   /* a loop: waking up does not promise room */
		pthread_cond_wait(&q->not_full, &q->lock);
	q->slots[(q->head + q->len) % q->capacity] = *r;
	q->len++;
	pthread_cond_signal(&q->not_empty);
	pthread_mutex_unlock(&q->lock);
}

void queue_pop(struct queue *q, struct request *out)
{
	pthread_mutex_lock(&q->lock);
	while (q->len == 0)
		pthread_cond_wait(&q->not_empty, &q->lock);
	*out = q->slots[q->head];
	q->head = (q->head + 1) % q->capacity;
	q->len--;
	pthread_cond_signal(&q->not_full);
	pthread_mutex_unlock(&q->lock);
}

size_t queue_len(struct queue *q)
{
	pthread_mutex_lock(&q->lock);
	size_t len = q->len;
	pthread_mutex_unlock(&q->lock);
	return len;
}
