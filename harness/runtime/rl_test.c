/* rl_test.c: thread helpers for the labs' Check suites (see racelab_test.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "racelab_test.h"

void rl_spawn(pthread_t *t, void *(*fn)(void *), void *arg)
{
	int rc = pthread_create(t, NULL, fn, arg);
	ck_assert_msg(rc == 0, "pthread_create failed: %s", strerror(rc));
}

void *rl_join(pthread_t t)
{
	void *ret = NULL;
	int rc = pthread_join(t, &ret);
	ck_assert_msg(rc == 0, "pthread_join failed: %s", strerror(rc));
	return ret;
}

void rl_parallel(int n, void *(*fn)(void *), void *args, size_t stride)
{
	pthread_t *t = calloc((size_t)n, sizeof *t);
	ck_assert_ptr_nonnull(t);
	for (int i = 0; i < n; i++)
		rl_spawn(&t[i], fn, (char *)args + (size_t)i * stride);
	for (int i = 0; i < n; i++)
		rl_join(t[i]);
	free(t);
}

void rl_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}
