/* tap.c: the result as TAP 14, its YAML diagnostics written by libyaml's emitter. */
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "fmt.h"
#include "tap.h"

static int tap_collect(void *data, unsigned char *buf, size_t size)
{
	struct u_buf *b = data;
	u_buf_addf(b, "%.*s", (int)size, (const char *)buf);
	return 1;
}

static int tap_scalar(yaml_emitter_t *e, const char *value, yaml_scalar_style_t style)
{
	yaml_event_t ev;
	yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)value, (int)strlen(value), 1, 1, style);
	return yaml_emitter_emit(e, &ev);
}

void tap_yaml(FILE *out, const char *pad, const char *const *kv)
{
	yaml_emitter_t e;
	yaml_event_t ev;
	struct u_buf b = { 0 };
	yaml_emitter_initialize(&e);
	yaml_emitter_set_output(&e, tap_collect, &b);
	yaml_emitter_set_unicode(&e, 1);
	yaml_emitter_set_width(&e, -1);
	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	int ok = yaml_emitter_emit(&e, &ev);
	yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 0);
	ok = ok && yaml_emitter_emit(&e, &ev);
	yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
	ok = ok && yaml_emitter_emit(&e, &ev);
	for (int i = 0; ok && kv[i]; i += 2)
		ok = tap_scalar(&e, kv[i], YAML_PLAIN_SCALAR_STYLE) &&
		     tap_scalar(&e, kv[i + 1], strchr(kv[i + 1], '\n') ? YAML_LITERAL_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE);
	yaml_mapping_end_event_initialize(&ev);
	ok = ok && yaml_emitter_emit(&e, &ev);
	yaml_document_end_event_initialize(&ev, 0);
	ok = ok && yaml_emitter_emit(&e, &ev);
	yaml_stream_end_event_initialize(&ev);
	ok = ok && yaml_emitter_emit(&e, &ev);
	yaml_emitter_delete(&e);
	char *text = u_buf_take(&b);
	for (const char *p = text; ok && *p; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] == '\n'))
		fprintf(out, "%s%.*s\n", pad, (int)strcspn(p, "\n"), p);
	free(text);
}

/* TAP 14 escapes '#' and '\' in a description or a directive's reason. */
static void tap_escaped(FILE *out, const char *s)
{
	for (; s && *s && *s != '\n'; s++)
		fprintf(out, "%s%c", *s == '#' || *s == '\\' ? "\\" : "", *s);
}

void tap_point(FILE *out, const char *pad, int ok, int n, const char *desc, const char *skip)
{
	fprintf(out, "%s%s %d - ", pad, ok ? "ok" : "not ok", n);
	tap_escaped(out, desc);
	if (skip) {
		fputs(" # SKIP ", out);
		tap_escaped(out, skip);
	}
	fputc('\n', out);
}

/* The suite's tests, one by one, as a subtest (4 spaces in) before the gate's own line. */
static void tap_cases(FILE *out, const struct gate_result *g)
{
	fprintf(out, "# Subtest: %s\n    1..%d\n", gate_names[g->id], g->ncases);
	for (int c = 0; c < g->ncases; c++) {
		const struct test_case *t = &g->cases[c];
		tap_point(out, "    ", t->status == RESULT_PASS, c + 1, t->name, NULL);
		if (t->status != RESULT_PASS)
			tap_yaml(out, "      ", (const char *const[]){ "reason", t->message, NULL });
	}
}

static void tap_gate(FILE *out, int n, const struct gate_result *g)
{
	if (g->ncases)
		tap_cases(out, g);
	char *skip = g->status == RESULT_ERROR ? u_fmt("could not run on the grading machine, not counted: %s", g->reason)
					   : NULL;
	tap_point(out, "", g->status == RESULT_PASS || g->status == RESULT_ERROR, n, gate_names[g->id], skip);
	free(skip);
	if (g->status == RESULT_PASS)
		return;
	char *points = u_fmt("%d", g->points), *max = u_fmt("%d", g->max_points);
	tap_yaml(out, "  ", (const char *const[]){ "status", status_names[g->status], "reason",
						  g->reason ? g->reason : "", "detail", g->detail ? g->detail : "",
						  "points", points, "max_points", max, NULL });
	free(points);
	free(max);
}

int tap_write(const struct result *r, FILE *out)
{
	fprintf(out, "TAP version 14\n1..%d\n", r->ngates);
	char *summary = fmt_summary(r), *save = NULL;
	for (char *line = strtok_r(summary, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		fprintf(out, "# %s\n", line);
	free(summary);
	for (int i = 0; i < r->ngates; i++)
		tap_gate(out, i + 1, &r->gates[r->order[i]]);
	return ferror(out) ? -1 : 0;
}
