/* spawn.h: start a helper process from a multithreaded service (the interface the tests call). */
#ifndef SPAWN_H
#define SPAWN_H

#include <sys/types.h>

/*
 * Fork a helper process. The helper records "helper NAME started" in the
 * journal, then does its work and exits with status 0. Returns the helper's
 * pid to the caller, who waits for it; -1 if fork failed. May be called while
 * other threads of the service are writing to the journal.
 */
pid_t spawn_helper(const char *name);

#endif
