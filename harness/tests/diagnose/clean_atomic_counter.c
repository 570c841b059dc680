/* expect: none -- a C11 atomic counter and an acquire/release flag (Helgrind and DRD may flag it: they do not understand C11 atomics) */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>

static atomic_long counter;
static int result;
static atomic_int published;

static void *work(void *arg)
{
	(void)arg;
	for (int i = 0; i < 100000; i++)
		atomic_fetch_add_explicit(&counter, 1, memory_order_relaxed);
	return NULL;
}

static void *publisher(void *arg)
{
	(void)arg;
	result = 42;
	atomic_store_explicit(&published, 1, memory_order_release);
	return NULL;
}

int main(void)
{
	pthread_t t[3];
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, work, NULL);
	pthread_create(&t[2], NULL, publisher, NULL);
	while (!atomic_load_explicit(&published, memory_order_acquire))
		sched_yield();
	printf("result = %d\n", result);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	printf("counter = %ld\n", atomic_load(&counter));
	return atomic_load(&counter) == 200000 ? 0 : 1;
}
