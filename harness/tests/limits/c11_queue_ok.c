/* expect: pass tsan -- a one-slot queue of C11 threads: mtx_t, cnd_t, thrd_create; correct (clang 14 TSan without shim_threads.c: "data race", it sees none of glibc's C11 calls) */
#include <stdio.h>
#include <threads.h>

static mtx_t lock;
static cnd_t changed;
static int slot, full;

static int producer(void *arg)
{
	(void)arg;
	for (int i = 1; i <= 1000; i++) {
		mtx_lock(&lock);
		while (full)
			cnd_wait(&changed, &lock);
		slot = i;
		full = 1;
		cnd_broadcast(&changed);
		mtx_unlock(&lock);
	}
	return 0;
}

int main(void)
{
	thrd_t t;
	long sum = 0;
	mtx_init(&lock, mtx_plain);
	cnd_init(&changed);
	if (thrd_create(&t, producer, NULL) != thrd_success)
		return 1;
	for (int i = 0; i < 1000; i++) {
		mtx_lock(&lock);
		while (!full)
			cnd_wait(&changed, &lock);
		sum += slot;
		full = 0;
		cnd_signal(&changed);
		mtx_unlock(&lock);
	}
	thrd_join(t, NULL);
	printf("%ld\n", sum);
	cnd_destroy(&changed);
	mtx_destroy(&lock);
	return sum != 500500;
}
