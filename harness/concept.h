/* concept.h: which concept page explains a finding, and why the finding matters, in one line. */
#ifndef CONCEPT_H
#define CONCEPT_H

#include "lab.h"

/* The page's slug (docs/concepts/<slug>.md) for a finding kind, or NULL when the kind does not say. */
const char *concept_slug(const char *kind);

/* The slug for a failed gate: its kinds, then the hang's kind, then the lab's concepts and track. */
const char *concept_for(const struct gate_result *g, const struct lab *lab);

/* "Why it matters: ... Read docs/concepts/<slug>.md" for a failed gate, or NULL. */
char *concept_line(const struct gate_result *g, const struct lab *lab);

#endif
