/* account.c: accounts, and the lock probe the tests use (not the file you edit). */
#include "bank.h"

/* Set by a test before it starts its threads, cleared after it joins them. */
static const struct lock_probe *probe;

void account_init(struct account *a, int id, long balance)
{
	pthread_mutex_init(&a->lock, NULL);
	a->balance = balance;
	a->id = id;
}

void account_destroy(struct account *a)
{
	pthread_mutex_destroy(&a->lock);
}

void lock_probe_set(const struct lock_probe *p)
{
	probe = p;
}

void lock_probe_before(struct account *a)
{
	if (probe && probe->before_lock)
		probe->before_lock(a);
}

void lock_probe_after(struct account *a)
{
	if (probe && probe->after_lock)
		probe->after_lock(a);
}

/* A trylock that got the lock counts as a lock; one that did not, as nothing. */
int lock_probe_tried(struct account *a, int rc)
{
	if (rc == 0)
		lock_probe_after(a);
	return rc;
}

void lock_probe_release(struct account *a)
{
	if (probe && probe->before_unlock)
		probe->before_unlock(a);
}
