/* expect: none -- threads that only sleep (0.9 s, longer than the watchdog's idle look) while main waits to join them, then main sleeps: slow, not hung */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *nap(void *arg)
{
	usleep((useconds_t)(long)arg * 1000);
	return NULL;
}

int main(void)
{
	pthread_t a, b;
	pthread_create(&a, NULL, nap, (void *)900L);
	pthread_create(&b, NULL, nap, (void *)600L);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	usleep(600 * 1000);
	puts("rested");
	return 0;
}
