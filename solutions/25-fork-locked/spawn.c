/* spawn.c (solution): fork only while this thread holds the journal's lock (pthread_atfork). */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#include "journal.h"
#include "spawn.h"

static int helper_main(const char *name)
{
	(void)name;
	return 0;
}

/*
 * fork() copies the journal as it is at that instant. Taking its lock just
 * before the copy (prepare) means no other thread is in the middle of a line,
 * and the copy's lock belongs to the one thread the child keeps, which can
 * then release it (child); the parent releases its own (parent).
 */
static pthread_once_t handlers_once = PTHREAD_ONCE_INIT;

static void install_fork_handlers(void)
{
	pthread_atfork(journal_lock, journal_unlock, journal_unlock);
}

pid_t spawn_helper(const char *name)
{
	pthread_once(&handlers_once, install_fork_handlers);
	pid_t pid = fork();
	if (pid != 0)
		return pid;

	char line[128];
	snprintf(line, sizeof line, "helper %s started", name);
	journal_write(line);
	_exit(helper_main(name));
}
