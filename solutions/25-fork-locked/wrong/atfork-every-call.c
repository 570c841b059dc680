/* wrong: pthread_atfork(journal_lock, journal_unlock, journal_unlock) on every call; handlers are never unregistered, so the second spawn_helper runs two prepare handlers and locks the journal twice inside fork() */
#include <pthread.h>
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
	/* Make fork() take the journal lock, and let go of it on both sides. */
	if (pthread_atfork(journal_lock, journal_unlock, journal_unlock) != 0)
		return -1;

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
