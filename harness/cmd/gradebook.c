/* gradebook.c: a class's submissions, their results files, and the gradebook made of them (grade-class, gradebook). */
#include <csv.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gradebook.h"
#include "jsonout.h"

static int gradebook_cmp(const void *a, const void *b)
{
	return strcmp(((const struct gradebook_sub *)a)->id, ((const struct gradebook_sub *)b)->id);
}

int gradebook_list(const char *dir, const char *out, struct gradebook_sub **subs)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	*subs = NULL;
	while (d && (e = readdir(d))) {
		char *src = u_fmt("%s/%s", dir, e->d_name);
		if (e->d_name[0] == '.' || !u_is_dir(src)) {
			free(src);
			continue;
		}
		*subs = u_xrealloc(*subs, sizeof **subs * (size_t)(n + 1));
		(*subs)[n++] = (struct gradebook_sub){ .id = u_xstrdup(e->d_name), .src = src,
			.json = u_fmt("%s/%s.json", out, e->d_name), .log = u_fmt("%s/%s.log", out, e->d_name) };
	}
	if (d)
		closedir(d);
	if (n)
		qsort(*subs, (size_t)n, sizeof **subs, gradebook_cmp);
	return d ? n : -1;
}

/* When the grading itself failed: results that say so, every gate an error, score 0 (and its file, unless read_only). */
static json_t *gradebook_failed(const struct lab *lab, const struct gradebook_sub *s)
{
	struct result r = { .lab = u_xstrdup(lab->id), .title = u_xstrdup(lab->title), .label = u_xstrdup(s->id) };
	for (int g = 0; g < GATE_COUNT; g++) {
		r.gates[g].id = g;
		if (!lab->enabled[g])
			continue;
		r.order[r.ngates++] = g;
		r.gates[g].status = RESULT_ERROR;
		r.gates[g].reason = u_xstrdup(s->error);
	}
	result_score(&r, lab->points);
	json_t *doc = jsonout_result(&r);
	json_object_set_new(doc, "error", json_string(s->error));
	json_object_set_new(doc, "submission", json_string(s->id));
	char *text = s->read_only ? NULL : json_dumps(doc, JSON_INDENT(2));
	if (text)
		u_write_file(s->json, text, strlen(text));
	free(text);
	result_free(&r);
	return doc;
}

/* The submission's results, from its file (rewritten when the grading failed). */
static json_t *gradebook_results(const struct lab *lab, struct gradebook_sub *s)
{
	json_error_t err;
	char *text = s->error ? NULL : u_slurp(s->json, NULL); /* read by racelab: opened close-on-exec */
	json_t *doc = text ? json_loads(text, 0, &err) : NULL;
	if (!text && !s->error)
		snprintf(err.text, sizeof err.text, "cannot read %s", s->json);
	free(text);
	if (!doc && !s->error)
		s->error = u_fmt("the grader wrote no results (%s)", err.text);
	return doc ? doc : gradebook_failed(lab, s);
}

/* Numbers, marks and gate names as they are; a folder name quoted when it needs to be. */
static void gradebook_field(FILE *f, const char *v, int last)
{
	if (strpbrk(v, ",\"\r\n"))
		csv_fwrite(f, v, strlen(v));
	else
		fputs(v, f);
	fputc(last ? '\n' : ',', f);
}

/* pass, fail or error: a gate that was not run (the build failed) counts as failed. */
static const char *gradebook_mark(json_t *gates, const char *name)
{
	size_t i;
	json_t *g;
	json_array_foreach(gates, i, g)
		if (!strcmp(json_string_value(json_object_get(g, "name")) ?: "", name)) {
			const char *st = json_string_value(json_object_get(g, "status")) ?: "error";
			return !strcmp(st, "skip") ? "fail" : st;
		}
	return "error";
}

/* Time is the only column that varies between two gradings of the same folder. */
int gradebook_write(const struct lab *lab, struct gradebook_sub *subs, int n, const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "we") : stdout;
	if (!f) {
		perror(path);
		return -1;
	}
	gradebook_field(f, "id", 0);
	gradebook_field(f, "score", 0);
	gradebook_field(f, "max_score", 0);
	for (int g = 0; g < GATE_COUNT; g++)
		if (lab->enabled[g])
			gradebook_field(f, gate_names[g], 0);
	gradebook_field(f, "seconds", 1);
	for (int i = 0; i < n; i++) {
		struct gradebook_sub *s = &subs[i];
		json_t *doc = gradebook_results(lab, s);
		char num[32];
		gradebook_field(f, s->id, 0);
		/* A score is fractional when a gate could not run (docs/grading.md): 4 digits keep it exact enough. */
		snprintf(num, sizeof num, "%.4g", json_number_value(json_object_get(doc, "score")));
		gradebook_field(f, num, 0);
		snprintf(num, sizeof num, "%.4g", json_number_value(json_object_get(doc, "max_score")));
		gradebook_field(f, num, 0);
		for (int g = 0; g < GATE_COUNT; g++)
			if (lab->enabled[g])
				gradebook_field(f, gradebook_mark(json_object_get(doc, "gates"), gate_names[g]), 0);
		snprintf(num, sizeof num, "%.1f", s->seconds);
		gradebook_field(f, num, 1);
		json_decref(doc);
	}
	return f == stdout ? fflush(f) : fclose(f);
}

void gradebook_free(struct gradebook_sub *subs, int n)
{
	for (int i = 0; i < n; i++) {
		free(subs[i].id);
		free(subs[i].src);
		free(subs[i].json);
		free(subs[i].log);
		free(subs[i].error);
	}
	free(subs);
}
