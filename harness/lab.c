/* lab.c: find labs and read lab.ini (with inih, Debian's libinih). */
#include <dirent.h>
#include <ini.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lab.h"

const char *lab_root(void)
{
	static char root[PATH_MAX];
	if (root[0])
		return root;
	const char *env = getenv("RACELAB_ROOT");
	if (env && *env) {
		snprintf(root, sizeof root, "%s", env);
		return root;
	}
	/* bin/racelab lives one folder below the top: strip "/bin/racelab". */
	ssize_t n = readlink("/proc/self/exe", root, sizeof root - 1);
	if (n <= 0) {
		snprintf(root, sizeof root, ".");
		return root;
	}
	root[n] = '\0';
	for (int i = 0; i < 2; i++) {
		char *slash = strrchr(root, '/');
		if (slash)
			*slash = '\0';
	}
	return root;
}

static int lab_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* In name order. An empty list has no array (NULL), which qsort must not be given. */
static void lab_sort(struct u_list *l)
{
	if (l->n > 1)
		qsort(l->v, (size_t)l->n, sizeof *l->v, lab_cmp);
}

void lab_all(struct u_list *ids)
{
	char *dir = u_fmt("%s/labs", lab_root());
	DIR *d = opendir(dir);
	free(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)))
		if (strlen(e->d_name) > 3 && e->d_name[0] >= '0' && e->d_name[0] <= '9' &&
		    e->d_name[1] >= '0' && e->d_name[1] <= '9' && e->d_name[2] == '-')
			u_list_add(ids, u_xstrdup(e->d_name));
	closedir(d);
	lab_sort(ids);
}

/* "11" or "11-lost-update" (or a path ending in it) -> the folder's name. */
static char *lab_resolve(const char *name)
{
	/* "labs/11-lost-update/" names its last part; "" and "/" name no lab. */
	size_t len = strlen(name);
	while (len > 0 && name[len - 1] == '/')
		len--;
	char *path = u_fmt("%.*s", (int)len, name);
	const char *base = u_basename(path);
	struct u_list ids = { 0 };
	lab_all(&ids);
	char *found = NULL;
	for (int i = 0; i < ids.n && !found; i++)
		if (strcmp(ids.v[i], base) == 0 ||
		    (strlen(base) == 2 && strncmp(ids.v[i], base, 2) == 0))
			found = u_xstrdup(ids.v[i]);
	u_list_free(&ids);
	free(path);
	return found;
}

/* A text value. inih hands an indented continuation line over as the same key again: append it. */
static void lab_text(char **slot, const char *value)
{
	char *prev = *slot;
	*slot = prev ? u_fmt("%s %s", prev, value) : u_xstrdup(value);
	free(prev);
}

static int lab_ini_entry(void *user, const char *section, const char *key, const char *value)
{
	struct lab *lab = user;
	int g = gate_from_name(key);
	if (strcmp(section, "lab") == 0) {
		if (strcmp(key, "title") == 0)
			lab_text(&lab->title, value);
		else if (strcmp(key, "track") == 0)
			lab_text(&lab->track, value);
		else if (strcmp(key, "concepts") == 0)
			lab_text(&lab->concepts, value);
		else if (strcmp(key, "difficulty") == 0)
			lab->difficulty = atoi(value);
		else if (strcmp(key, "edit") == 0) { /* a file name: the last one given */
			free(lab->edit);
			lab->edit = u_xstrdup(value);
		} else
			return 0;
	} else if (strcmp(section, "gates") == 0) {
		if (g < 0)
			return 0;
		lab->enabled[g] = 1;
		lab->points[g] = atoi(value);
	} else if (strcmp(section, "limits") == 0) {
		if (strcmp(key, "timeout_s") == 0)
			lab->timeout_s = atof(value);
		else if (strcmp(key, "heap_max_kb") == 0)
			lab->heap_max_kb = atol(value);
		else if (strcmp(key, "memory_cap_mb") == 0)
			lab->memory_cap_mb = atol(value);
		else if (strcmp(key, "stress_runs") == 0)
			lab->stress_runs = atoi(value);
		else if (strcmp(key, "tool_scale") == 0 && atol(value) > 0)
			lab->tool_scale = atol(value);
		else if (strcmp(key, "cpu_max_ratio") == 0)
			lab->cpu_max_ratio = atof(value);
		else if (strcmp(key, "wakeups_max") == 0)
			lab->wakeups_max = atol(value);
		else if (strcmp(key, "sched_budget") == 0 && atol(value) > 0)
			lab->sched_budget = atol(value);
		else if (strcmp(key, "sched_seconds") == 0 && atof(value) > 0)
			lab->sched_seconds = atof(value);
		else
			return 0;
	} else if (strcmp(section, "broken") == 0 || strcmp(section, "explain") == 0) {
		if (g < 0)
			return 0;
		char **slot = section[0] == 'b' ? &lab->broken[g] : &lab->explain[g];
		free(*slot);
		*slot = u_xstrdup(value);
	} else if (strcmp(section, "wrong") == 0) {
		u_list_add(&lab->wrong_names, u_xstrdup(key));
		u_list_add(&lab->wrong_expect, u_xstrdup(value));
	} else if (strcmp(section, "hint_fixes") == 0) {
		/* For harness/tests/hints.t.sh, which grades those files; racelab itself only checks the key. */
		int n = atoi(key);
		if (n < 1 || n > LAB_MAX_HINTS)
			return 0;
	} else if (strcmp(section, "hints") == 0) {
		int n = atoi(key);
		if (n < 1 || n > LAB_MAX_HINTS)
			return 0;
		lab_text(&lab->hints[n - 1], value);
		if (n > lab->nhints)
			lab->nhints = n;
	} else {
		return 0;
	}
	return 1;
}

