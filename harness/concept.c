/* concept.c: which concept page explains a finding, and why the finding matters, in one line. */
#include <string.h>

#include "concept.h"

/* The one table: finding kind (a detector's, or the watchdog's hang kind) -> concept page. */
static const char *const concept_kinds[][2] = {
	{ "data-race", "data-races" },           { "Race", "data-races" },
	{ "ConflictingAccess", "data-races" },   { "heap-use-after-free", "data-races" },
	{ "lock-order-inversion", "lock-order" }, { "LockOrder", "lock-order" },
	{ "double-lock", "lock-order" },         { "deadlock", "lock-order" },
	{ "self-deadlock", "lock-order" },       { "hold-and-wait", "lock-order" },
	{ "cond-wait", "condition-variables" },
	{ "barrier-wait", "barriers" },          { "heap", "backpressure" },
	{ "oom", "backpressure" },               { "signal-unsafe-call", "signal-safety" },
	{ "errno-spoiled", "signal-safety" },
};

/* Words of lab.ini's concepts (or track) that name a page; the earliest in the lab's list wins. */
static const char *const concept_words[][2] = {
	{ "idempot", "idempotency" },          { "async-signal", "signal-safety" },
	{ "memory ordering", "memory-ordering" }, { "release/acquire", "memory-ordering" },
	{ "backpressure", "backpressure" },    { "barrier", "barriers" },
	{ "latch", "barriers" },               { "condition variable", "condition-variables" },
	{ "pthread_cond_wait", "condition-variables" }, { "poison pill", "condition-variables" },
	{ "semaphore", "condition-variables" }, { "deadlock", "lock-order" },
	{ "lock order", "lock-order" },        { "hold and wait", "lock-order" },
	{ "data race", "data-races" },         { "check-then-act", "data-races" },
	{ "happens-before", "data-races" },    { "atomics", "memory-ordering" },
	{ "races", "data-races" },             { "queues", "condition-variables" },
	{ "lifecycle", "condition-variables" },
};

/* Why each page's subject matters, one sentence. */
static const char *const concept_why[][2] = {
	{ "data-races", "unordered accesses make the result depend on timing (lost updates, torn or stale "
			"values), and in C a data race is undefined behaviour." },
	{ "lock-order", "a thread that waits for a lock whose holder waits too (for it, in a cycle, or for "
			"itself) stops for good; one lock order, no lock taken twice and none held while "
			"blocking prevent it." },
	{ "condition-variables", "a wait must loop on a predicate that is changed and signalled under the "
				 "mutex, or a thread sleeps forever or runs on a wrong state." },
	{ "barriers", "a barrier opens only when its exact count of threads arrives, on every path, and "
		      "its phases are all that orders the reads and writes of a round." },
	{ "backpressure", "a producer faster than its consumer must be made to wait at a bound, or memory "
			  "grows until the process dies with everything it held." },
	{ "memory-ordering", "without a release store read by an acquire load, another thread may see the "
			     "flag before the data it announces." },
	{ "signal-safety", "a signal handler, like the child of fork() in a threaded program, can run while "
			   "some thread was inside malloc or held a lock: only async-signal-safe calls are "
			   "allowed there." },
	{ "idempotency", "a message can arrive twice: checking and recording it must be one step, or its "
			 "effect happens twice." },
	{ "pthread-misuse", "a mutex, condition variable or barrier used against its rules (unlocked by a thread "
			    "that does not hold it, destroyed in use, held by a thread that ends) is undefined "
			    "behaviour: it may work here and hang or corrupt elsewhere." },
};

const char *concept_slug(const char *kind)
{
	for (size_t i = 0; kind && i < NELEM(concept_kinds); i++)
		if (strcmp(kind, concept_kinds[i][0]) == 0)
			return concept_kinds[i][1];
	return NULL;
}

static const char *concept_from_words(const char *text)
{
	const char *best = NULL, *at = NULL;
	for (size_t i = 0; text && i < NELEM(concept_words); i++) {
		const char *p = strstr(text, concept_words[i][0]);
		if (p && (!at || p < at)) {
			at = p;
			best = concept_words[i][1];
		}
	}
	return best;
}

const char *concept_for(const struct gate_result *g, const struct lab *lab)
{
	for (int i = 0; i < g->found.n; i++)
		if (concept_slug(g->found.v[i].kind))
			return concept_slug(g->found.v[i].kind);
	for (int i = 0; i < g->found.n; i++)
		if (concept_slug(g->found.v[i].hang_kind))
			return concept_slug(g->found.v[i].hang_kind);
	for (int i = 0; i < g->found.n; i++) /* a tool's kind for it is shared with other reports (Misc) */
		if (g->found.v[i].misuse)
			return "pthread-misuse";
	const char *s = lab ? concept_from_words(lab->concepts) : NULL;
	return s ? s : lab ? concept_from_words(lab->track) : NULL;
}

char *concept_line(const struct gate_result *g, const struct lab *lab)
{
	const char *slug = concept_for(g, lab);
	for (size_t i = 0; slug && i < NELEM(concept_why); i++)
		if (strcmp(slug, concept_why[i][0]) == 0)
			return u_fmt("Why it matters: %s Read docs/concepts/%s.md", concept_why[i][1], slug);
	return NULL;
}
