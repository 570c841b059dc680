/* jsonout.c: the machine reporter: one result as a JSON document (jansson). */
#include "jsonout.h"

json_t *jsonout_list(const struct u_list *l)
{
	json_t *a = json_array();
	for (int i = 0; i < l->n; i++)
		json_array_append_new(a, json_string(l->v[i]));
	return a;
}

static json_t *json_cases(const struct gate_result *g)
{
	json_t *a = json_array();
	for (int i = 0; i < g->ncases; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s}", "name", g->cases[i].name, "status",
						   status_names[g->cases[i].status], "message", g->cases[i].message));
	return a;
}

static json_t *json_str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* A race's accesses, each at its innermost frame. */
static json_t *json_accesses(const struct finding *x)
{
	json_t *a = json_array();
	for (int i = 0; i < x->naccess; i++) {
		const struct finding_access *ac = &x->access[i];
		json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:b, s:b, s:b, s:i}", "file",
			json_str_or_null(ac->file), "line", ac->file ? json_integer(ac->line) : json_null(),
			"function", json_str_or_null(ac->function), "in_lab", ac->in_lab, "atomic", ac->atomic,
			"write", ac->write, "size", ac->size));
	}
	return a;
}

/* Each record a gate's tools found, field by field: what a program reads instead of the text. */
static json_t *json_findings(const struct findings *f)
{
	json_t *a = json_array();
	for (int i = 0; i < f->n; i++) {
		const struct finding *x = &f->v[i];
		json_array_append_new(a, json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:b, s:b, s:o, s:o, s:o}",
			"tool", x->tool, "kind", x->kind, "hang_kind", json_str_or_null(x->hang_kind),
			"file", json_str_or_null(x->file), "line", x->file ? json_integer(x->line) : json_null(),
			"function", json_str_or_null(x->function), "objects", jsonout_list(&x->objects),
			"test", json_str_or_null(x->test), "text", x->text ? x->text : "",
			"atomic_access", x->atomic_access, "outside_lab", x->outside_lab,
			"accesses", json_accesses(x), "misuse", json_str_or_null(x->misuse),
			"limit", json_str_or_null(x->limit)));
	}
	return a;
}

json_t *jsonout_result(const struct result *r)
{
	json_t *gates = json_array();
	for (int i = 0; i < r->ngates; i++) {
		const struct gate_result *g = &r->gates[r->order[i]];
		json_array_append_new(gates, json_pack("{s:s, s:s, s:i, s:i, s:f, s:o, s:s, s:s, s:o, s:o, s:o}",
			"name", gate_names[g->id], "status", status_names[g->status],
			"points", g->points, "max_points", g->max_points, "seconds", g->seconds,
			"kinds", jsonout_list(&g->kinds), "reason", g->reason ? g->reason : "",
			"detail", g->detail ? g->detail : "", "findings", json_findings(&g->found),
			/* a tool's known limits (limit.h): each with its "limit", the reason; they cost no points */
			"notes", json_findings(&g->notes), "tests", json_cases(g)));
	}
	return json_pack("{s:s, s:s, s:s, s:f, s:i, s:i, s:f, s:o, s:o, s:o, s:o}", "lab", r->lab, "title", r->title,
			 "graded_as", r->label, "score", r->score, "max_score", r->max_score,
			 "counted_max_score", r->counted_max,
			 "seconds", r->seconds, "gates", gates, "why", jsonout_list(&r->why),
			 "graded_files", jsonout_list(&r->graded), "ignored_files", jsonout_list(&r->ignored));
}

int jsonout_emit(json_t *doc, FILE *out)
{
	int rc = json_dumpf(doc, out, JSON_INDENT(2));
	fputc('\n', out);
	json_decref(doc);
	return rc;
}

int jsonout_write(const struct result *r, FILE *out)
{
	return jsonout_emit(jsonout_result(r), out);
}
