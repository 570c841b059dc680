/* expect: misuse -- pthread_cond_wait called without holding its mutex */
#include <pthread.h>
#include <stdio.h>
#include <time.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;

int main(void)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 1;
	int rc = pthread_cond_timedwait(&c, &m, &until);  /* m is not locked */
	printf("rc %d\n", rc);
	return 0;
}
