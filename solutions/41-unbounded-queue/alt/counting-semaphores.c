/* alt: a ring with two counting semaphores (free slots, filled slots) and a mutex for the indices: sem_wait sleeps while the queue is full or empty (EINTR retried), a slot is reused only after the writer's sem_post gives it back, and the indices change under the mutex. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>

#include "queue.h"

struct queue {
	pthread_mutex_t lock;      /* guards head, tail, len */
	sem_t free_slots;          /* how many slots the reader may still fill */
	sem_t filled;              /* how many requests the writer may take */
	struct request *slots;
	size_t head, tail, len;
	size_t capacity;
};

static void sem_wait_nointr(sem_t *s)
{
	while (sem_wait(s) != 0)
		if (errno != EINTR)
			abort();
}

struct queue *queue_new(size_t capacity)
{
	if (capacity > SEM_VALUE_MAX)
		abort();
	struct queue *q = calloc(1, sizeof *q);
	if (q == NULL)
		abort();
	q->slots = calloc(capacity ? capacity : 1, sizeof *q->slots);
	if (q->slots == NULL)
		abort();
	pthread_mutex_init(&q->lock, NULL);
	if (sem_init(&q->free_slots, 0, (unsigned)capacity) != 0 ||
	    sem_init(&q->filled, 0, 0) != 0)
		abort();
	q->capacity = capacity;
	return q;
}

void queue_free(struct queue *q)
{
	sem_destroy(&q->filled);
	sem_destroy(&q->free_slots);
	pthread_mutex_destroy(&q->lock);
	free(q->slots);
	free(q);
}

void queue_push(struct queue *q, const struct request *r)
{
	sem_wait_nointr(&q->free_slots);      /* sleeps while the queue is full */
	pthread_mutex_lock(&q->lock);
	q->slots[q->tail] = *r;
	q->tail = (q->tail + 1) % q->capacity;
	q->len++;
	pthread_mutex_unlock(&q->lock);
	sem_post(&q->filled);
}

void queue_pop(struct queue *q, struct request *out)
{
	sem_wait_nointr(&q->filled);          /* sleeps while the queue is empty */
	pthread_mutex_lock(&q->lock);
	*out = q->slots[q->head];
	q->head = (q->head + 1) % q->capacity;
	q->len--;
	pthread_mutex_unlock(&q->lock);
	sem_post(&q->free_slots);
}

size_t queue_len(struct queue *q)
{
	pthread_mutex_lock(&q->lock);
	size_t len = q->len;
	pthread_mutex_unlock(&q->lock);
	return len;
}
