/* junit.h: the result as JUnit XML, as GitLab and Jenkins read it. */
#ifndef JUNIT_H
#define JUNIT_H

#include <stdio.h>

#include "result.h"

/*
 * testsuites/testsuite (the lab)/testcase (one per gate, one per suite test):
 * failure for a failed gate or test, error for a gate that could not run,
 * skipped for one not run after a failed build; system-out with the evidence.
 */
int junit_write(const struct result *r, FILE *out);

#endif
