/* accesses.c: a plain store, a C11 atomic, a locked instruction TSan cannot see, a pipe (for access.c's tests, which find each line by its tag). */
#include <stdatomic.h>
#include <unistd.h>

int plain_cell;
atomic_int atomic_cell;
int asm_cell;

int main(void)
{
	int fds[2];
	plain_cell = 1; /* tag:plain */
	atomic_store(&atomic_cell, 2); /* tag:atomic */
	__asm__ volatile("lock incl %0" : "+m"(asm_cell)); /* tag:asm */
	return pipe(fds); /* tag:none */
}
