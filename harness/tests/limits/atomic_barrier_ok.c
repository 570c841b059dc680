/* expect: pass tsan helgrind drd; notes helgrind drd -- a one-shot barrier made of C11 atomics publishing plain data: correct (Helgrind and DRD: "Possible data race" on the atomics) */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>

enum { THREADS = 4 };
static atomic_int waiting = THREADS;
static atomic_int released;
static int slot[THREADS];

/* The last to arrive opens the barrier; the others wait for it with acquire loads. */
static void barrier_wait(void)
{
	if (atomic_fetch_sub_explicit(&waiting, 1, memory_order_acq_rel) == 1)
		atomic_store_explicit(&released, 1, memory_order_release);
	else
		while (!atomic_load_explicit(&released, memory_order_acquire))
			sched_yield();
}

static void *work(void *arg)
{
	int me = (int)(long)arg, sum = 0;
	slot[me] = me + 1;              /* phase 1: each writes its own slot */
	barrier_wait();
	for (int i = 0; i < THREADS; i++) /* phase 2: each reads every slot */
		sum += slot[i];
	return (void *)(long)sum;
}

int main(void)
{
	pthread_t t[THREADS];
	int bad = 0;
	for (long i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, work, (void *)i);
	for (int i = 0; i < THREADS; i++) {
		void *sum;
		pthread_join(t[i], &sum);
		bad |= (long)sum != THREADS * (THREADS + 1) / 2;
	}
	printf("%s\n", bad ? "a thread read a slot too early" : "every thread saw every slot");
	return bad;
}
