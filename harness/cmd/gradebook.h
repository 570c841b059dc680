/* gradebook.h: a class's submissions, their results files, and the gradebook made of them (grade-class, gradebook). */
#ifndef GRADEBOOK_H
#define GRADEBOOK_H

#include "lab.h"

/* One submission of a class. */
struct gradebook_sub {
	char *id;               /* the folder's name */
	char *src, *json, *log; /* the folder; its results file; the grader's stderr */
	double seconds;         /* how long its grading took */
	char *error;            /* why the grading itself failed, or NULL */
	int read_only;          /* its results file is not to be written (racelab gradebook: a task may still write it) */
};

/* Every subfolder of dir is one submission, sorted by its name, its files to be in out; -1 if dir cannot be read. */
int gradebook_list(const char *dir, const char *out, struct gradebook_sub **subs);

/*
 * The gradebook: id, score, max_score, one mark per gate (pass, fail or error), seconds: a
 * row per submission, from its results file (when the grading failed, or wrote nothing, the
 * row says error, every gate, score 0, and the file is rewritten to say so unless read_only).
 * path "-": stdout. 0 on success.
 */
int gradebook_write(const struct lab *lab, struct gradebook_sub *subs, int n, const char *path);

void gradebook_free(struct gradebook_sub *subs, int n);

#endif
