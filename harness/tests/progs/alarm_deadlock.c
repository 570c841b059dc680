/* alarm_deadlock.c: an ABBA deadlock whose own alarm(3) would kill it: the watchdog must name it first (blocked.c). */
#include <pthread.h>
#include <unistd.h>

static pthread_mutex_t left = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t right = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both_hold_one;

static void *take(void *first)
{
	pthread_mutex_t *a = first, *b = a == &left ? &right : &left;
	pthread_mutex_lock(a);
	pthread_barrier_wait(&both_hold_one);
	pthread_mutex_lock(b);
	return NULL;
}

int main(void)
{
	pthread_t t1, t2;
	alarm(3);
	pthread_barrier_init(&both_hold_one, NULL, 2);
	pthread_create(&t1, NULL, take, &left);
	pthread_create(&t2, NULL, take, &right);
	pthread_join(t1, NULL);
	return 0;
}
