/* service.h: a job service that must shut down gracefully on SIGTERM (the interface the tests call). */
#ifndef SERVICE_H
#define SERVICE_H

#include <pthread.h>
#include <stdbool.h>

enum { SERVICE_MAX_WORKERS = 8, SERVICE_QUEUE_CAP = 64 };

/* What a worker does with one job. */
typedef void (*job_fn)(int job);

struct service {
	pthread_mutex_t lock;       /* guards everything below */
	pthread_cond_t changed;     /* broadcast on every change of the fields below */
	int jobs[SERVICE_QUEUE_CAP];    /* ring buffer of accepted jobs not yet started */
	int head, count;
	job_fn run;
	int nworkers;
	pthread_t workers[SERVICE_MAX_WORKERS];
	/* There for you to use, if your fix needs them: */
	bool stopping;              /* shutdown has begun: intake is closed */
	int alive;                  /* workers that have not finished yet */
	pthread_t signal_thread;
};

/*
 * Start nworkers (1..SERVICE_MAX_WORKERS) worker threads that run every accepted
 * job, and make SIGTERM shut the service down. Call it before the program
 * creates any other thread. Returns 0.
 */
int service_start(struct service *s, int nworkers, job_fn run);

/*
 * Offer one job. Returns 0 if the service accepted it (then it will run, exactly
 * once, even if SIGTERM comes next), or -1 if it refused it because shutdown has
 * begun. Waits while the queue is full.
 */
int service_submit(struct service *s, int job);

/*
 * The main thread's last call: wait for SIGTERM and for the shutdown it starts.
 * After SIGTERM no new job is accepted, every accepted job still runs, and the
 * workers stop. Returns 0 once every accepted job has run and every worker is
 * joined, or -1 if deadline_ms passed after SIGTERM with work still running (the
 * caller then exits anyway, rather than hang until it is killed).
 */
int service_wait(struct service *s, int deadline_ms);

#endif
