/* expect: misuse -- a worker returns early on a bad item and leaves its mutex locked */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static int processed;

static void *worker(void *arg)
{
	int item = (int)(long)arg;
	pthread_mutex_lock(&stats_lock);
	if (item < 0)
		return NULL;               /* the early return forgets the unlock */
	processed++;
	pthread_mutex_unlock(&stats_lock);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, (void *)-1L);
	pthread_join(t, NULL);
	printf("processed %d\n", processed);
	return 0;
}
