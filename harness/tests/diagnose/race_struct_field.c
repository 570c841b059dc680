/* expect: race -- two threads write the same field of a shared struct; only one of them takes the lock */
#include <pthread.h>
#include <stdio.h>

struct stats {
	pthread_mutex_t lock;
	long requests;
	char pad[64];
	long last_client;
};

static struct stats st = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void *careful(void *arg)
{
	for (int i = 0; i < 1000; i++) {
		pthread_mutex_lock(&st.lock);
		st.requests++;
		st.last_client = (long)arg;
		pthread_mutex_unlock(&st.lock);
	}
	return NULL;
}

static void *careless(void *arg)
{
	for (int i = 0; i < 1000; i++)
		st.last_client = (long)arg;  /* forgot the lock */
	return NULL;
}

int main(void)
{
	pthread_t a, b;
	pthread_create(&a, NULL, careful, (void *)1L);
	pthread_create(&b, NULL, careless, (void *)2L);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	printf("%ld requests, last client %ld\n", st.requests, st.last_client);
	return 0;
}
