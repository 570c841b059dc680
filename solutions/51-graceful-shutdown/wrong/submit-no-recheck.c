/* wrong: service_submit checks stopping, then waits for room in a full queue and enqueues without checking again: a client asleep on the full queue at SIGTERM is never refused */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>

#include "log.h"
#include "service.h"

/* SIGTERM arrives here as an ordinary event: we may lock, log and broadcast. */
static void *signal_main(void *arg)
{
	struct service *s = arg;
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	while (sigwait(&set, &sig) != 0)
		;
	log_msg("service: got SIGTERM, shutting down");
	pthread_mutex_lock(&s->lock);
	s->stopping = true;                     /* intake closed */
	pthread_cond_broadcast(&s->changed);
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

/* Caller holds s->lock. */
static int pop(struct service *s)
{
	int job = s->jobs[s->head];
	s->head = (s->head + 1) % SERVICE_QUEUE_CAP;
	s->count--;
	pthread_cond_broadcast(&s->changed);    /* room for a waiting submitter */
	return job;
}

static void *worker(void *arg)
{
	struct service *s = arg;

	for (;;) {
		pthread_mutex_lock(&s->lock);
		while (s->count == 0 && !s->stopping)
			pthread_cond_wait(&s->changed, &s->lock);
		if (s->count == 0) {            /* stopping, and nothing left to drain */
			s->alive--;
			pthread_cond_broadcast(&s->changed);
			pthread_mutex_unlock(&s->lock);
			return NULL;
		}
		int job = pop(s);
		pthread_mutex_unlock(&s->lock);
		s->run(job);
	}
}

int service_start(struct service *s, int nworkers, job_fn run)
{
	pthread_condattr_t ca;
	sigset_t set;

	pthread_mutex_init(&s->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);   /* deadlines immune to clock changes */
	pthread_cond_init(&s->changed, &ca);
	pthread_condattr_destroy(&ca);
	s->head = s->count = 0;
	s->run = run;
	s->nworkers = nworkers;
	s->stopping = false;
	s->alive = nworkers;

	/* Before any thread exists: every thread created from here on inherits the mask. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);

	if (pthread_create(&s->signal_thread, NULL, signal_main, s) != 0)
		abort();
	for (int i = 0; i < nworkers; i++)
		if (pthread_create(&s->workers[i], NULL, worker, s) != 0)
			abort();
	return 0;
}

int service_submit(struct service *s, int job)
{
	pthread_mutex_lock(&s->lock);
	if (s->stopping) {
		pthread_mutex_unlock(&s->lock);
		return -1;                      /* shutdown has begun */
	}
	while (s->count == SERVICE_QUEUE_CAP)
		pthread_cond_wait(&s->changed, &s->lock);
	s->jobs[(s->head + s->count) % SERVICE_QUEUE_CAP] = job;
	s->count++;
	pthread_cond_broadcast(&s->changed);    /* wake a worker */
	pthread_mutex_unlock(&s->lock);
	return 0;
}

int service_wait(struct service *s, int deadline_ms)
{
	struct timespec end;
	int rc = 0, left;

	pthread_mutex_lock(&s->lock);
	while (!s->stopping)
		pthread_cond_wait(&s->changed, &s->lock);

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += deadline_ms / 1000;
	end.tv_nsec += (long)(deadline_ms % 1000) * 1000000L;
	if (end.tv_nsec >= 1000000000L) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000L;
	}
	while (s->alive > 0)
		if (pthread_cond_timedwait(&s->changed, &s->lock, &end) == ETIMEDOUT && s->alive > 0) {
			rc = -1;
			break;
		}
	left = s->alive;
	pthread_mutex_unlock(&s->lock);

	if (rc != 0) {
		log_msg("service: %d worker(s) still busy after %d ms, giving up", left, deadline_ms);
		/* Let go of the workers: the finished ones are reclaimed, the stuck one dies with us. */
		for (int i = 0; i < s->nworkers; i++)
			pthread_detach(s->workers[i]);
		pthread_join(s->signal_thread, NULL);   /* it has done its job, or is about to */
		return -1;
	}
	for (int i = 0; i < s->nworkers; i++)
		pthread_join(s->workers[i], NULL);
	pthread_join(s->signal_thread, NULL);
	log_msg("service: drained and stopped");
	return 0;
}
