/* wrong: the journal's lock taken around fork() and given back in parent and child, but not when fork() fails: spawn_helper returns -1 with the journal locked, and the next journal_write waits forever */
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
	journal_lock();
	pid_t pid = fork();
	if (pid < 0)
		return -1;	/* no helper */
	journal_unlock();	/* parent and child both hold it now */
	if (pid > 0)
		return pid;

	/*
	 * The child: a copy of the parent's memory with a single thread in it,
	 * the one that called fork(). Every other thread of the parent is gone.
	 */
	char line[128];
	snprintf(line, sizeof line, "helper %s started", name);
	journal_write(line);
	_exit(helper_main(name));
}
