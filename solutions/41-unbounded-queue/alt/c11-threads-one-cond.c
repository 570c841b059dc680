/* alt: C11 <threads.h> mtx_t and a single cnd_t broadcast on every push and pop: each side re-checks its own predicate in a while loop, so whichever waiter must go on is among those woken. (clang 14's TSan does not intercept mtx_lock/cnd_wait: a false data race until the harness treats it as a detector limit.) */
#include <stdlib.h>
#include <threads.h>

#include "queue.h"

struct queue {
	mtx_t lock;                /* guards everything below */
	cnd_t changed;             /* broadcast whenever len changes */
	struct request *slots;
	size_t head;
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
	if (mtx_init(&q->lock, mtx_plain) != thrd_success ||
	    cnd_init(&q->changed) != thrd_success)
		abort();
	q->capacity = capacity;
	return q;
}

void queue_free(struct queue *q)
{
	cnd_destroy(&q->changed);
	mtx_destroy(&q->lock);
	free(q->slots);
	free(q);
}

void queue_push(struct queue *q, const struct request *r)
{
	mtx_lock(&q->lock);
	while (q->len >= q->capacity)
		cnd_wait(&q->changed, &q->lock);
	q->slots[(q->head + q->len) % q->capacity] = *r;
	q->len++;
	cnd_broadcast(&q->changed);
	mtx_unlock(&q->lock);
}

void queue_pop(struct queue *q, struct request *out)
{
	mtx_lock(&q->lock);
	while (q->len == 0)
		cnd_wait(&q->changed, &q->lock);
	*out = q->slots[q->head];
	q->head = (q->head + 1) % q->capacity;
	q->len--;
	cnd_broadcast(&q->changed);
	mtx_unlock(&q->lock);
}

size_t queue_len(struct queue *q)
{
	mtx_lock(&q->lock);
	size_t len = q->len;
	mtx_unlock(&q->lock);
	return len;
}
