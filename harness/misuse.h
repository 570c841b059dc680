/* misuse.h: the pthread API misuses each tool names, from the tool's own words: one table. */
#ifndef MISUSE_H
#define MISUSE_H

/*
 * The misuse that tool's report of kind (with the tool's own sentence, said, when the kind
 * alone does not tell) names: unlock-not-held, exit-holding-lock, destroy-locked,
 * destroy-in-use, barrier-reinit, barrier-count-zero, relock, cond-wait-unheld, invalid-object; NULL for none
 * (a race, a lock order, or a report that flags correct code, such as DRD's destroy of a
 * barrier right after its last wait).
 */
const char *misuse_of(const char *tool, const char *kind, const char *said);

/* What a misuse means, one sentence for the learner. */
const char *misuse_meaning(const char *misuse);

#endif
