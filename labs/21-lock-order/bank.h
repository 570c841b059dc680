/* bank.h: accounts and transfers between them (the interface the tests call). */
#ifndef BANK_H
#define BANK_H

#include <pthread.h>

struct account {
	pthread_mutex_t lock;  /* guards balance */
	long balance;
	int id;                /* unique and never changes */
};

void account_init(struct account *a, int id, long balance);
void account_destroy(struct account *a);

/*
 * Lock and unlock accounts with these, not with the mutex itself. Each is the
 * pthread call plus a probe that lets the tests pause a thread right after it
 * takes a lock, to line threads up exactly where a bug would bite (account.c).
 * account_trylock returns 0 when it got the lock, like pthread_mutex_trylock.
 */
#define account_lock(a) \
	(lock_probe_before(a), pthread_mutex_lock(&(a)->lock), lock_probe_after(a))
#define account_trylock(a) lock_probe_tried((a), pthread_mutex_trylock(&(a)->lock))
#define account_unlock(a) (lock_probe_release(a), pthread_mutex_unlock(&(a)->lock))

/*
 * Move amount from one account to the other, as one step: nobody who holds
 * the accounts' locks may ever see the money in neither or in both. Called by
 * many threads at once, in both directions, always with two different accounts.
 */
void transfer(struct account *from, struct account *to, long amount);

/* The probe, for the tests only. Any hook may be NULL; NULL turns it off. */
struct lock_probe {
	void (*before_lock)(struct account *a);
	void (*after_lock)(struct account *a);
	void (*before_unlock)(struct account *a);
};
void lock_probe_set(const struct lock_probe *p);
void lock_probe_before(struct account *a);
void lock_probe_after(struct account *a);
int lock_probe_tried(struct account *a, int rc);
void lock_probe_release(struct account *a);

#endif
