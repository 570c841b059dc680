/* result.c: names of gates and statuses, the scoring rule, and freeing a result. */
#include <stdlib.h>
#include <string.h>

#include "result.h"

const char *const gate_names[GATE_COUNT] = { "build", "tests", "stress", "tsan", "helgrind",
					  "drd", "memcheck", "memory", "cpu", "schedules" };
const char *const status_names[4] = { "pass", "fail", "error", "skip" };

int gate_from_name(const char *name)
{
	for (int g = 0; g < GATE_COUNT; g++)
		if (strcmp(gate_names[g], name) == 0)
			return g;
	return -1;
}

void result_score(struct result *r, const int points[GATE_COUNT])
{
	int earned = 0;
	r->max_score = r->counted_max = 0;
	for (int i = 0; i < r->ngates; i++) {
		struct gate_result *g = &r->gates[r->order[i]];
		r->max_score += points[g->id];
		g->max_points = g->status == RESULT_ERROR ? 0 : points[g->id];
		g->points = g->status == RESULT_PASS ? g->max_points : 0;
		r->counted_max += g->max_points;
		earned += g->points;
	}
	r->score = r->counted_max > 0 ? (double)r->max_score * earned / r->counted_max : 0;
}

int result_all_passed(const struct result *r)
{
	for (int i = 0; i < r->ngates; i++)
		if (r->gates[r->order[i]].status != RESULT_PASS)
			return 0;
	return r->ngates > 0;
}

void result_add_case(struct gate_result *g, const char *name, enum result_status st, const char *message)
{
	g->cases = u_xrealloc(g->cases, sizeof *g->cases * (size_t)(g->ncases + 1));
	g->cases[g->ncases++] = (struct test_case){ u_xstrdup(name), st, u_xstrdup(message ? message : "") };
}

void result_free(struct result *r)
{
	for (int g = 0; g < GATE_COUNT; g++) {
		for (int i = 0; i < r->gates[g].ncases; i++) {
			free(r->gates[g].cases[i].name);
			free(r->gates[g].cases[i].message);
		}
		free(r->gates[g].cases);
		free(r->gates[g].reason);
		free(r->gates[g].detail);
		free(r->gates[g].raw);
		free(r->gates[g].partial);
		u_list_free(&r->gates[g].kinds);
		findings_free(&r->gates[g].found);
		findings_free(&r->gates[g].notes);
	}
	u_list_free(&r->why);
	free(r->lab);
	free(r->title);
	free(r->label);
	u_list_free(&r->graded);
	u_list_free(&r->ignored);
	memset(r, 0, sizeof *r);
}
