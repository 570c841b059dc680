/* expect: none -- a worker fills a buffer and hands it over by writing one byte to a pipe the reader waits on */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static int fds[2];
static char message[64];

static void *producer(void *arg)
{
	(void)arg;
	snprintf(message, sizeof message, "hello from the producer");
	char go = 1;
	if (write(fds[1], &go, 1) != 1)
		return NULL;
	return NULL;
}

int main(void)
{
	pthread_t t;
	char go;
	if (pipe(fds) != 0)
		return 1;
	pthread_create(&t, NULL, producer, NULL);
	if (read(fds[0], &go, 1) == 1)
		printf("%s\n", message);
	pthread_join(t, NULL);
	return 0;
}
