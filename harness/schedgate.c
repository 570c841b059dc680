/* schedgate.c: the schedules gate's verdict: a search's records and traces, as findings with their timelines. */
#include <stdlib.h>
#include <string.h>

#include "schedgate.h"
#include "schedule.h"
#include "timeline.h"

/* The trace of record r's schedule run in place, named; 0 when it was read (the run in place failed again). */
static int sg_trace(const struct sch_record *r, const char *traces, const char *binary, const struct src_ctx *src,
		    struct sch_trace *t)
{
	char *path = u_fmt("%s/%s.trace", traces, r->test), *err = NULL;
	int rc = sch_trace_load(path, binary, src, t, &err);
	if (rc == 0 && !t->fail_kind) { /* it passed in place: the search's child saw what the trace did not */
		sch_trace_free(t);
		rc = -1;
	}
	free(err);
	free(path);
	return rc;
}

/*
 * The failing schedule of record r, told for the gate. The one of shortest (t non-NULL) is told as
 * its folded timeline, the others in a line each: a learner reads one interleaving, not several.
 */
static void sg_finding(const struct lab *lab, const struct sch_record *r, const struct sch_trace *t,
		       struct findings *f)
{
	struct finding *x = finding_add(f, "schedules", r->kind);
	x->test = u_xstrdup(r->test);
	char *told = t ? tl_brief(t, lab->edit, SG_ROWS) : NULL;
	if (!told) {
		struct sch_trace names = { 0 };
		char *why = sch_name_tokens(&names, r->why);
		told = u_fmt("Test %s failed under a schedule of the search (%s): %s\n", r->test, r->kind,
			     sch_short_why(why));
		free(why);
	}
	x->text = u_fmt("%sReplay it: racelab replay %s --seed %s --test %s\n", told, lab->id, r->seed, r->test);
	x->evidence = u_xstrdup(r->why);
	free(told);
}

/* The failing records as findings, the one whose run in place took the fewest steps first and in full. */
static void sg_failures(const struct lab *lab, const struct sch_records *recs, const char *traces,
			const char *binary, const struct src_ctx *src, struct findings *f)
{
	struct sch_trace best = { 0 };
	int at = -1;
	for (int i = 0; i < recs->n; i++) {
		struct sch_trace t;
		if (!recs->v[i].seed || sg_trace(&recs->v[i], traces, binary, src, &t) != 0)
			continue;
		if (at < 0 || t.n < best.n) {
			sch_trace_free(&best);
			best = t;
			at = i;
		} else
			sch_trace_free(&t);
	}
	if (at >= 0)
		sg_finding(lab, &recs->v[at], &best, f);
	for (int i = 0; i < recs->n; i++)
		if (recs->v[i].seed && i != at)
			sg_finding(lab, &recs->v[i], NULL, f);
	sch_trace_free(&best);
}

char *sg_judge(const struct lab *lab, struct findings *ck, const char *records, const char *traces,
	       const char *binary, const struct src_ctx *src, struct findings *f)
{
	struct sch_records recs;
	if (sch_records_read(records, &recs) != 0) {
		f->fatal = u_xstrdup("the tests ran but the scheduler left no record of its search");
		findings_move(f, ck);
		return NULL;
	}
	long explored = 0;
	for (int i = 0; i < recs.n; i++)
		explored += recs.v[i].explored;
	sg_failures(lab, &recs, traces, binary, src, f);
	/* Check's own records stay for the tests the search did not explain (one that failed with no thread). */
	for (int i = 0; i < ck->n; i++) {
		int explained = 0;
		for (int k = 0; k < recs.n && ck->v[i].test; k++)
			explained |= recs.v[k].seed && !strcmp(recs.v[k].test, ck->v[i].test);
		if (!explained) {
			f->v = u_xrealloc(f->v, sizeof *f->v * (size_t)(f->n + 1));
			f->v[f->n++] = ck->v[i];
			memset(&ck->v[i], 0, sizeof ck->v[i]);
		}
	}
	char *pass = u_fmt("%ld schedules explored in %d test%s, none failed", explored, recs.n, recs.n == 1 ? "" : "s");
	sch_records_free(&recs);
	return pass;
}
