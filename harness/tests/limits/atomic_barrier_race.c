/* expect: fail tsan helgrind drd -- atomic_barrier_ok.c whose waiters do not wait: a plain slot read races with its write */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>

enum { THREADS = 4 };
static atomic_int waiting = THREADS;
static atomic_int released;
static int slot[THREADS];

/* The bug: only the last to arrive opens it, and nobody waits for the opening. */
static void barrier_wait(void)
{
	if (atomic_fetch_sub_explicit(&waiting, 1, memory_order_acq_rel) == 1)
		atomic_store_explicit(&released, 1, memory_order_release);
}

static void *work(void *arg)
{
	int me = (int)(long)arg, sum = 0;
	slot[me] = me + 1;
	barrier_wait();
	for (int i = 0; i < THREADS; i++)
		sum += slot[i];
	return (void *)(long)sum;
}

int main(void)
{
	pthread_t t[THREADS];
	for (long i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, work, (void *)i);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	printf("done\n");
	return 0;
}
