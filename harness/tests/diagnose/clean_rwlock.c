/* expect: none -- readers and a writer share a table through a read-write lock */
#include <pthread.h>
#include <stdio.h>

static pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;
static int table[16];

static void *reader(void *arg)
{
	long sum = 0;
	(void)arg;
	for (int round = 0; round < 200; round++) {
		pthread_rwlock_rdlock(&table_lock);
		for (int i = 0; i < 16; i++)
			sum += table[i];
		pthread_rwlock_unlock(&table_lock);
	}
	return (void *)sum;
}

static void *writer(void *arg)
{
	(void)arg;
	for (int round = 0; round < 200; round++) {
		pthread_rwlock_wrlock(&table_lock);
		table[round % 16]++;
		pthread_rwlock_unlock(&table_lock);
	}
	return NULL;
}

int main(void)
{
	pthread_t r1, r2, w;
	pthread_create(&r1, NULL, reader, NULL);
	pthread_create(&r2, NULL, reader, NULL);
	pthread_create(&w, NULL, writer, NULL);
	pthread_join(r1, NULL);
	pthread_join(r2, NULL);
	pthread_join(w, NULL);
	printf("table[0] %d\n", table[0]);
	return 0;
}
