/* expect: none -- a counter guarded by a spinlock made of a C11 atomic_flag (Helgrind and DRD do not see the lock) */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

static atomic_flag busy = ATOMIC_FLAG_INIT;
static long counter;

static void *work(void *arg)
{
	(void)arg;
	for (int i = 0; i < 10000; i++) {
		while (atomic_flag_test_and_set_explicit(&busy, memory_order_acquire))
			;
		counter++;
		atomic_flag_clear_explicit(&busy, memory_order_release);
	}
	return NULL;
}

int main(void)
{
	pthread_t a, b;
	pthread_create(&a, NULL, work, NULL);
	pthread_create(&b, NULL, work, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	printf("counter = %ld\n", counter);
	return counter == 20000 ? 0 : 1;
}
