/* expect: none -- main waits on a semaphore that its own SIGALRM handler posts a second later: every thread blocked, but a timer will wake it */
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static sem_t rang;

static void on_alarm(int sig)
{
	(void)sig;
	sem_post(&rang);   /* async-signal-safe */
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	sem_init(&rang, 0, 0);
	sigaction(SIGALRM, &sa, NULL);
	alarm(1);
	while (sem_wait(&rang) != 0)
		;          /* interrupted by the signal itself: wait again */
	puts("woken by the alarm");
	return 0;
}
