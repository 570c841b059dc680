/* wrong: the linked list bounded by a not_full condition variable, but a failed malloc in queue_push returns quietly so that the service "stays up": that request never reaches the writer, which sees N-1 followed by N+1 */
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
	pthread_cond_t not_full;   /* signalled when the writer takes one */
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
	pthread_cond_init(&q->not_full, NULL);
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
	pthread_cond_destroy(&q->not_full);
	pthread_cond_destroy(&q->not_empty);
	pthread_mutex_destroy(&q->lock);
	free(q);
}

void queue_push(struct queue *q, const struct request *r)
{
	struct node *n = malloc(sizeof *n);
	if (n == NULL)
		return;         /* out of memory: skip this one rather than kill the process */
	n->next = NULL;
	n->req = *r;

	pthread_mutex_lock(&q->lock);
	while (q->len >= q->capacity)
		pthread_cond_wait(&q->not_full, &q->lock);
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
	pthread_cond_signal(&q->not_full);
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
