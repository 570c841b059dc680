/* wrong: ring buffer; push asks queue_len() whether the queue is full and, if so, takes the lock and waits on not_full. Wrong because the check and the wait are not under one lock hold: between queue_len() returning capacity and pthread_cond_wait, the writer can pop every request (its signals find nobody waiting) and then block on an empty queue; the reader then sleeps on not_full forever and both threads hang. Also two readers can both see room and overfill the ring. The stalled-writer test never opens that window, so it passes. Written by an outside author; no plain run shows it every time, the schedules gate forces its window (class 6). */
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
	while (queue_len(q) >= q->capacity) {   /* full: wait for the writer */
		pthread_mutex_lock(&q->lock);
		pthread_cond_wait(&q->not_full, &q->lock);
		pthread_mutex_unlock(&q->lock);
	}
	pthread_mutex_lock(&q->lock);
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
