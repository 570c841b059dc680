/* wrong: ring buffer whose depth is an _Atomic counter so queue_len needs no lock; head/tail move under the mutex but the counter is bumped, and the condvar signalled, after unlocking. Wrong because the (tail, count) pair is updated in two steps: (1) lost wakeup: the writer sees count == 0 under the lock, the reader's fetch_add and signal land before the writer is inside pthread_cond_wait, so the writer sleeps with a request queued; on the last push nothing wakes it and the suite hangs (same on the full side: the reader can sleep on a queue the writer has just emptied); (2) with two readers, one has advanced tail but not count, the other sees room and writes over the oldest unread slot. Class 8. Written by an outside author; no plain run shows it every time, the schedules gate forces its window (class 6). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "queue.h"

struct queue {
	pthread_mutex_t lock;      /* guards slots, head, tail */
	pthread_cond_t not_empty;
	pthread_cond_t not_full;
	struct request *slots;
	size_t head, tail;
	atomic_size_t count;       /* depth, readable without the lock */
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
	atomic_init(&q->count, 0);
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
	while (atomic_load(&q->count) >= q->capacity)
		pthread_cond_wait(&q->not_full, &q->lock);
	q->slots[q->tail] = *r;
	q->tail = (q->tail + 1) % q->capacity;
	pthread_mutex_unlock(&q->lock);

	atomic_fetch_add(&q->count, 1);     /* publish outside the critical section */
	pthread_cond_signal(&q->not_empty);
}

void queue_pop(struct queue *q, struct request *out)
{
	pthread_mutex_lock(&q->lock);
	while (atomic_load(&q->count) == 0)
		pthread_cond_wait(&q->not_empty, &q->lock);
	*out = q->slots[q->head];
	q->head = (q->head + 1) % q->capacity;
	pthread_mutex_unlock(&q->lock);

	atomic_fetch_sub(&q->count, 1);
	pthread_cond_signal(&q->not_full);
}

size_t queue_len(struct queue *q)
{
	return atomic_load(&q->count);
}
