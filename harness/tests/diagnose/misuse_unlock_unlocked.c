/* expect: misuse -- an error path unlocks a mutex it never locked */
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static int table[4];

static int store(int slot, int value)
{
	if (slot < 0 || slot >= 4)
		goto fail;               /* jumps past the lock ... */
	pthread_mutex_lock(&table_lock);
	table[slot] = value;
	pthread_mutex_unlock(&table_lock);
	return 0;
fail:
	pthread_mutex_unlock(&table_lock);  /* ... but still unlocks it */
	return -1;
}

static void *writer(void *arg)
{
	int base = (int)(long)arg;
	for (int i = 0; i < 5; i++)
		store(base + i, i);
	return NULL;
}

int main(void)
{
	pthread_t a, b;
	pthread_create(&a, NULL, writer, (void *)0L);
	pthread_join(a, NULL);
	pthread_create(&b, NULL, writer, (void *)2L);
	pthread_join(b, NULL);
	printf("%d %d %d %d\n", table[0], table[1], table[2], table[3]);
	return 0;
}
