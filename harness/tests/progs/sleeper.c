/* sleeper.c: main joins a thread that sleeps, then sleeps itself; or, with "alarm", waits on a semaphore its SIGALRM handler posts: slow, never hung (blocked.c). */
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static sem_t rang;

static void on_alarm(int sig)
{
	(void)sig;
	sem_post(&rang); /* async-signal-safe */
}

static void *nap(void *arg)
{
	(void)arg;
	usleep(700 * 1000);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "alarm") == 0) {
		sem_init(&rang, 0, 0);
		signal(SIGALRM, on_alarm);
		alarm(1);
		while (sem_wait(&rang) != 0)
			;
		return 0;
	}
	pthread_t t;
	pthread_create(&t, NULL, nap, NULL);
	pthread_join(t, NULL);
	usleep(700 * 1000);
	return 0;
}
