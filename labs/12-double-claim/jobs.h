/* jobs.h: a table of jobs that many workers claim from (the interface the tests call). */
#ifndef JOBS_H
#define JOBS_H

#include <stdbool.h>

struct jobs;

/*
 * A worker's filter: true if this worker wants job `id`. It plays the part of
 * the WHERE clause in a real job table, and like a real query it can be slow:
 * other workers keep running while one worker is still deciding.
 */
typedef bool (*jobs_want_fn)(int id, void *worker);

/* A table of n jobs, ids 0 .. n-1, all pending. NULL if out of memory. */
struct jobs *jobs_create(int n);
void jobs_destroy(struct jobs *t);

/*
 * Claim one pending job that this worker wants and return its id: from now on
 * the caller owns it. Return -1 when no pending job is left that it wants.
 * Called by many workers at once. Every job must go to exactly one worker, and
 * a worker must never wait for another one: it skips jobs that are taken.
 */
int jobs_claim_next(struct jobs *t, jobs_want_fn want, void *worker);

#endif
