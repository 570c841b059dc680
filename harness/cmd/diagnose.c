/* diagnose.c: racelab diagnose FILE.c...: any small pthreads program with its own main, under the labs' gates, as hazard classes. */
#include <glob.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "cli.h"
#include "gate.h"
#include "hazard.h"
#include "jsonout.h"
#include "report.h"

/* What diagnose keeps beside the grading: the user's options, and what the binaries say. */
struct diag {
	const struct cli_opts *o;
	const struct lab *lab;
	struct acc_program acc;
	int read_binary;       /* acc holds what acc_scan read (or why it could not) */
};

/* The plain run is the labs' tests gate; for a program it is just a run. */
static const char *diag_gate_name(int gate)
{
	return gate == GATE_TESTS ? "run" : gate_names[gate];
}

/* gate_opts.on_done: while the binaries exist, read them if a race needs their word (access.h). */
static void diag_on_done(const struct result *r, const char *work, const struct src_ctx *src, void *user)
{
	struct diag *dg = user;
	if (!hz_needs_binary(r))
		return;
	acc_scan(dg->lab, work, src, &dg->acc);
	dg->read_binary = 1;
}

/* A hazard's explanation: the tool's words (what a misuse means among them), and how it was judged. */
static char *diag_explain(const struct hz_item *it)
{
	struct u_buf b = { 0 };
	u_buf_add(&b, it->x->text ? it->x->text : it->x->kind);
	if (it->why)
		u_buf_addf(&b, "%s  (counted: %s)\n", b.len && b.s[b.len - 1] != '\n' ? "\n" : "", it->why);
	return u_buf_take(&b);
}

static const char *diag_verdict(const struct hz_report *h, int c)
{
	return h->found[c] ? "found" : h->unjudged[c] ? "no verdict" : "none seen";
}

static json_t *diag_json(const struct diag *dg, const struct hz_report *h, const struct result *r)
{
	json_t *hazards = json_array(), *findings = json_array(), *verdicts = json_object(), *notes = json_array();
	json_t *gaps = json_array();
	for (int c = 0; c < HZ_COUNT; c++) {
		if (h->found[c])
			json_array_append_new(hazards, json_string(hz_class_names[c]));
		json_object_set_new(verdicts, hz_class_names[c], json_string(diag_verdict(h, c)));
	}
	for (int i = 0; i < h->n; i++) {
		const struct hz_item *it = &h->v[i];
		char *ex = diag_explain(it);
		json_array_append_new(findings, json_pack("{s:s, s:s, s:s, s:o, s:s, s:o, s:o, s:o}", "class",
			hz_class_names[it->cls], "gate", diag_gate_name(it->gate), "kind", it->x->kind, "misuse",
			it->x->misuse ? json_string(it->x->misuse) : json_null(), "explanation", ex, "file",
			it->x->file ? json_string(it->x->file) : json_null(), "line",
			it->x->file ? json_integer(it->x->line) : json_null(), "why",
			it->why ? json_string(it->why) : json_null()));
		free(ex);
	}
	for (int i = 0; i < h->ngaps; i++)
		json_array_append_new(gaps, json_pack("{s:s, s:s, s:s}", "gate", diag_gate_name(h->gaps[i].gate), "on",
						      h->gaps[i].on, "reason", h->gaps[i].reason));
	for (int i = 0; i < h->notes.n; i++)
		json_array_append_new(notes, json_string(h->notes.v[i]));
	json_t *res = jsonout_result(r), *gates = json_object_get(res, "gates");
	json_t *files = json_array();
	for (int i = 0; i < dg->o->nargs; i++)
		json_array_append_new(files, json_string(dg->o->args[i]));
	size_t i;
	json_t *g;
	json_array_foreach(gates, i, g)
		if (!strcmp(json_string_value(json_object_get(g, "name")), "tests"))
			json_object_set_new(g, "name", json_string("run"));
	const char *warnings = r->gates[GATE_BUILD].detail ? r->gates[GATE_BUILD].detail : "";
	json_t *doc = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:O, s:f}", "files", files, "hazards", hazards,
				"findings", findings, "verdicts", verdicts, "no_verdict", gaps, "notes", notes,
				"warnings", warnings, "gates", gates, "seconds", r->seconds);
	json_decref(res);
	return doc;
}

static void diag_text(const struct diag *dg, const struct hz_report *h, const struct result *r)
{
	struct report_style st = { .color = u_tty(1), .verbose = 1 };
	printf("racelab diagnose: %s (%.1fs)\n", r->title, r->seconds);
	if (r->gates[GATE_BUILD].detail && *r->gates[GATE_BUILD].detail) {
		printf("\nwarnings (gcc -Wall -Wextra; not fatal):\n");
		report_block(stdout, r->gates[GATE_BUILD].detail, "  ");
	}
	if (dg->o->verbose)
		for (int i = 0; i < r->ngates; i++)
			report_gate(stdout, r, r->order[i], &st);
	for (int i = 0; i < h->n; i++) {
		const struct hz_item *it = &h->v[i];
		char *ex = diag_explain(it);
		printf("\n%s%s%s (%s, %s%s%s)\n", report_color(RESULT_FAIL, &st), hz_class_names[it->cls], report_reset(&st),
		       diag_gate_name(it->gate), it->x->kind, it->x->misuse ? ": " : "", it->x->misuse ? it->x->misuse : "");
		report_block(stdout, ex, "    ");
		free(ex);
	}
	if (h->ngaps)
		printf("\nno verdict:\n");
	for (int i = 0; i < h->ngaps; i++) {
		char *line = u_fmt("%s (%s): %s", diag_gate_name(h->gaps[i].gate), h->gaps[i].on, h->gaps[i].reason);
		report_block(stdout, line, "  - ");
		free(line);
	}
	if (h->notes.n)
		printf("\nnot counted as hazards:\n");
	for (int i = 0; i < h->notes.n; i++)
		report_block(stdout, h->notes.v[i], "  - ");
	printf("\n");
	for (int c = 0; c < HZ_COUNT; c++)
		printf("  %-9s %s%s%s\n", hz_class_names[c],
		       report_color(h->found[c] ? RESULT_FAIL : h->unjudged[c] ? RESULT_ERROR : RESULT_PASS, &st), diag_verdict(h, c),
		       report_reset(&st));
}

