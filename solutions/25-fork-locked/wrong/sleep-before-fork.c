/* wrong: sleep 10 ms before forking so that a thread in the middle of a line can finish it; a sleep proves nothing: a writer blocked on a full pipe holds the lock far longer, and the helper copies the lock held */
#include <stdio.h>
#include <time.h>
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
	/* Give any thread that is writing to the journal time to finish its line. */
	struct timespec settle = { 0, 10 * 1000000L };
	nanosleep(&settle, NULL);

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
