/* diagnose.c: racelab diagnose FILE.c...: any small pthreads program with its own main, under the labs' gates, as hazard classes. */
#include <glob.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gate.h"
#include "json.h"
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
	const struct opts *o;
};

/* The plain run is the labs' tests gate; for a program it is just a run. */
static const char *diag_gate_name(int gate)
{
	return gate == G_TESTS ? "run" : gate_names[gate];
}

/* The line that starts a gate's words on kind: "ThreadSanitizer: data race", "Valgrind: Race"; NULL: all of them. */
static char *diag_headline(int gate, const char *kind)
{
	if (gate == G_TSAN)
		return u_fmt("ThreadSanitizer: %s", kind);
	if (gate == G_HELGRIND || gate == G_DRD || gate == G_MEMCHECK)
		return u_fmt("Valgrind: %s", kind);
	if (gate == G_MEMORY && strcmp(kind, "hang") != 0)
		return u_xstrdup(strcmp(kind, "heap") == 0 ? "peak heap" : "under a");
	return NULL;
}

/* The block of a gate's detail that reports kind (up to the next line that is not indented); else all of it. */
static char *diag_block(const char *detail, int gate, const char *kind)
{
	const char *p = detail ? detail : "", *start = NULL;
	char *head = diag_headline(gate, kind);
	size_t k = head ? strlen(head) : 0;
	while (head && *p) {
		size_t n = strcspn(p, "\n");
		if (*p != ' ' && start)
			break;
		int same = *p != ' ' && !start && k <= n;
		for (size_t i = 0; same && i < k; i++)  /* kind data-race, headline "data race" */
			same = p[i] == head[i] || (p[i] == ' ' && head[i] == '-');
		if (same)
			start = p;
		p += n + (p[n] == '\n');
	}
	free(head);
	return start ? u_fmt("%.*s", (int)(p - start), start) : u_xstrdup(detail ? detail : "");
}

/* The earliest "name.c:NN" of one of the user's files in text. */
static void diag_place(const struct opts *o, const char *text, struct diag_finding *d)
{
	const char *best = NULL;
	for (int i = 0; i < o->nargs; i++) {
		const char *base = u_basename(o->args[i]);
		size_t n = strlen(base);
		for (const char *p = strstr(text, base); p; p = strstr(p + 1, base))
			if (p[n] == ':' && p[n + 1] >= '0' && p[n + 1] <= '9' && (!best || p < best)) {
				best = p;
				free(d->file);
				d->file = u_xstrdup(base);
				d->line = atoi(p + n + 1);
				break;
			}
	}
}

static void diag_add(struct diag *dg, enum diag_class cls, const struct gate_result *g, const char *kind)
{
	dg->v = u_xrealloc(dg->v, sizeof *dg->v * (size_t)(dg->n + 1));
	struct diag_finding *d = &dg->v[dg->n++];
	*d = (struct diag_finding){ .cls = cls, .gate = g->id, .kind = u_xstrdup(kind) };
	d->explanation = diag_block(g->detail, g->id, kind);
	diag_place(dg->o, d->explanation, d);
	dg->found[cls] = 1;
}

static int diag_has(const struct result *r, int gate, const char *kind)
{
	return r->gates[gate].status == ST_FAIL && u_list_has(&r->gates[gate].kinds, kind);
}

/* A hang in the plain run: a mutex cycle is a deadlock, any other endless wait a hang. */
static void diag_run(struct diag *dg, const struct result *r)
{
	const struct gate_result *g = &r->gates[G_TESTS];
	if (diag_has(r, G_TESTS, "hang")) {
		int cycle = g->detail && (strstr(g->detail, "Deadlock, a cycle") || strstr(g->detail, "Self-deadlock"));
		diag_add(dg, cycle ? DC_DEADLOCK : DC_HANG, g, "hang");
	}
	for (int i = 0; i < g->kinds.n; i++)
		if (strcmp(g->kinds.v[i], "hang") != 0)
			u_list_add(&dg->notes, u_fmt("run: %s", g->detail ? g->detail : g->kinds.v[i]));
}

/*
 * Races are TSan's word. Helgrind and DRD do not understand C11 atomics and
 * flag correct atomic code (DETECTION.md), so their race reports count only
 * beside TSan's, or, when TSan could not run, when both of them agree.
 */
