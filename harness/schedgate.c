/* schedgate.c: the schedules gate's verdict: a search's records and traces, as findings with their timelines. */
#include <stdlib.h>
#include <string.h>

#include "schedgate.h"
#include "schedule.h"
#include "timeline.h"

/* The failing schedule of record r, told for the gate: its folded timeline and the command that replays it. */
static void sg_finding(const struct lab *lab, const struct sch_record *r, const char *traces, const char *binary,
		       const struct src_ctx *src, struct findings *f)
{
	struct finding *x = finding_add(f, "schedules", r->kind);
	x->test = u_xstrdup(r->test);
	char *path = u_fmt("%s/%s.trace", traces, r->test), *err = NULL;
	struct sch_trace t;
	char *timeline = NULL;
	if (sch_trace_load(path, binary, src, &t, &err) == 0) {
		timeline = tl_text(&t, lab->edit, SG_ROWS);
		sch_trace_free(&t);
	}
	char *why = NULL;
	if (!timeline) { /* the run in place did not fail again: say what the search's child saw */
		struct sch_trace names = { 0 };
		why = sch_name_tokens(&names, r->why);
	}
	x->text = u_fmt("%s\n%sReplay it: racelab replay %s --seed %s --test %s\n",
			timeline ? "" : "test failed under one schedule of the search", timeline ? timeline : why,
			lab->id, r->seed, r->test);
	x->evidence = u_xstrdup(r->why);
	free(timeline);
	free(why);
	free(err);
	free(path);
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
	for (int i = 0; i < recs.n; i++) {
		explored += recs.v[i].explored;
		if (recs.v[i].seed)
			sg_finding(lab, &recs.v[i], traces, binary, src, f);
	}
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
