/* diagnose.c: racelab diagnose FILE.c...: any small pthreads program with its own main, under the labs' gates, as hazard classes. */
#include <glob.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gate.h"
#include "jsonout.h"
#include "report.h"

enum diag_class { DC_RACE, DC_DEADLOCK, DC_HANG, DC_MEMORY, DC_LEAK, DC_COUNT };
static const char *const diag_class_names[DC_COUNT] = { "race", "deadlock", "hang", "memory", "leak" };

struct diag_finding {
	enum diag_class cls;
	int gate;
	char *kind;            /* the tool's own word: data-race, LockOrder, hang, oom, ... */
	char *explanation;     /* the gate's focused words for this kind */
	char *file;            /* the first place in the user's files it names, or NULL */
	int line;
};

struct diag {
	struct diag_finding *v;
	int n;
	int found[DC_COUNT];
	struct u_list notes;   /* what was seen but is not a hazard (and why), or could not run */
	const struct cli_opts *o;
};

/* The plain run is the labs' tests gate; for a program it is just a run. */
static const char *diag_gate_name(int gate)
{
	return gate == GATE_TESTS ? "run" : gate_names[gate];
}

/* A hazard from one record of gate g: its class, and the record's own place and words. */
static void diag_add(struct diag *dg, enum diag_class cls, int gate, const struct finding *x)
{
	dg->v = u_xrealloc(dg->v, sizeof *dg->v * (size_t)(dg->n + 1));
	struct diag_finding *d = &dg->v[dg->n++];
	*d = (struct diag_finding){ .cls = cls, .gate = gate, .kind = u_xstrdup(x->kind) };
	d->explanation = u_xstrdup(x->text ? x->text : "");
	d->file = x->file ? u_xstrdup(x->file) : NULL;
	d->line = x->line;
	dg->found[cls] = 1;
}

/* The first record of kind that gate failed on, or NULL. */
static const struct finding *diag_has(const struct result *r, int gate, const char *kind)
{
	return r->gates[gate].status == RESULT_FAIL ? findings_first(&r->gates[gate].found, kind) : NULL;
}

/* A note from a record that names no hazard class: the gate, and its words. */
static void diag_note(struct diag *dg, int gate, const struct finding *x)
{
	u_list_add(&dg->notes, u_fmt("%s: %s", diag_gate_name(gate), x->text ? x->text : x->kind));
}

/* A hang in the plain run: a mutex cycle is a deadlock, any other endless wait a hang. */
static void diag_run(struct diag *dg, const struct result *r)
{
	const struct findings *f = &r->gates[GATE_TESTS].found;
	for (int i = 0; r->gates[GATE_TESTS].status == RESULT_FAIL && i < f->n; i++) {
		const struct finding *x = &f->v[i];
		const char *hk = x->hang_kind ? x->hang_kind : "";
		if (strcmp(x->kind, "hang") == 0)
			diag_add(dg, !strcmp(hk, "deadlock") || !strcmp(hk, "self-deadlock") ? DC_DEADLOCK : DC_HANG,
				 GATE_TESTS, x);
		else
			diag_note(dg, GATE_TESTS, x);
	}
}

/*
 * Races are TSan's word. Helgrind and DRD do not understand C11 atomics and flag
 * correct atomic code (why katas 12 and 61 keep them off: docs/tools.md), so their
 * race reports count only beside TSan's, or, when TSan could not run, when both agree.
 */
static void diag_races(struct diag *dg, const struct result *r)
{
	const struct finding *tsan = diag_has(r, GATE_TSAN, "data-race");
	const struct finding *hg = diag_has(r, GATE_HELGRIND, "Race"), *drd = diag_has(r, GATE_DRD, "ConflictingAccess");
	int tsan_ran = r->gates[GATE_TSAN].status != RESULT_ERROR;
	if (tsan)
		diag_add(dg, DC_RACE, GATE_TSAN, tsan);
	if (tsan || (!tsan_ran && hg && drd)) {
		if (hg)
			diag_add(dg, DC_RACE, GATE_HELGRIND, hg);
		if (drd)
			diag_add(dg, DC_RACE, GATE_DRD, drd);
	} else if (hg || drd) {
		u_list_add(&dg->notes, u_fmt("%s%s%s reported a race that ThreadSanitizer did not see: not counted "
					     "(the Valgrind tools do not understand C11 atomics and flag correct "
					     "atomic code)", hg ? "Helgrind" : "", hg && drd ? " and " : "", drd ? "DRD" : ""));
	}
}

