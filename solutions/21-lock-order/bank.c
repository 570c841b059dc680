/* bank.c (solution): transfers that take the two account locks in one global order. */
#include "bank.h"

void transfer(struct account *from, struct account *to, long amount)
{
	/*
	 * Every thread takes the account with the lower id first. Then no two
	 * threads can each hold a lock the other one wants: whoever gets the
	 * lower lock first gets both, and the other waits for it with nothing
	 * in its hands.
	 */
	struct account *first = from->id < to->id ? from : to;
	struct account *second = first == from ? to : from;

	account_lock(first);
	account_lock(second);
	from->balance -= amount;
	to->balance += amount;
	account_unlock(second);
	account_unlock(first);
}
