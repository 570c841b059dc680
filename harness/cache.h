/* cache.h: racelab check's answers, kept per file content: a re-check of unchanged bytes answers at once. */
#ifndef CACHE_H
#define CACHE_H

#include "lab.h"
#include "result.h"

/*
 * One check's place in the cache: a snapshot of the learner's file (the bytes
 * graded, whatever is saved over the file meanwhile) and the key of their
 * answer, a fingerprint of those bytes, of racelab itself (its executable),
 * of the lab (every file in its folder but the learner's, and the runtime the
 * tests link) and of the machine: the tools as installed, the debug symbols,
 * the kernel's settings, the user (digest.h, dg_machine), and the CPUs the
 * check may use.
 * Only `racelab check` uses it: a grader always grades.
 */
struct cache_slot;

/* The slot for grading file, or NULL when there is no cache folder (store.h) or file cannot be read. */
struct cache_slot *cache_open(const struct lab *lab, const char *file);

/* The snapshot: grade this file, not the one the learner may be saving over. */
const char *cache_file(const struct cache_slot *s);

/* The answer kept for these bytes into r: 0; or -1 when there is none (r then empty). */
int cache_load(const struct cache_slot *s, struct result *r);

/*
 * Keep r as the answer for these bytes, unless a gate could not run (the
 * machine's trouble, which may pass) or was cancelled. The lab's folder keeps
 * its CACHE_KEEP newest answers. s may be NULL (nothing is kept).
 */
enum { CACHE_KEEP = 64 };
void cache_store(const struct cache_slot *s, const struct result *r);

/* Remove the snapshot and free s (NULL is fine). */
void cache_close(struct cache_slot *s);

/* The answer as the cache keeps it (JSON) and back; for the tests. NULL / -1 when it does not fit. */
char *cache_encode(const struct result *r);
int cache_decode(const char *text, struct result *r);

#endif
