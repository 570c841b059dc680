/* alt: a C11 atomic flag and a Linux futex: event_set stores 1 (release) then FUTEX_WAKE all; event_wait loops on an acquire load and FUTEX_WAIT(0), which sleeps only if the word is still 0, checked by the kernel, so the wakeup cannot be lost. */
#define _GNU_SOURCE            /* syscall() */
#include <limits.h>
#include <linux/futex.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "event.h"

struct event {
	atomic_int set;            /* 0 until event_set, then 1 for ever */
};

struct event *event_new(void)
{
	struct event *e = calloc(1, sizeof *e);
	if (e == NULL)
		abort();
	atomic_init(&e->set, 0);
	return e;
}

void event_free(struct event *e)
{
	free(e);
}

void event_set(struct event *e)
{
	atomic_store_explicit(&e->set, 1, memory_order_release);
	syscall(SYS_futex, &e->set, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
}

void event_wait(struct event *e)
{
	while (atomic_load_explicit(&e->set, memory_order_acquire) == 0)
		/* sleeps only if the word is still 0; EAGAIN/EINTR: look again */
		syscall(SYS_futex, &e->set, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
}
