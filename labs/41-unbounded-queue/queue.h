/* queue.h: the hand-off between the reader threads and the writer thread (do not edit). */
#ifndef QUEUE_H
#define QUEUE_H

#include <stddef.h>

/* One request as the reader took it off the network: 64 KiB with its header. */
#define REQUEST_BODY (64 * 1024 - 16)

struct request {
	long id;                   /* the reader numbers requests 0, 1, 2, ... */
	size_t len;                /* bytes of body in use */
	char body[REQUEST_BODY];
};

struct queue;

/* A queue where at most `capacity` requests may wait. */
struct queue *queue_new(size_t capacity);
void queue_free(struct queue *q);

/*
 * Copy *r to the back of the queue. While `capacity` requests are already
 * waiting, wait for the writer to take one: the reader must not run ahead of
 * the writer by more than the queue holds. Several readers may push at once.
 */
void queue_push(struct queue *q, const struct request *r);

/* Copy the oldest request into *out and remove it; wait while the queue is empty. */
void queue_pop(struct queue *q, struct request *out);

/* How many requests are waiting right now (the depth you would graph). */
size_t queue_len(struct queue *q);

#endif
