/* journal.c: the service's journal: one lock, one staging buffer, one descriptor (not edited). */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#include "journal.h"

enum { LINE_MAX_LEN = 256 };

static pthread_mutex_t journal_mutex = PTHREAD_MUTEX_INITIALIZER;
void (*journal_on_locked)(void);
void (*journal_on_unlocked)(void);

/* The tests' hooks, after each lock and unlock (the lock is taken in the callers, so a thread
 * waiting for it is seen waiting in journal_write or journal_lock). */
static void locked(void)
{
	if (journal_on_locked)
		journal_on_locked();
}

static void unlocked(void)
{
	if (journal_on_unlocked)
		journal_on_unlocked();
}
static int out = -1;

/* Lines staged but not yet written; empty whenever nobody holds the lock. */
static char pending[2 * LINE_MAX_LEN];
static size_t pending_len;

void journal_open(int fd)
{
	out = fd;
}

int journal_fd(void)
{
	return out;
}

/* Write out everything staged. Called with the lock held. */
static void flush_pending(void)
{
	size_t done = 0;
	while (done < pending_len) {
		ssize_t n = write(out, pending + done, pending_len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;	/* nowhere to write: drop the line rather than spin */
		done += (size_t)n;
	}
	pending_len = 0;
}

void journal_write(const char *text)
{
	pthread_mutex_lock(&journal_mutex);
	locked();
	int n = snprintf(pending + pending_len, sizeof pending - pending_len, "[%d] %.*s\n",
			 (int)getpid(), LINE_MAX_LEN - 16, text);
	if (n > 0 && (size_t)n < sizeof pending - pending_len)
		pending_len += (size_t)n;
	flush_pending();
	pthread_mutex_unlock(&journal_mutex);
	unlocked();
}

void journal_lock(void)
{
	pthread_mutex_lock(&journal_mutex);
	locked();
}

void journal_unlock(void)
{
	pthread_mutex_unlock(&journal_mutex);
	unlocked();
}
