/* expect: misuse -- a mutex destroyed while it is still locked */
#include <pthread.h>
#include <stdio.h>

struct account {
	pthread_mutex_t lock;
	long balance;
};

static void *deposit(void *arg)
{
	struct account *a = arg;
	pthread_mutex_lock(&a->lock);
	a->balance += 10;
	pthread_mutex_unlock(&a->lock);
	return NULL;
}

int main(void)
{
	struct account a = { .balance = 0 };
	pthread_t t;
	pthread_mutex_init(&a.lock, NULL);
	pthread_create(&t, NULL, deposit, &a);
	pthread_join(t, NULL);
	pthread_mutex_lock(&a.lock);     /* closing the account: lock it for the last read ... */
	printf("balance %ld\n", a.balance);
	pthread_mutex_destroy(&a.lock);  /* ... and destroy it while still locked */
	return 0;
}
