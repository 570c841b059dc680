/* result.c: names of gates and statuses, and freeing a result. */
#include <stdlib.h>
#include <string.h>

#include "result.h"

const char *const gate_names[G_COUNT] = { "build", "tests", "stress", "tsan", "helgrind",
					  "drd", "memcheck", "memory", "cpu" };
const char *const status_names[4] = { "pass", "fail", "error", "skip" };

int gate_from_name(const char *name)
{
	for (int g = 0; g < G_COUNT; g++)
		if (strcmp(gate_names[g], name) == 0)
			return g;
	return -1;
}

void result_free(struct result *r)
{
	for (int g = 0; g < G_COUNT; g++) {
		free(r->gates[g].reason);
		free(r->gates[g].detail);
		free(r->gates[g].raw);
		u_list_free(&r->gates[g].kinds);
	}
	free(r->lab);
	free(r->title);
	free(r->label);
	u_list_free(&r->graded);
	u_list_free(&r->ignored);
	memset(r, 0, sizeof *r);
}
