/* expect: deadlock, misuse -- a helper locks the mutex its caller already holds (a default mutex: it waits for itself) */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static int hits;

static void count_hit(void)
{
	pthread_mutex_lock(&cache_lock);   /* the caller holds it already */
	hits++;
	pthread_mutex_unlock(&cache_lock);
}

static void *lookup(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&cache_lock);
	count_hit();
	pthread_mutex_unlock(&cache_lock);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, lookup, NULL);
	pthread_join(t, NULL);
	printf("hits %d\n", hits);
	return 0;
}
