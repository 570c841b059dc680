/* wrong: the SIGTERM handler only sets a flag, which the workers and the intake read without taking the lock the handler cannot take */
#include <signal.h>

#include "service.h"

/* The textbook handler: set a flag and return. Nothing unsafe in here. */
static volatile sig_atomic_t stop_requested;

static void on_sigterm(int sig)
{
	(void)sig;
	stop_requested = 1;
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
		while (s->count == 0 && !stop_requested)
			pthread_cond_wait(&s->changed, &s->lock);
		if (s->count == 0)
			break;          /* stop requested and drained */
		int job = pop(s);
		pthread_mutex_unlock(&s->lock);
		s->run(job);
		pthread_mutex_lock(&s->lock);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

int service_start(struct service *s, int nworkers, job_fn run)
{
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->changed, NULL);
	s->head = s->count = 0;
	s->run = run;
	s->nworkers = nworkers;
	s->stopping = false;
	s->alive = nworkers;

	struct sigaction sa = { .sa_handler = on_sigterm };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);

	for (int i = 0; i < nworkers; i++)
		pthread_create(&s->workers[i], NULL, worker, s);
	return 0;
}

int service_submit(struct service *s, int job)
{
	if (stop_requested)
		return -1;      /* intake closed */
	pthread_mutex_lock(&s->lock);
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
	(void)deadline_ms;
	for (int i = 0; i < s->nworkers; i++)
		pthread_join(s->workers[i], NULL);
	return 0;
}
