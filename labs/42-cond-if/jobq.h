/* jobq.h: the job queue a pool of workers takes from (do not edit). */
#ifndef JOBQ_H
#define JOBQ_H

#include <stdbool.h>

#define JOBQ_CAP 256    /* jobs that may wait at once */

struct jobq;

struct jobq *jobq_new(void);
void jobq_free(struct jobq *q);

/* Queue job (a positive id) and wake a worker. Returns false when the queue is full. */
bool jobq_put(struct jobq *q, int job);

/* Take the oldest job; while there is none, sleep until one is put. */
int jobq_take(struct jobq *q);

#endif
