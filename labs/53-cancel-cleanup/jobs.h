/* jobs.h: a job queue and the worker threads that serve it (the interface the tests call). */
#ifndef JOBS_H
#define JOBS_H

#include <pthread.h>
#include <stdbool.h>

struct jobs;

/* What a worker does with a job; runs outside the queue's lock. */
typedef void (*jobs_run_fn)(int job, void *arg);

/* An empty queue whose workers hand each job to run(job, arg). NULL if out of memory. */
struct jobs *jobs_create(jobs_run_fn run, void *arg);

/* Free the queue. No worker may be running any more. */
void jobs_destroy(struct jobs *j);

/* Queue a job and wake a worker. False if the queue is full (64 jobs waiting). */
bool jobs_submit(struct jobs *j, int job);

/*
 * A worker thread's body: start it with pthread_create(&t, NULL, jobs_worker, j).
 * It waits for jobs and runs them, one at a time, until it is retired.
 */
void *jobs_worker(void *j);

/*
 * Stop one worker, to shrink the pool. The worker finishes the job it is
 * running, if any, and its thread ends; the caller then joins it. The queue
 * and the other workers go on as before.
 */
void jobs_retire(struct jobs *j, pthread_t worker);

#endif
