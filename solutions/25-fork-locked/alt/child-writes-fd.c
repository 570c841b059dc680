/* alt: the child never touches the journal's lock or buffer: it formats its own "[pid] helper NAME started" line and write()s it to journal_fd(), the descriptor journal.h offers for code that must write without the lock; one short write to a pipe is atomic, so lines never mix */
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

/* The child's journal_write: same format, no lock. */
static void child_journal_write(const char *text)
{
	char buf[300];
	int n = snprintf(buf, sizeof buf, "[%d] %.*s\n", (int)getpid(), 240, text);
	if (n <= 0 || (size_t)n >= sizeof buf)
		return;
	size_t done = 0;
	while (done < (size_t)n) {
		ssize_t k = write(journal_fd(), buf + done, (size_t)n - done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		done += (size_t)k;
	}
}

pid_t spawn_helper(const char *name)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;	/* the parent (or -1 if fork failed) */

	/*
	 * The child: one thread, and a copy of a journal lock that another
	 * thread may hold. Do not go near it.
	 */
	char line[128];
	snprintf(line, sizeof line, "helper %s started", name);
	child_journal_write(line);
	_exit(helper_main(name));
}
