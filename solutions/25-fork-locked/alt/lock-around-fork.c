/* alt: spawn_helper takes the journal's lock itself (journal_lock, as flockfile would) right before fork() and unlocks right after it in parent and child, and on a failed fork: the copy's lock is held by the thread the child keeps, and no line is half-staged */
#include <errno.h>
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
	journal_lock();		/* wait until no thread is mid-line, keep it that way over the copy */
	pid_t pid = fork();
	int fork_errno = errno;
	journal_unlock();	/* both sides: this thread holds the lock in each process */
	if (pid != 0) {
		errno = fork_errno;
		return pid;	/* the parent (or -1 if fork failed) */
	}

	/*
	 * The child: a copy of the parent's memory with a single thread in it,
	 * the one that called fork(). Every other thread of the parent is gone.
	 */
	char line[128];
	snprintf(line, sizeof line, "helper %s started", name);
	journal_write(line);
	_exit(helper_main(name));
}