static void diag_races(struct diag *dg, const struct result *r)
{
	int tsan = diag_has(r, G_TSAN, "data-race");
	int hg = diag_has(r, G_HELGRIND, "Race"), drd = diag_has(r, G_DRD, "ConflictingAccess");
	int tsan_ran = r->gates[G_TSAN].status != ST_ERROR;
	if (tsan)
		diag_add(dg, DC_RACE, &r->gates[G_TSAN], "data-race");
	if (tsan || (!tsan_ran && hg && drd)) {
		if (hg)
			diag_add(dg, DC_RACE, &r->gates[G_HELGRIND], "Race");
		if (drd)
			diag_add(dg, DC_RACE, &r->gates[G_DRD], "ConflictingAccess");
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
		{ G_TSAN, "data-race", -1 },          { G_TSAN, "lock-order-inversion", DC_DEADLOCK },
		{ G_TSAN, "thread-leak", DC_LEAK },   { G_TSAN, "hang", -1 },
		{ G_HELGRIND, "Race", -1 },           { G_HELGRIND, "LockOrder", DC_DEADLOCK },
		{ G_HELGRIND, "hang", -1 },           { G_DRD, "ConflictingAccess", -1 },
		{ G_DRD, "hang", -1 },                { G_MEMCHECK, "Leak_DefinitelyLost", DC_LEAK },
		{ G_MEMCHECK, "hang", -1 },           { G_MEMORY, "heap", DC_MEMORY },
		{ G_MEMORY, "oom", -1 },              { G_MEMORY, "hang", -1 },
	};
	for (int gate = G_TSAN; gate <= G_MEMORY; gate++) {
		const struct gate_result *g = &r->gates[gate];
		if (g->status == ST_ERROR)
			u_list_add(&dg->notes, u_fmt("%s could not run: %s", diag_gate_name(gate), g->reason));
		for (int i = 0; g->status == ST_FAIL && i < g->kinds.n; i++) {
			size_t m = 0;
			while (m < sizeof map / sizeof *map && (map[m].gate != gate || strcmp(map[m].kind, g->kinds.v[i])))
				m++;
			if (m == sizeof map / sizeof *map) {
				char *block = diag_block(g->detail, gate, g->kinds.v[i]);
				u_list_add(&dg->notes, u_fmt("%s: %s", diag_gate_name(gate), block));
				free(block);
			} else if (map[m].cls >= 0) {
				diag_add(dg, map[m].cls, g, g->kinds.v[i]);
			}
		}
	}
	/* Out of memory under the cap counts only when the uncapped run ended well: else it fails anyway. */
	if (diag_has(r, G_MEMORY, "oom") && r->gates[G_TESTS].status == ST_PASS)
		diag_add(dg, DC_MEMORY, &r->gates[G_MEMORY], "oom");
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
	json_t *res = json_result(r), *gates = json_object_get(res, "gates");
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

/* Indent every line of text by pad. */
static void diag_block_print(const char *text, const char *pad)
{
	for (const char *p = text; p && *p;) {
		size_t n = strcspn(p, "\n");
		printf("%s%.*s\n", pad, (int)n, p);
		p += n + (p[n] == '\n');
	}
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
		printf("\n%s%s%s (%s, %s)\n", report_color(ST_FAIL, &st), diag_class_names[d->cls], report_reset(&st),
		       diag_gate_name(d->gate), d->kind);
		diag_block_print(d->explanation, "    ");
	}
	if (dg->notes.n)
		printf("\nnot counted as hazards:\n");
	for (int i = 0; i < dg->notes.n; i++)
		diag_block_print(dg->notes.v[i], "  - ");
	printf("\n");
	for (int c = 0; c < DC_COUNT; c++)
		printf("  %-9s %s%s%s\n", diag_class_names[c], report_color(dg->found[c] ? ST_FAIL : ST_PASS, &st),
		       dg->found[c] ? "found" : "none seen", report_reset(&st));
}

/* The user's files, and the headers beside them, in one folder the build reads as the "lab". */
static char *diag_folder(const struct opts *o)
{
	char *dir = u_mkdtemp("diagnose");
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

static int diag_usage(const struct opts *o)
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
static void diag_lab(const struct opts *o, const char *dir, struct lab *lab)
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
	lab->prog_args = o->prog_args ? u_xstrdup(o->prog_args) : NULL;
	lab->timeout_s = o->timeout > 0 ? o->timeout : 5;
	/* Without --heap-max-kb only the capped run judges memory. */
	lab->heap_max_kb = o->heap_max_kb > 0 ? o->heap_max_kb : LONG_MAX / 1024;
	lab->memory_cap_mb = 256;
	static const int gates[] = { G_BUILD, G_TESTS, G_TSAN, G_HELGRIND, G_DRD, G_MEMCHECK, G_MEMORY };
	for (size_t i = 0; i < sizeof gates / sizeof *gates; i++)
		lab->enabled[gates[i]] = lab->points[gates[i]] = 1;
}

int diag_cmd(const struct opts *o)
{
	if (diag_usage(o) != 0)
		return 2;
	char *dir = diag_folder(o);
	struct lab lab;
	diag_lab(o, dir, &lab);
	struct gate_opts go = { .jobs = o->jobs, .label = "your program" };
	struct result r;
	gate_grade(&lab, o->args[0], &go, &r);
	int rc;
	if (r.gates[G_BUILD].status != ST_PASS) {
		fprintf(stderr, "racelab: %s\n", r.gates[G_BUILD].reason);
		diag_block_print(r.gates[G_BUILD].detail, "  ");
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