/* Every other tool finding that names a class; the rest become notes. */
static void diag_tools(struct diag *dg, const struct result *r)
{
	static const struct {
		int gate;
		const char *kind;
		int cls;       /* -1: already judged elsewhere */
	} map[] = {
		{ GATE_TSAN, "data-race", -1 },          { GATE_TSAN, "lock-order-inversion", DC_DEADLOCK },
		{ GATE_TSAN, "thread-leak", DC_LEAK },   { GATE_TSAN, "hang", -1 },
		{ GATE_HELGRIND, "Race", -1 },           { GATE_HELGRIND, "LockOrder", DC_DEADLOCK },
		{ GATE_HELGRIND, "hang", -1 },           { GATE_DRD, "ConflictingAccess", -1 },
		{ GATE_DRD, "hang", -1 },                { GATE_MEMCHECK, "Leak_DefinitelyLost", DC_LEAK },
		{ GATE_MEMCHECK, "hang", -1 },           { GATE_MEMORY, "heap", DC_MEMORY },
		{ GATE_MEMORY, "oom", -1 },              { GATE_MEMORY, "hang", -1 },
	};
	for (int gate = GATE_TSAN; gate <= GATE_MEMORY; gate++) {
		const struct gate_result *g = &r->gates[gate];
		if (g->status == RESULT_ERROR)
			u_list_add(&dg->notes, u_fmt("%s could not run: %s", diag_gate_name(gate), g->reason));
		for (int i = 0; g->status == RESULT_FAIL && i < g->found.n; i++) {
			const struct finding *x = &g->found.v[i];
			if (findings_first(&g->found, x->kind) != x) /* one hazard a kind and gate */
				continue;
			size_t m = 0;
			while (m < NELEM(map) && (map[m].gate != gate || strcmp(map[m].kind, x->kind)))
				m++;
			if (m == NELEM(map))
				diag_note(dg, gate, x);
			else if (map[m].cls >= 0)
				diag_add(dg, map[m].cls, gate, x);
		}
	}
	/* Out of memory under the cap counts only when the uncapped run ended well: else it fails anyway. */
	const struct finding *oom = diag_has(r, GATE_MEMORY, "oom");
	if (oom && r->gates[GATE_TESTS].status == RESULT_PASS)
		diag_add(dg, DC_MEMORY, GATE_MEMORY, oom);
}

static void diag_judge(struct diag *dg, const struct result *r)
{
	diag_run(dg, r);
	diag_races(dg, r);
	diag_tools(dg, r);
}

static json_t *diag_json(const struct diag *dg, const struct result *r)
{
	json_t *hazards = json_array(), *findings = json_array(), *verdicts = json_object(), *notes = json_array();
	for (int c = 0; c < DC_COUNT; c++) {
		if (dg->found[c])
			json_array_append_new(hazards, json_string(diag_class_names[c]));
		json_object_set_new(verdicts, diag_class_names[c], json_string(dg->found[c] ? "found" : "none seen"));
	}
	for (int i = 0; i < dg->n; i++) {
		const struct diag_finding *d = &dg->v[i];
		json_array_append_new(findings, json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "class",
			diag_class_names[d->cls], "gate", diag_gate_name(d->gate), "kind", d->kind, "explanation",
			d->explanation, "file", d->file ? json_string(d->file) : json_null(), "line",
			d->file ? json_integer(d->line) : json_null()));
	}
	for (int i = 0; i < dg->notes.n; i++)
		json_array_append_new(notes, json_string(dg->notes.v[i]));
	json_t *res = jsonout_result(r), *gates = json_object_get(res, "gates");
	json_t *files = json_array();
	for (int i = 0; i < dg->o->nargs; i++)
		json_array_append_new(files, json_string(dg->o->args[i]));
	size_t i;
	json_t *g;
	json_array_foreach(gates, i, g)
		if (!strcmp(json_string_value(json_object_get(g, "name")), "tests"))
			json_object_set_new(g, "name", json_string("run"));
	json_t *doc = json_pack("{s:o, s:o, s:o, s:o, s:o, s:O, s:f}", "files", files, "hazards", hazards,
				"findings", findings, "verdicts", verdicts, "notes", notes, "gates", gates,
				"seconds", r->seconds);
	json_decref(res);
	return doc;
}

static void diag_text(const struct diag *dg, const struct result *r)
{
	struct report_style st = { .color = u_tty(1), .verbose = 1 };
	printf("racelab diagnose: %s (%.1fs)\n", r->title, r->seconds);
	if (dg->o->verbose)
		for (int i = 0; i < r->ngates; i++)
			report_gate(stdout, r, r->order[i], &st);
	for (int i = 0; i < dg->n; i++) {
		const struct diag_finding *d = &dg->v[i];
		printf("\n%s%s%s (%s, %s)\n", report_color(RESULT_FAIL, &st), diag_class_names[d->cls], report_reset(&st),
		       diag_gate_name(d->gate), d->kind);
		report_block(stdout, d->explanation, "    ");
	}
	if (dg->notes.n)
		printf("\nnot counted as hazards:\n");
	for (int i = 0; i < dg->notes.n; i++)
		report_block(stdout, dg->notes.v[i], "  - ");
	printf("\n");
	for (int c = 0; c < DC_COUNT; c++)
		printf("  %-9s %s%s%s\n", diag_class_names[c], report_color(dg->found[c] ? RESULT_FAIL : RESULT_PASS, &st),
		       dg->found[c] ? "found" : "none seen", report_reset(&st));
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
	struct gate_opts go = { .jobs = o->jobs, .label = "your program" };
	struct result r;
	gate_grade(&lab, o->args[0], &go, &r);
	int rc;
	if (r.gates[GATE_BUILD].status != RESULT_PASS) {
		fprintf(stderr, "racelab: %s\n", r.gates[GATE_BUILD].reason);
		report_block(stderr, r.gates[GATE_BUILD].detail, "  ");
		rc = 2;
	} else {
		struct diag dg = { .o = o };
		diag_judge(&dg, &r);
		if (o->format && !strcmp(o->format, "json")) {
			json_t *doc = diag_json(&dg, &r);
			json_dumpf(doc, stdout, JSON_INDENT(2));
			fputc('\n', stdout);
			json_decref(doc);
		} else {
			diag_text(&dg, &r);
		}
		rc = 0;
		for (int c = 0; c < DC_COUNT; c++)
			rc |= dg.found[c];
		for (int i = 0; i < dg.n; i++) {
			free(dg.v[i].kind);
			free(dg.v[i].explanation);
			free(dg.v[i].file);
		}
		free(dg.v);
		u_list_free(&dg.notes);
	}
	result_free(&r);
	lab_free(&lab);
	u_rmtree(dir);
	free(dir);
	return rc;
}
