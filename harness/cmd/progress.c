/* progress.c: the learner's progress (lab states, hints seen) and the shipped broken files. */
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "progress.h"

/* Progress lives in one file the learner does not edit: STATE/progress.ini. */
struct prog_entry {
	char *lab, *status;
	int hints;
};

static struct prog_entry *entries;
static int nentries, loaded;

const char *prog_dir(void)
{
	static char *dir;
	if (!dir) {
		const char *env = getenv("RACELAB_STATE");
		dir = env && *env ? u_xstrdup(env) : u_fmt("%s/.racelab", lab_root());
		mkdir(dir, 0755);
	}
	return dir;
}

static struct prog_entry *prog_entry(const char *lab)
{
	for (int i = 0; i < nentries; i++)
		if (strcmp(entries[i].lab, lab) == 0)
			return &entries[i];
	entries = u_xrealloc(entries, sizeof *entries * (size_t)(nentries + 1));
	entries[nentries] = (struct prog_entry){ u_xstrdup(lab), u_xstrdup("untried"), 0 };
	return &entries[nentries++];
}

static int prog_ini(void *user, const char *section, const char *key, const char *value)
{
	(void)user;
	struct prog_entry *e = prog_entry(section);
	if (strcmp(key, "status") == 0) {
		free(e->status);
		e->status = u_xstrdup(value);
	} else if (strcmp(key, "hints") == 0) {
		e->hints = atoi(value);
	}
	return 1;
}

static void prog_load(void)
{
	if (loaded)
		return;
	loaded = 1;
	char *path = u_fmt("%s/progress.ini", prog_dir());
	char *text = u_slurp(path, NULL); /* read by racelab: its files are opened close-on-exec */
	if (text)
		ini_parse_string(text, prog_ini, NULL);
	free(text);
	free(path);
}

static void prog_save(void)
{
	char *path = u_fmt("%s/progress.ini", prog_dir());
	char *tmp = u_fmt("%s.tmp", path);
	FILE *f = fopen(tmp, "we");
	if (f) {
		fprintf(f, "; racelab's record of your progress; racelab writes it, you need not.\n");
		for (int i = 0; i < nentries; i++)
			fprintf(f, "\n[%s]\nstatus = %s\nhints = %d\n", entries[i].lab, entries[i].status, entries[i].hints);
		/* Written whole, then renamed: an interrupted save never leaves half a file. */
		if (fclose(f) == 0)
			rename(tmp, path);
	}
	free(tmp);
	free(path);
}

const char *prog_status(const char *lab)
{
	prog_load();
	return prog_entry(lab)->status;
}

void prog_set_status(const char *lab, const char *status)
{
	prog_load();
	struct prog_entry *e = prog_entry(lab);
	free(e->status);
	e->status = u_xstrdup(status);
	prog_save();
}

const char *prog_next(const struct u_list *ids, int after)
{
	for (int k = 1; k <= ids->n; k++) {
		const char *id = ids->v[(after + k + ids->n) % ids->n];
		if (strcmp(prog_status(id), "passed") != 0)
			return id;
	}
	return NULL;
}

int prog_hints(const char *lab)
{
	prog_load();
	return prog_entry(lab)->hints;
}

void prog_set_hints(const char *lab, int n)
{
	prog_load();
	prog_entry(lab)->hints = n;
	prog_save();
}
