/* progress.h: the learner's progress (lab states, hints seen) and the shipped broken files. */
#ifndef PROGRESS_H
#define PROGRESS_H

#include "lab.h"

/* untried, failed or passed. */
const char *prog_status(const char *lab);
void prog_set_status(const char *lab, const char *status);

/* The first lab of ids after index `after` (wrapping round; -1: from the start) not passed yet, or NULL. */
const char *prog_next(const struct u_list *ids, int after);

int prog_hints(const char *lab);
void prog_set_hints(const char *lab, int n);

/* The folder the learner's state is kept in: RACELAB_STATE, or ROOT/.racelab (made if need be). */
const char *prog_dir(void);


#endif
