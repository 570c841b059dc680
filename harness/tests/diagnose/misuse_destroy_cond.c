/* expect: misuse -- a condition variable destroyed while a thread still waits on it (with a timeout, so the run ends) */
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready;
static int waiting;

static void *waiter(void *arg)
{
	(void)arg;
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += 300 * 1000 * 1000;
	if (until.tv_nsec >= 1000000000) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&m);
	waiting = 1;
	pthread_cond_timedwait(&ready, &m, &until);
	pthread_mutex_unlock(&m);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_cond_init(&ready, NULL);
	pthread_create(&t, NULL, waiter, NULL);
	for (;;) {
		pthread_mutex_lock(&m);
		int w = waiting;
		pthread_mutex_unlock(&m);
		if (w)
			break;
		usleep(1000);
	}
	pthread_mutex_lock(&m);           /* the waiter sits in the wait now: it released m to get there */
	pthread_mutex_unlock(&m);
	pthread_cond_destroy(&ready);     /* still in use */
	pthread_join(t, NULL);
	puts("done");
	return 0;
}
