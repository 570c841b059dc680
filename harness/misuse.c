/* misuse.c: the pthread API misuses each tool names, from the tool's own words. */
#include <string.h>

#include "misuse.h"
#include "util.h"

/* A tool's report (its kind, and a part of its sentence when the kind alone does not tell) -> a misuse. */
static const struct {
	const char *tool, *kind, *said, *misuse;
} misuse_words[] = {
	/* ThreadSanitizer's report kinds (tsan.c): the headline tells. */
	{ "tsan", "unlock-unlocked", NULL, "unlock-not-held" },
	{ "tsan", "destroy-locked", NULL, "destroy-locked" },
	{ "tsan", "double-lock", NULL, "relock" },
	{ "tsan", "invalid-mutex", NULL, "invalid-object" },
	/* Helgrind: the kind, and for Misc its sentence. */
	{ "helgrind", "UnlockUnlocked", NULL, "unlock-not-held" },
	{ "helgrind", "UnlockForeign", NULL, "unlock-not-held" },
	{ "helgrind", "UnlockBogus", NULL, "unlock-not-held" },
	{ "helgrind", "Misc", "Exiting thread still holds", "exit-holding-lock" },
	{ "helgrind", "Misc", "pthread_mutex_destroy of a locked mutex", "destroy-locked" },
	{ "helgrind", "Misc", "re-lock a non-recursive lock I already hold", "relock" },
	{ "helgrind", "Misc", "destruction of condition variable being waited upon", "destroy-in-use" },
	{ "helgrind", "Misc", "pthread_barrier_destroy: threads are waiting", "destroy-in-use" },
	{ "helgrind", "Misc", "pthread_barrier_init: threads are waiting", "barrier-reinit" },
	{ "helgrind", "Misc", "pthread_barrier_init: barrier is already initialised", "barrier-reinit" },
	{ "helgrind", "Misc", "'count' argument is zero", "barrier-count-zero" },
	{ "helgrind", "Misc", "barrier was never initialised", "invalid-object" },
	{ "helgrind", "Misc", "wait called with un-held mutex", "cond-wait-unheld" },
	{ "helgrind", "Misc", "wait called with invalid mutex", "cond-wait-unheld" },
	{ "helgrind", "Misc", "cond is associated with a different mutex", "cond-wait-unheld" },
	/* DRD: the kind, and its sentence. "Destruction of barrier not synchronized with barrier wait
	 * call" is missing on purpose: it flags a destroy right after the last wait, correct code. */
	{ "drd", "MutexErr", "Mutex not locked", "unlock-not-held" },
	{ "drd", "MutexErr", "Destroying locked mutex", "destroy-locked" },
	{ "drd", "MutexErr", "Mutex still locked at thread exit", "exit-holding-lock" },
	{ "drd", "MutexErr", "Recursive locking not allowed", "relock" },
	{ "drd", "MutexErr", "is not a mutex", "invalid-object" },
	{ "drd", "CondDestrErr", NULL, "destroy-in-use" },
	{ "drd", "BarrierErr", "Barrier reinitialization", "barrier-reinit" },
	{ "drd", "BarrierErr", "Destruction of barrier that is being waited upon", "destroy-in-use" },
	{ "drd", "BarrierErr", "'count' argument is zero", "barrier-count-zero" },
	{ "drd", "CondWaitErr", "Inconsistent association of condition variable and mutex", "cond-wait-unheld" },
	{ "drd", "RwLockErr", "not locked by calling thread", "unlock-not-held" },
	{ "drd", "GenericErr", "Not a reader-writer lock", "invalid-object" },
};

static const char *const misuse_meanings[][2] = {
	{ "unlock-not-held", "A mutex was unlocked by a thread that does not hold it (it was unlocked already, "
			     "or another thread holds it): only the owner may unlock." },
	{ "exit-holding-lock", "A thread ended while it still held a mutex: every thread that locks it later "
			       "waits for ever." },
	{ "destroy-locked", "A mutex was destroyed while it was locked." },
	{ "destroy-in-use", "A condition variable or barrier was destroyed while threads still waited on it." },
	{ "barrier-reinit", "A barrier was initialised again while threads still waited in it (or without a "
			    "destroy): its waiters are lost." },
	{ "relock", "A thread locked a mutex it already holds: a default mutex then waits for itself." },
	{ "cond-wait-unheld", "pthread_cond_wait was called without holding its mutex (or with another one): "
			      "a wakeup between the check and the wait is lost." },
	{ "barrier-count-zero", "A barrier was initialised with a count of 0: no wait on it is defined." },
	{ "invalid-object", "A pthread call was given something that is not an initialised (and not yet destroyed) "
			    "mutex, lock or barrier." },
};

const char *misuse_of(const char *tool, const char *kind, const char *said)
{
	for (size_t i = 0; tool && kind && i < NELEM(misuse_words); i++)
		if (!strcmp(tool, misuse_words[i].tool) && !strcmp(kind, misuse_words[i].kind) &&
		    (!misuse_words[i].said || (said && strstr(said, misuse_words[i].said))))
			return misuse_words[i].misuse;
	return NULL;
}

const char *misuse_meaning(const char *misuse)
{
	for (size_t i = 0; misuse && i < NELEM(misuse_meanings); i++)
		if (!strcmp(misuse, misuse_meanings[i][0]))
			return misuse_meanings[i][1];
	return "A pthread call broke the rules of its API.";
}
