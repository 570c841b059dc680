/* json.c: the machine reporter: one result as a JSON document (jansson). */
#include <string.h>

#include "json.h"

static json_t *json_list(const struct u_list *l)
{
	json_t *a = json_array();
	for (int i = 0; i < l->n; i++)
		json_array_append_new(a, json_string(l->v[i]));
	return a;
}

json_t *json_result(const struct result *r)
{
	json_t *gates = json_array();
	for (int i = 0; i < r->ngates; i++) {
		const struct gate_result *g = &r->gates[r->order[i]];
		json_array_append_new(gates, json_pack("{s:s, s:s, s:i, s:i, s:f, s:o, s:s, s:s}",
			"name", gate_names[g->id], "status", status_names[g->status],
			"points", g->points, "max_points", g->max_points, "seconds", g->seconds,
			"kinds", json_list(&g->kinds), "reason", g->reason ? g->reason : "",
			"detail", g->detail ? g->detail : ""));
	}
	return json_pack("{s:s, s:s, s:s, s:i, s:i, s:f, s:o, s:o, s:o}", "lab", r->lab, "title", r->title,
			 "graded_as", r->label, "score", r->score, "max_score", r->max_score,
			 "seconds", r->seconds, "gates", gates, "graded_files", json_list(&r->graded),
			 "ignored_files", json_list(&r->ignored));
}

int json_write(const struct result *r, const char *path)
{
	json_t *doc = json_result(r);
	int rc = strcmp(path, "-") == 0 ? json_dumpf(doc, stdout, JSON_INDENT(2))
					: json_dump_file(doc, path, JSON_INDENT(2));
	if (rc == 0 && strcmp(path, "-") == 0)
		fputc('\n', stdout);
	json_decref(doc);
	return rc;
}
