/* prairielearn.c: the result as PrairieLearn's external grader results.json (jansson). */
#include <stdlib.h>

#include "fmt.h"
#include "jsonout.h"
#include "prairielearn.h"

static json_t *pl_test(const char *name, int points, int max, const char *message, const char *output)
{
	return json_pack("{s:s, s:i, s:i, s:s, s:s}", "name", name, "points", points, "max_points", max,
			 "message", message, "output", output);
}

/* The gate's entry carries its points; each suite test under it is listed at 0 of 0. */
static void pl_gate(const struct gate_result *g, json_t *tests)
{
	char *text = fmt_gate_text(g);
	json_array_append_new(tests, pl_test(gate_names[g->id], g->points, g->max_points,
					     g->reason ? g->reason : "", text));
	free(text);
	for (int c = 0; c < g->ncases; c++) {
		char *name = fmt_case_name(g, c);
		json_array_append_new(tests, pl_test(name, 0, 0, g->cases[c].status == RESULT_PASS ? "passed" : "failed",
						     g->cases[c].message));
		free(name);
	}
}

int pl_write(const struct result *r, FILE *out)
{
	json_t *tests = json_array();
	for (int i = 0; i < r->ngates; i++)
		pl_gate(&r->gates[r->order[i]], tests);
	char *summary = fmt_summary(r);
	char *message = u_fmt("%.4g/%d points", r->score, r->max_score);
	/* Not gradable: nothing could run here, so the grading machine, not the code, is at fault. */
	json_t *doc = json_pack("{s:b, s:f, s:s, s:s, s:o}", "gradable", r->counted_max > 0, "score",
				r->max_score > 0 ? r->score / r->max_score : 0.0, "message", message,
				"output", summary, "tests", tests);
	free(summary);
	free(message);
	return jsonout_emit(doc, out);
}
