/* wrong: the flush lets go of the lock before sem_wait, but the writer posts the flushers once it has copied the batch, before calling the sink: taken is not written, and a flush returns with its lines still in the writer's batch */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "journal.h"

static void *writer_main(void *arg)
{
	struct journal *j = arg;
	char batch[JOURNAL_LINES][JOURNAL_LINE_MAX];

	pthread_mutex_lock(&j->lock);
	for (;;) {
		while (!j->waiters && j->count < JOURNAL_LINES && !j->closing)
			pthread_cond_wait(&j->wake, &j->lock);
		int n = j->count, last = j->closing;
		struct flush_waiter *served = j->waiters;
		memcpy(batch, j->lines, sizeof batch[0] * (size_t)n);
		j->count = 0;
		j->waiters = NULL;
		pthread_cond_broadcast(&j->space);
		pthread_mutex_unlock(&j->lock);

		/* The batch is ours now and nobody can change it: let the flushers go
		 * right away instead of making them wait for the slow sink too. */
		while (served) {
			/* Read next first: once posted, the waiter may return and its memory is gone. */
			struct flush_waiter *next = served->next;
			sem_post(&served->done);
			served = next;
		}
		for (int i = 0; i < n; i++)
			j->sink(j->sink_arg, batch[i]);
		if (last)
			return NULL;
		pthread_mutex_lock(&j->lock);
	}
}

int journal_open(struct journal *j, journal_sink *sink, void *arg)
{
	pthread_mutex_init(&j->lock, NULL);
	pthread_cond_init(&j->wake, NULL);
	pthread_cond_init(&j->space, NULL);
	j->count = 0;
	j->waiters = NULL;
	j->closing = 0;
	j->sink = sink;
	j->sink_arg = arg;
	int rc = pthread_create(&j->writer, NULL, writer_main, j);
	if (rc != 0) {
		pthread_cond_destroy(&j->space);
		pthread_cond_destroy(&j->wake);
		pthread_mutex_destroy(&j->lock);
	}
	return rc;
}

void journal_write(struct journal *j, const char *line)
{
	pthread_mutex_lock(&j->lock);
	while (j->count == JOURNAL_LINES)
		pthread_cond_wait(&j->space, &j->lock);
	snprintf(j->lines[j->count++], JOURNAL_LINE_MAX, "%s", line);
	if (j->count == JOURNAL_LINES)
		pthread_cond_signal(&j->wake);  /* full: time to write */
	pthread_mutex_unlock(&j->lock);
}

void journal_flush(struct journal *j)
{
	struct flush_waiter me;
	sem_init(&me.done, 0, 0);

	/* Hand the request over under the lock... */
	pthread_mutex_lock(&j->lock);
	me.next = j->waiters;
	j->waiters = &me;
	pthread_cond_signal(&j->wake);
	pthread_mutex_unlock(&j->lock);

	/* ...and wait without it: the writer needs the lock to take the request. */
	while (sem_wait(&me.done) != 0 && errno == EINTR)
		continue;
	sem_destroy(&me.done);
}

void journal_close(struct journal *j)
{
	pthread_mutex_lock(&j->lock);
	j->closing = 1;
	pthread_cond_signal(&j->wake);
	pthread_mutex_unlock(&j->lock);
	pthread_join(j->writer, NULL);
	pthread_cond_destroy(&j->space);
	pthread_cond_destroy(&j->wake);
	pthread_mutex_destroy(&j->lock);
}
