/* objcache.h: compile a file racelab does not take from the learner once, and reuse its object while nothing it read changed. */
#ifndef OBJCACHE_H
#define OBJCACHE_H

#include "util.h"

/* What oc_object made. */
struct oc_result {
	char *obj;   /* the object, in workdir: the caller's to link (and to free) */
	char *log;   /* the compiler's messages when it ran and failed; NULL otherwise */
	char *error; /* the compiler could not run at all (or the compile was cancelled); NULL otherwise */
	int hit;     /* 1 when the object came from the cache */
};

/*
 * The object that cc (a compiler and its flags, without -c, -o or any file)
 * makes of source, in workdir: made once per workdir (a check's folder), the
 * first call's object serving the others. With use_cache, it comes from the
 * cache folder (store.h, "obj") when one was made by the same compiler
 * (its installed file), the same flags and the same source path, and every
 * file that compile read (the source and each header it included, as the
 * compiler listed them with -MD) still has the same content. Otherwise the
 * compiler runs in workdir (cancel as in run_spec), and a good object is
 * stored for the next time, written whole under a temporary name and renamed,
 * so racelabs building at once never see half of one. A header that changed
 * within the second before the compile is not trusted: that object is used
 * but not stored.
 *
 * 0 on success; -1 when the compile failed (r->log, or r->error) or could not run.
 */
int oc_object(const struct u_list *cc, const char *source, const char *workdir, int use_cache, const int *cancel,
	      struct oc_result *r);

void oc_result_free(struct oc_result *r);

/*
 * The files a make rule as gcc -MD writes it names after the target's colon,
 * (backslash-newline continued, "\ " an escaped blank) into out. For the tests.
 */
void oc_parse_deps(const char *rule, struct u_list *out);

#endif
