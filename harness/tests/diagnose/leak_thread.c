/* expect: leak -- a thread that ends but is never joined nor detached */
#include <dirent.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>

static void *logger(void *arg)
{
	(void)arg;
	puts("log flushed");
	return NULL;
}

/* Threads of this process that still exist (main included). */
static int live_threads(void)
{
	int n = 0;
	DIR *d = opendir("/proc/self/task");
	for (struct dirent *e; d && (e = readdir(d));)
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, logger, NULL);
	/* Wait until the thread has really ended, so the leak is the same every run: never joined. */
	while (live_threads() > 1)
		sched_yield();
	return 0;
}
