/* gradescope.c: the result as Gradescope's autograder results.json (jansson). */
#include <stdlib.h>

#include "fmt.h"
#include "gradescope.h"
#include "jsonout.h"

static json_t *gs_test(const char *name, int score, int max, int passed, const char *output,
		       const struct u_list *tags)
{
	return json_pack("{s:s, s:i, s:i, s:s, s:s, s:s, s:s, s:o}", "name", name, "score", score,
			 "max_score", max, "status", passed ? "passed" : "failed", "output", output,
			 "output_format", "text", "visibility", "visible", "tags", jsonout_list(tags));
}

/* The gate's entry carries its points; each suite test under it is listed at 0 of 0. */
static void gs_gate(const struct gate_result *g, json_t *tests)
{
	struct u_list tags = { 0 };
	u_list_add(&tags, u_xstrdup(gate_names[g->id]));
	u_list_add(&tags, u_xstrdup(status_names[g->status]));
	if (g->status == RESULT_ERROR)
		u_list_add(&tags, u_xstrdup("not-counted"));
	for (int i = 0; i < g->kinds.n; i++)
		u_list_add(&tags, u_xstrdup(g->kinds.v[i]));
	char *text = fmt_gate_text(g);
	json_array_append_new(tests, gs_test(gate_names[g->id], g->points, g->max_points,
					     g->status == RESULT_PASS, text, &tags));
	free(text);
	u_list_free(&tags);
	u_list_add(&tags, u_xstrdup(gate_names[g->id]));
	u_list_add(&tags, u_xstrdup("check-test"));
	for (int c = 0; c < g->ncases; c++) {
		char *name = fmt_case_name(g, c);
		json_array_append_new(tests, gs_test(name, 0, 0, g->cases[c].status == RESULT_PASS,
						     g->cases[c].message, &tags));
		free(name);
	}
	u_list_free(&tags);
}

int gs_write(const struct result *r, FILE *out)
{
	json_t *tests = json_array();
	for (int i = 0; i < r->ngates; i++)
		gs_gate(&r->gates[r->order[i]], tests);
	char *summary = fmt_summary(r);
	/* execution_time is whole seconds in Gradescope's specification. */
	json_t *doc = json_pack("{s:f, s:i, s:i, s:s, s:s, s:s, s:o}", "score", r->score, "max_score",
				r->max_score, "execution_time", (int)(r->seconds + 0.5), "output", summary,
				"output_format", "text", "visibility", "visible", "tests", tests);
	free(summary);
	return jsonout_emit(doc, out);
}
