/* alt: the linked list kept with capacity nodes made once on a free list; queue_push sleeps on has_free while the free list is empty. A node off both lists belongs to one thread, so the 64 KiB copies outside the lock are race-free; lists and len change only under the mutex. */
#include <pthread.h>
#include <stdlib.h>

#include "queue.h"

struct node {
	struct node *next;
	struct request req;
};

struct queue {
	pthread_mutex_t lock;      /* guards everything below */
	pthread_cond_t not_empty;  /* signalled when a request arrives */
	pthread_cond_t has_free;   /* signalled when a node goes back on the free list */
	struct node *head;         /* oldest request, taken first */
	struct node *tail;         /* newest request */
	struct node *free;         /* spare nodes: capacity of them in all */
	size_t len;
	size_t capacity;
};

struct queue *queue_new(size_t capacity)
{
	struct queue *q = calloc(1, sizeof *q);
	if (q == NULL)
		abort();
	for (size_t i = 0; i < capacity; i++) {
		struct node *n = malloc(sizeof *n);
		if (n == NULL)
			abort();
		n->next = q->free;
		q->free = n;
	}
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->not_empty, NULL);
	pthread_cond_init(&q->has_free, NULL);
	q->capacity = capacity;
	return q;
}

static void free_list(struct node *n)
{
	while (n != NULL) {
		struct node *next = n->next;
		free(n);
		n = next;
	}
}

void queue_free(struct queue *q)
{
	free_list(q->head);
	free_list(q->free);
	pthread_cond_destroy(&q->has_free);
	pthread_cond_destroy(&q->not_empty);
	pthread_mutex_destroy(&q->lock);
	free(q);
}

void queue_push(struct queue *q, const struct request *r)
{
	pthread_mutex_lock(&q->lock);
	while (q->free == NULL)            /* every node is in use: wait for the writer */
		pthread_cond_wait(&q->has_free, &q->lock);
	struct node *n = q->free;
	q->free = n->next;
	pthread_mutex_unlock(&q->lock);

	n->next = NULL;                    /* n is ours alone until linked */
	n->req = *r;

	pthread_mutex_lock(&q->lock);
	if (q->tail != NULL)
		q->tail->next = n;
	else
		q->head = n;
	q->tail = n;
	q->len++;
	pthread_cond_signal(&q->not_empty);
	pthread_mutex_unlock(&q->lock);
}

void queue_pop(struct queue *q, struct request *out)
{
	pthread_mutex_lock(&q->lock);
	while (q->len == 0)
		pthread_cond_wait(&q->not_empty, &q->lock);
	struct node *n = q->head;
	q->head = n->next;
	if (q->head == NULL)
		q->tail = NULL;
	q->len--;
	pthread_mutex_unlock(&q->lock);

	*out = n->req;                     /* n is ours alone until given back */

	pthread_mutex_lock(&q->lock);
	n->next = q->free;
	q->free = n;
	pthread_cond_signal(&q->has_free);
	pthread_mutex_unlock(&q->lock);
}

size_t queue_len(struct queue *q)
{
	pthread_mutex_lock(&q->lock);
	size_t len = q->len;
	pthread_mutex_unlock(&q->lock);
	return len;
}
