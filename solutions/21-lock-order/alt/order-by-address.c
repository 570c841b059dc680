/* alt: lock the account at the lower address first (OSTEP's order): live accounts have distinct, fixed addresses, so every thread takes any two locks in one global order and no cycle of waits can form */
#include <stdint.h>

#include "bank.h"

void transfer(struct account *from, struct account *to, long amount)
{
	/* Compared as integers: < between pointers to different objects is undefined in C. */
	struct account *first = (uintptr_t)from < (uintptr_t)to ? from : to;
	struct account *second = first == from ? to : from;

	account_lock(first);
	account_lock(second);
	from->balance -= amount;
	to->balance += amount;
	account_unlock(second);
	account_unlock(first);
}
