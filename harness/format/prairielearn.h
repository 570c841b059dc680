/* prairielearn.h: the result as PrairieLearn's external grader results.json. */
#ifndef PRAIRIELEARN_H
#define PRAIRIELEARN_H

#include <stdio.h>

#include "result.h"

/* results.json: gradable, score in 0..1, message, output, tests[] with points and max_points. */
int pl_write(const struct result *r, FILE *out);

#endif
