/* expect: leak -- a thread that ends but is never joined nor detached */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static atomic_int logger_tid;

static void *logger(void *arg)
{
	(void)arg;
	puts("log flushed");
	atomic_store(&logger_tid, gettid());
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, logger, NULL);
	/* Wait until the thread has really ended, so the leak is the same every run: ended, never joined. */
	while (!atomic_load(&logger_tid))
		sched_yield();
	char task[64];
	snprintf(task, sizeof task, "/proc/self/task/%d", atomic_load(&logger_tid));
	while (access(task, F_OK) == 0)
		sched_yield();
	return 0;
}
