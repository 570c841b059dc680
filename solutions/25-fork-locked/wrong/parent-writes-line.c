/* wrong (by the task): the parent writes "helper NAME started" itself before forking and the child writes nothing; no hang, but the line is the parent's (its pid), and it is logged even when fork fails and no helper starts */
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
	/* Log in the parent, where the journal lock works; the child stays away from it. */
	char line[128];
	snprintf(line, sizeof line, "helper %s started", name);
	journal_write(line);

	pid_t pid = fork();
	if (pid != 0)
		return pid;	/* the parent (or -1 if fork failed) */
	_exit(helper_main(name));
}
