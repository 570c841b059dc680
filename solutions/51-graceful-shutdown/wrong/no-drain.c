/* wrong: sigwait in its own thread, but on SIGTERM the workers stop at once instead of draining the queue */
#include <errno.h>
#include <signal.h>
#include <time.h>

#include "log.h"
#include "service.h"

static void term_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
}

/* Close the intake and wake everyone who waits on the service. */
static void begin_shutdown(struct service *s)
{
	pthread_mutex_lock(&s->lock);
	s->stopping = true;
	pthread_cond_broadcast(&s->changed);
	pthread_mutex_unlock(&s->lock);
}

/*
 * SIGTERM is blocked in every thread, so it waits, pending, until this thread
 * takes it with sigwait. What follows runs as ordinary code, not in a signal
 * handler: it may lock, log and allocate like any other thread.
 */
static void *signal_waiter(void *arg)
{
	struct service *s = arg;
	sigset_t term;
	int sig;

	term_set(&term);
	while (sigwait(&term, &sig) != 0)
		;
	log_msg("service: SIGTERM, closing intake and finishing accepted jobs");
	begin_shutdown(s);
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

	pthread_mutex_lock(&s->lock);
	for (;;) {
		while (s->count == 0 && !s->stopping)
			pthread_cond_wait(&s->changed, &s->lock);
		if (s->stopping)
			break;          /* shutdown: stop now, quicker than draining */
		int job = pop(s);
		pthread_mutex_unlock(&s->lock);
		s->run(job);
		pthread_mutex_lock(&s->lock);
	}
	s->alive--;
	pthread_cond_broadcast(&s->changed);    /* service_wait counts us out */
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

int service_start(struct service *s, int nworkers, job_fn run)
{
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);   /* deadlines ignore clock jumps */
	pthread_cond_init(&s->changed, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&s->lock, NULL);
	s->head = s->count = 0;
	s->run = run;
	s->nworkers = nworkers;
	s->stopping = false;
	s->alive = nworkers;

	/* Block SIGTERM before any thread exists: every thread created from here
	 * on inherits the mask, so no thread is ever interrupted by it. */
	sigset_t term;
	term_set(&term);
	pthread_sigmask(SIG_BLOCK, &term, NULL);

	for (int i = 0; i < nworkers; i++)
		pthread_create(&s->workers[i], NULL, worker, s);
	pthread_create(&s->signal_thread, NULL, signal_waiter, s);
	return 0;
}

int service_submit(struct service *s, int job)
{
	pthread_mutex_lock(&s->lock);
	while (s->count == SERVICE_QUEUE_CAP && !s->stopping)
		pthread_cond_wait(&s->changed, &s->lock);
	if (s->stopping) {
		pthread_mutex_unlock(&s->lock);
		return -1;      /* intake is closed: the client must go elsewhere */
	}
	s->jobs[(s->head + s->count) % SERVICE_QUEUE_CAP] = job;
	s->count++;
	pthread_cond_broadcast(&s->changed);    /* wake a worker */
	pthread_mutex_unlock(&s->lock);
	return 0;
}

int service_wait(struct service *s, int deadline_ms)
{
	pthread_mutex_lock(&s->lock);
	while (!s->stopping)
		pthread_cond_wait(&s->changed, &s->lock);

	/* Shutdown has begun: give the workers until the deadline to drain. */
	struct timespec end;
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += deadline_ms / 1000;
	end.tv_nsec += (deadline_ms % 1000) * 1000000L;
	if (end.tv_nsec >= 1000000000L) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000L;
	}
	while (s->alive > 0)
		if (pthread_cond_timedwait(&s->changed, &s->lock, &end) == ETIMEDOUT)
			break;
	int left = s->alive;
	pthread_mutex_unlock(&s->lock);

	pthread_join(s->signal_thread, NULL);
	if (left > 0) {
		/* Joining a stuck worker would hang until SIGKILL. Give up on the
		 * workers instead (detach: nobody will wait for them) and let the
		 * caller exit, saying that some work did not finish. */
		log_msg("service: deadline passed, %d workers still busy", left);
		for (int i = 0; i < s->nworkers; i++)
			pthread_detach(s->workers[i]);
		return -1;
	}
	for (int i = 0; i < s->nworkers; i++)
		pthread_join(s->workers[i], NULL);
	/* The lock and condition stay: a late client may still call
	 * service_submit, and must get -1, not a destroyed mutex. */
	return 0;
}
