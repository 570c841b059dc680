/* wrong: in the child, unlock the journal first, in case fork() copied it locked */
#include <stdio.h>
#include <unistd.h>

#include "journal.h"
#include "spawn.h"

static int helper_main(const char *name)
{
	(void)name;
	return 0;
}

pid_t spawn_helper(const char *name)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;

	/* Whoever held the journal's lock at fork time does not exist here: release it for them. */
	journal_unlock();
	char line[128];
	snprintf(line, sizeof line, "helper %s started", name);
	journal_write(line);
	_exit(helper_main(name));
}
