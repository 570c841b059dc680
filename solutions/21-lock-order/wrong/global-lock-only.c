/* wrong: one bank-wide mutex instead of the account locks; the balances are guarded by the accounts' locks, so a reader holding an account's lock races with a transfer that holds only this one */
#include "bank.h"

static pthread_mutex_t bank_lock = PTHREAD_MUTEX_INITIALIZER;

void transfer(struct account *from, struct account *to, long amount)
{
	pthread_mutex_lock(&bank_lock);
	from->balance -= amount;
	to->balance += amount;
	pthread_mutex_unlock(&bank_lock);
}
