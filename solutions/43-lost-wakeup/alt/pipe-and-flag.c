/* alt: an atomic flag plus a pipe that gets one byte at the set and is never read: a readable pipe is level-triggered state, so early waiters sleep in poll() and late ones return at once; the flag is the truth, EINTR polls again. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "event.h"

struct event {
	atomic_bool set;
	int fd[2];                 /* fd[1] gets one byte at event_set; fd[0] then stays readable */
};

struct event *event_new(void)
{
	struct event *e = calloc(1, sizeof *e);
	if (e == NULL)
		abort();
	if (pipe(e->fd) != 0)
		abort();
	fcntl(e->fd[0], F_SETFD, FD_CLOEXEC);
	fcntl(e->fd[1], F_SETFD, FD_CLOEXEC);
	atomic_init(&e->set, false);
	return e;
}

void event_free(struct event *e)
{
	close(e->fd[0]);
	close(e->fd[1]);
	free(e);
}

void event_set(struct event *e)
{
	if (atomic_exchange(&e->set, true))
		return;                /* already set: the byte is already there */
	char c = 1;
	while (write(e->fd[1], &c, 1) != 1)
		if (errno != EINTR)
			abort();
}

void event_wait(struct event *e)
{
	struct pollfd p = { .fd = e->fd[0], .events = POLLIN };
	while (!atomic_load(&e->set))          /* the flag is the truth; poll is the sleep */
		if (poll(&p, 1, -1) < 0 && errno != EINTR)
			abort();
}
