/* queue.c: the reader-to-writer queue. The one file you edit in this lab. */
#include <pthread.h>
#include <stdlib.h>

#include "queue.h"

/* Each waiting request lives in its own node, so the queue can hold any number. */
struct node {
	struct node *next;
	struct request req;
};

struct queue {
	pthread_mutex_t lock;      /* guards everything below */
	pthread_cond_t not_empty;  /* signalled when a request arrives */
	struct node *head;         /* oldest request, taken first */
	struct node *tail;         /* newest request */
	size_t len;
	size_t capacity;
};

struct queue *queue_new(size_t capacity)
{
	struct queue *q = calloc(1, sizeof *q);
	if (q == NULL)
		abort();
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->not_empty, NULL);
	q->capacity = capacity;
	return q;
}

void queue_free(struct queue *q)
{
	while (q->head != NULL) {
		struct node *n = q->head;
		q->head = n->next;
		free(n);
	}
	pthread_cond_destroy(&q->not_empty);
	pthread_mutex_destroy(&q->lock);
	free(q);
}

/* The reader never waits here: whatever the writer's pace, the request is queued. */
void queue_push(struct queue *q, const struct request *r)
{
	struct node *n = malloc(sizeof *n);
	if (n == NULL)
		abort();        /* out of memory: the process dies with every queued request */
	n->next = NULL;
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
	while (q->len == 0)     /* a loop: a wakeup does not promise a request */
		pthread_cond_wait(&q->not_empty, &q->lock);
	struct node *n = q->head;
	q->head = n->next;
	if (q->head == NULL)
		q->tail = NULL;
	q->len--;
	pthread_mutex_unlock(&q->lock);

	*out = n->req;
	free(n);
}

size_t queue_len(struct queue *q)
{
	pthread_mutex_lock(&q->lock);
	size_t len = q->len;
	pthread_mutex_unlock(&q->lock);
	return len;
}
