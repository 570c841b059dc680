/* wrong: spawn_helper waits until the journal is idle (journal_lock, then journal_unlock) and forks right after: the check is stale the moment the lock is let go, and a thread that takes it before fork() leaves the helper a lock nobody in it will let go */
#include <stdio.h>
#include <unistd.h>

#include "journal.h"
#include "spawn.h"

/* The helper's work. Its exit status tells the parent how it went. */
static int helper_main(const char *name)
{
	(void)name;
	return 0;
}

pid_t spawn_helper(const char *name)
{
	/* Wait until nobody is writing to the journal, then fork while it is free. */
	journal_lock();
	journal_unlock();
	pid_t pid = fork();
	if (pid != 0)
		return pid;	/* the parent (or -1 if fork failed) */

	/*
	 * The child: a copy of the parent's memory with a single thread in it,
	 * the one that called fork(). Every other thread of the parent is gone.
	 */
	char line[128];
	snprintf(line, sizeof line, "helper %s started", name);
	journal_write(line);
	_exit(helper_main(name));
}