/* The user's files, and the headers beside them, in one folder the build reads as the "lab". */
static char *diag_folder(const struct cli_opts *o)
{
	char *dir = u_mkdtemp("diagnose");
	if (!dir)
		return NULL;
	glob_t hs = { 0 };
	for (int i = 0; i < o->nargs; i++) {
		char *pat = u_fmt("%.*s*.h", (int)(u_basename(o->args[i]) - o->args[i]), o->args[i]);
		glob(pat, hs.gl_pathc ? GLOB_APPEND : 0, NULL, &hs);
		free(pat);
	}
	for (size_t i = 0; i < hs.gl_pathc + (size_t)o->nargs; i++) {
		const char *from = i < hs.gl_pathc ? hs.gl_pathv[i] : o->args[i - hs.gl_pathc];
		char *to = u_fmt("%s/%s", dir, u_basename(from));
		u_copy_file(from, to);
		free(to);
	}
	globfree(&hs);
	return dir;
}

static int diag_usage(const struct cli_opts *o)
{
	if (o->nargs < 1) {
		fputs("racelab: diagnose needs one or more FILE.c (one of them with main)\n", stderr);
		return -1;
	}
	if (o->format && strcmp(o->format, "json") && strcmp(o->format, "text")) {
		fprintf(stderr, "racelab: unknown format '%s' (json or text)\n", o->format);
		return -1;
	}
	for (int i = 0; i < o->nargs; i++) {
		size_t n = strlen(o->args[i]);
		if (n < 3 || strcmp(o->args[i] + n - 2, ".c") || !u_exists(o->args[i])) {
			fprintf(stderr, "racelab: %s is not a readable .c file\n", o->args[i]);
			return -1;
		}
		for (int j = 0; j < i; j++)
			if (!strcmp(u_basename(o->args[i]), u_basename(o->args[j]))) {
				fprintf(stderr, "racelab: two files named %s\n", u_basename(o->args[i]));
				return -1;
			}
	}
	return 0;
}

/* A lab made up for the program: its own main, its own timeout, the gates that find hazards. */
static void diag_lab(const struct cli_opts *o, const char *dir, struct lab *lab)
{
	memset(lab, 0, sizeof *lab);
	lab->id = u_xstrdup("diagnose");
	lab->dir = u_xstrdup(dir);
	lab->soldir = u_xstrdup(dir);
	lab->edit = u_xstrdup(u_basename(o->args[0]));
	struct u_list names = { 0 };
	for (int i = 0; i < o->nargs; i++)
		u_list_add(&names, u_xstrdup(u_basename(o->args[i])));
	lab->title = u_list_join(&names, " ");
	u_list_free(&names);
	lab->own_main = 1;
	lab->run_args = o->run_args ? u_xstrdup(o->run_args) : NULL;
	lab->timeout_s = o->timeout > 0 ? o->timeout : 5;
	/* Without --heap-max-kb only the capped run judges memory. */
	lab->heap_max_kb = o->heap_max_kb > 0 ? o->heap_max_kb : LONG_MAX / 1024;
	lab->memory_cap_mb = 256;
	static const int gates[] = { GATE_BUILD, GATE_TESTS, GATE_TSAN, GATE_HELGRIND, GATE_DRD, GATE_MEMCHECK, GATE_MEMORY };
	for (size_t i = 0; i < NELEM(gates); i++)
		lab->enabled[gates[i]] = lab->points[gates[i]] = 1;
}

int diag_cmd(const struct cli_opts *o)
{
	if (diag_usage(o) != 0)
		return 2;
	char *dir = diag_folder(o);
	if (!dir) {
		perror("racelab: a temporary folder for diagnose");
		return 2;
	}
	struct lab lab;
	diag_lab(o, dir, &lab);
	struct diag dg = { .o = o, .lab = &lab };
	struct gate_opts go = { .jobs = o->jobs, .label = "your program", .on_done = diag_on_done, .user = &dg };
	struct result r;
	gate_grade(&lab, o->args[0], &go, &r);
	int rc;
	if (r.gates[GATE_BUILD].status != RESULT_PASS) {
		fprintf(stderr, "racelab: %s\n", r.gates[GATE_BUILD].reason);
		report_block(stderr, r.gates[GATE_BUILD].detail, "  ");
		rc = 2;
	} else {
		struct hz_report h;
		hz_judge(&r, dg.read_binary ? &dg.acc : NULL, &h);
		if (o->format && !strcmp(o->format, "json")) {
			json_t *doc = diag_json(&dg, &h, &r);
			json_dumpf(doc, stdout, JSON_INDENT(2));
			fputc('\n', stdout);
			json_decref(doc);
		} else {
			diag_text(&dg, &h, &r);
		}
		/* 1: a hazard; 2: none, but a run ended with no verdict (never a clean bill); 0: clean. */
		rc = h.whole_gaps ? 2 : 0;
		for (int c = 0; c < HZ_COUNT; c++)
			rc = h.found[c] ? 1 : rc;
		hz_free(&h);
	}
	acc_free(&dg.acc);
	result_free(&r);
	lab_free(&lab);
	u_rmtree(dir);
	free(dir);
	return rc;
}
