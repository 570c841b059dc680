/* expect: deadlock -- ABBA: each thread holds one lock and waits for the other's (forced by a barrier: hangs every run) */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t accounts = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t audit_log = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both_hold_one;

static void *transfer(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&accounts);
	pthread_barrier_wait(&both_hold_one);
	pthread_mutex_lock(&audit_log);
	pthread_mutex_unlock(&audit_log);
	pthread_mutex_unlock(&accounts);
	return NULL;
}

static void *audit(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&audit_log);
	pthread_barrier_wait(&both_hold_one);
	pthread_mutex_lock(&accounts);
	pthread_mutex_unlock(&accounts);
	pthread_mutex_unlock(&audit_log);
	return NULL;
}

int main(void)
{
	pthread_t a, b;
	pthread_barrier_init(&both_hold_one, NULL, 2);
	pthread_create(&a, NULL, transfer, NULL);
	pthread_create(&b, NULL, audit, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	puts("done");
	return 0;
}