int lab_load(const char *name, struct lab *lab, char *err, size_t errlen)
{
	memset(lab, 0, sizeof *lab);
	lab->timeout_s = 10;
	lab->heap_max_kb = 1024;
	lab->memory_cap_mb = 256;
	lab->stress_runs = 3;
	lab->cpu_max_ratio = 0.5;
	lab->wakeups_max = 500;
	lab->sched_budget = 1000;
	lab->sched_seconds = 2;

	lab->id = lab_resolve(name);
	if (!lab->id) {
		snprintf(err, errlen, "no lab named '%s' (racelab list shows them)", name);
		return -1;
	}
	lab->dir = u_fmt("%s/labs/%s", lab_root(), lab->id);
	lab->soldir = u_fmt("%s/solutions/%s", lab_root(), lab->id);
	char *ini = u_fmt("%s/lab.ini", lab->dir);
	char *text = u_slurp(ini, NULL); /* read by racelab: its files are opened close-on-exec */
	int line = text ? ini_parse_string(text, lab_ini_entry, lab) : -1;
	free(text);
	free(ini);
	if (line != 0) {
		snprintf(err, errlen, "%s/lab.ini: %s", lab->id,
			 line < 0 ? "cannot be read"
				  : "unknown section or key, or a line longer than 200 characters "
				    "(go on with a long value on an indented next line)");
		if (line > 0)
			snprintf(err + strlen(err), errlen - strlen(err), " on line %d", line);
		return -1;
	}
	if (!lab->edit || strchr(lab->edit, '/') || strchr(lab->edit, ',')) {
		snprintf(err, errlen, "%s/lab.ini: [lab] edit must name the one file the learner edits", lab->id);
		return -1;
	}
	if (!lab->title)
		lab->title = u_xstrdup(lab->id);
	return 0;
}

void lab_free(struct lab *lab)
{
	free(lab->id);
	free(lab->dir);
	free(lab->soldir);
	free(lab->title);
	free(lab->track);
	free(lab->concepts);
	free(lab->edit);
	free(lab->run_args);
	for (int g = 0; g < GATE_COUNT; g++) {
		free(lab->broken[g]);
		free(lab->explain[g]);
	}
	for (int i = 0; i < LAB_MAX_HINTS; i++)
		free(lab->hints[i]);
	u_list_free(&lab->wrong_names);
	u_list_free(&lab->wrong_expect);
	memset(lab, 0, sizeof *lab);
}

char *lab_shipped(const struct lab *lab)
{
	return u_fmt("%s/.shipped/%s", lab->dir, lab->edit);
}

const char *lab_wrong_expect(const struct lab *lab, const char *file)
{
	size_t n = strlen(file) > 2 && !strcmp(file + strlen(file) - 2, ".c") ? strlen(file) - 2 : strlen(file);
	for (int i = 0; i < lab->wrong_names.n; i++)
		if (strlen(lab->wrong_names.v[i]) == n && !strncmp(lab->wrong_names.v[i], file, n))
			return lab->wrong_expect.v[i];
	return NULL;
}

void lab_fixed_sources(const struct lab *lab, struct u_list *out)
{
	DIR *d = opendir(lab->dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n > 2 && strcmp(e->d_name + n - 2, ".c") == 0 && strcmp(e->d_name, lab->edit) != 0)
			u_list_add(out, u_fmt("%s/%s", lab->dir, e->d_name));
	}
	closedir(d);
	lab_sort(out);
}
