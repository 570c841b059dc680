/* blocked.h: whether every thread of a process tree waits for good: in a wait with no timeout that only the tree itself could end. */
#ifndef BLOCKED_H
#define BLOCKED_H

#include <sys/types.h>

/*
 * What blk_tree saw. A thread counts as waiting for good when it sleeps (state S) in
 * futex() without a timeout (a mutex, a condition variable, a barrier, a semaphore, a
 * join) or in wait4()/waitid() for a child. A thread that sleeps a fixed time (nanosleep),
 * waits with a timeout, polls, reads or runs keeps the tree alive, and so does a pending
 * timer a process may catch (SIGALRM with a handler, a POSIX timer): it may still wake it.
 */
struct blk_state {
	int threads;           /* threads seen in the tree */
	int waiting;           /* of them, waiting for good */
	int timers;            /* processes that catch SIGALRM or own a POSIX timer */
	int unreadable;        /* threads whose state could not be read (permission, or gone) */
	long ticks;            /* the tree's CPU time so far, in clock ticks (proctree.h) */
};

/* Read the state of root and every process below it. */
void blk_tree(pid_t root, struct blk_state *s);

/* Whether s shows a tree stuck for good: threads seen, every one waiting, no timer, nothing unread. */
int blk_stuck(const struct blk_state *s);

/*
 * One thread's /proc/PID/task/TID/syscall line and its state letter (from .../stat):
 * whether that is a wait with no timeout. For tests on recorded lines.
 */
int blk_line_waits(const char *syscall_line, char state);

#endif
