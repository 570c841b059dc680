/* expect: race -- one byte of a status word raced on, while its writer keeps writing the 7 bytes beside it (ThreadSanitizer keeps 4 accesses per 8 bytes and loses this one) */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

/* Eight one-byte flags in one 8-byte word: the worker owns flags 1..7, but flag 0 is main's to read. */
static struct {
	unsigned char flag[8];
} status;

static void *worker(void *arg)
{
	(void)arg;
	status.flag[0] = 1;  /* main reads this byte with nothing ordering the two */
	for (int round = 0; round < 4; round++)
		for (int i = 1; i < 8; i++)
			status.flag[i] = (unsigned char)(round + i);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	usleep(200 * 1000);  /* time is no synchronization: the worker is done by now, but nothing says so */
	printf("flag 0 = %d\n", status.flag[0]);
	pthread_join(t, NULL);
	return 0;
}
