/* wrong: if instead of while around the not_full wait: a spurious wakeup on a full queue writes over the oldest request (len becomes capacity + 1). */
#include <pthread.h>
#include <stdlib.h>

#include "queue.h"

struct queue {
	pthread_mutex_t lock;      /* guards everything below */
	pthread_cond_t not_empty;  /* signalled when a request arrives */
	pthread_cond_t not_full;   /* signalled when the writer takes one */
	struct request *slots;     /* capacity slots, allocated once */
	size_t head;               /* index of the oldest request */
	size_t len;
	size_t capacity;
};

struct queue *queue_new(size_t capacity)
{
	struct queue *q = calloc(1, sizeof *q);
	if (q == NULL)
		abort();
	q->slots = calloc(capacity ? capacity : 1, sizeof *q->slots);
	if (q->slots == NULL)
		abort();
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->not_empty, NULL);
	pthread_cond_init(&q->not_full, NULL);
	q->capacity = capacity;
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

void queue_push(struct queue *q, const struct request *r)
{
	pthread_mutex_lock(&q->lock);
	if (q->len == q->capacity)          /* full: wait for the writer to take one */
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
