/* fanout.h: run a batch of tasks, each on a thread of its own (the interface the tests call). */
#ifndef FANOUT_H
#define FANOUT_H

#include <pthread.h>

struct task {
	void (*fn)(struct task *t);     /* the work; it fills in result */
	int id;
	long result;                    /* alone in its 8 bytes: read by the caller afterwards */
};

/*
 * Run fn on each of the n tasks, every one on a thread of its own, all at once.
 * Returns 0 when every task has finished, so every result can be read; or -1 if
 * a thread could not be started (the tasks already started have finished too).
 * Leaves nothing behind: no thread, no memory.
 */
int fanout_run(struct task *tasks, int n);

#endif
