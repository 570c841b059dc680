/* journal.h: a buffered log with its own writer thread (the interface the tests call). */
#ifndef JOURNAL_H
#define JOURNAL_H

#include <pthread.h>
#include <semaphore.h>

enum { JOURNAL_LINES = 32, JOURNAL_LINE_MAX = 64 };

/* Where lines go: the slow part (a file, a socket). Called by the writer thread only. */
typedef void journal_sink(void *arg, const char *line);

/* A flush waiting for the writer: the writer posts done once it has written
   every line that was in the journal when the flush was asked for. */
struct flush_waiter {
	sem_t done;
	struct flush_waiter *next;
};

struct journal {
	pthread_mutex_t lock;   /* guards every field below but writer, sink, sink_arg */
	pthread_cond_t wake;    /* the writer sleeps here until there is work */
	pthread_cond_t space;   /* journal_write sleeps here while the buffer is full */
	char lines[JOURNAL_LINES][JOURNAL_LINE_MAX];
	int count;                      /* lines in the buffer, not yet taken by the writer */
	struct flush_waiter *waiters;   /* flushes the writer has not taken yet */
	int closing;
	pthread_t writer;
	journal_sink *sink;
	void *sink_arg;
};

/* Start the writer thread. 0 on success; otherwise pthread_create's error, with the lock and
   condvars destroyed again: a journal that failed to open has nothing to close. */
int journal_open(struct journal *j, journal_sink *sink, void *arg);

/* Add a line (cut at JOURNAL_LINE_MAX - 1 bytes). Fast: it never waits for the sink,
   only for room in the buffer. Called by many threads at once. */
void journal_write(struct journal *j, const char *line);

/* Return once every line written before this call has reached the sink.
   Called by many threads at once. */
void journal_flush(struct journal *j);

/* Write what is left, stop the writer thread and free the journal's resources. */
void journal_close(struct journal *j);

#endif
