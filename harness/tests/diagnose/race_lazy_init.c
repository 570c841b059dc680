/* expect: race -- double-checked initialisation with a plain pointer: the first check reads it with no lock while another thread writes it */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct config {
	int workers;
};

static struct config *config;
static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;

static struct config *get_config(void)
{
	if (!config) {                       /* unlocked read */
		pthread_mutex_lock(&init_lock);
		if (!config) {
			struct config *c = malloc(sizeof *c);
			c->workers = 4;
			config = c;                  /* locked write: the unlocked read above races with it */
		}
		pthread_mutex_unlock(&init_lock);
	}
	return config;
}

static void *worker(void *arg)
{
	(void)arg;
	return (void *)(long)get_config()->workers;
}

int main(void)
{
	pthread_t t[4];
	long sum = 0;
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	for (int i = 0; i < 4; i++) {
		void *v;
		pthread_join(t[i], &v);
		sum += (long)v;
	}
	printf("sum %ld\n", sum);
	free(config);
	return 0;
}
