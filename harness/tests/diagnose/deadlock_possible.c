/* expect: deadlock -- ABBA that does not hang here: the threads run one after the other but lock in opposite orders */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t cache = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t disk = PTHREAD_MUTEX_INITIALIZER;

static void *flush(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&cache);
	pthread_mutex_lock(&disk);
	pthread_mutex_unlock(&disk);
	pthread_mutex_unlock(&cache);
	return NULL;
}

static void *load(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&disk);
	pthread_mutex_lock(&cache);
	pthread_mutex_unlock(&cache);
	pthread_mutex_unlock(&disk);
	return NULL;
}

int main(void)
{
	pthread_t a, b;
	pthread_create(&a, NULL, flush, NULL);
	pthread_join(a, NULL);  /* the second thread starts only when the first is done */
	pthread_create(&b, NULL, load, NULL);
	pthread_join(b, NULL);
	puts("done (this time)");
	return 0;
}
