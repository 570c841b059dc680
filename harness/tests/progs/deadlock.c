/* deadlock.c: two threads take two mutexes in opposite orders and hang (for the watchdog's tests). */
#include <pthread.h>
#include <semaphore.h>

static pthread_mutex_t left = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t right = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both_hold_one;

static void *take(void *first)
{
	pthread_mutex_t *a = first, *b = a == &left ? &right : &left;
	pthread_mutex_lock(a);
	pthread_barrier_wait(&both_hold_one); /* each holds its first lock before asking for the second */
	pthread_mutex_lock(b);
	return NULL;
}

int main(void)
{
	pthread_t t1, t2;
	pthread_barrier_init(&both_hold_one, NULL, 2);
	pthread_create(&t1, NULL, take, &left);
	pthread_create(&t2, NULL, take, &right);
	pthread_join(t1, NULL);
	return 0;
}
