/* wrong: the id order, but on the mutexes directly; README and bank.h ask for account_lock/account_unlock, which the tests watch, and a transfer that goes around them fails the tests */
#include "bank.h"

void transfer(struct account *from, struct account *to, long amount)
{
	struct account *first = from->id < to->id ? from : to;
	struct account *second = first == from ? to : from;

	pthread_mutex_lock(&first->lock);
	pthread_mutex_lock(&second->lock);
	from->balance -= amount;
	to->balance += amount;
	pthread_mutex_unlock(&second->lock);
	pthread_mutex_unlock(&first->lock);
}
