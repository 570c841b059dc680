/* slurm.c: a class graded on Slurm: grade-class --slurm's job array, and racelab gradebook that gathers its results. */
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "slurm.h"

/* What Slurm may take per task: one core (grade --jobs 1) and the memory of a grading with its tmpfs. */
enum { SLURM_MEM_MB = 2048, SLURM_SPARE_MIN = 5 };

/* #SBATCH lines take no quotes: every path the script names must need none. */
static int slurm_plain(const char *path)
{
	return path[0] == '/' && strspn(path, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._+-,:@=") ==
		strlen(path);
}

static int slurm_manifest(const struct lab *lab, const struct gradebook_sub *subs, int n, const char *dir)
{
	json_t *ids = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(ids, json_string(subs[i].id));
	json_t *doc = json_pack("{s:s, s:o}", "lab", lab->id, "submissions", ids);
	char *path = u_fmt("%s/class.json", dir);
	int rc = json_dump_file(doc, path, JSON_INDENT(2));
	free(path);
	json_decref(doc);
	return rc;
}

/* Task i's folder: tasks/i/ID, a link to the submission, which grade-class takes for a class of one. */
static int slurm_tasks(const struct gradebook_sub *subs, int n, const char *dir)
{
	int rc = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		char *task = u_fmt("%s/tasks/%d", dir, i), *link = u_fmt("%s/%s", task, subs[i].id);
		unlink(link);
		rc = u_mkdirs(task) != 0 || symlink(subs[i].src, link) != 0 ? -1 : 0;
		free(task);
		free(link);
	}
	return rc;
}

static int slurm_script(const struct lab *lab, int n, const char *dir, double timeout_s, const char *self,
			const char *root)
{
	char *path = u_fmt("%s/grade.sbatch", dir);
	FILE *f = fopen(path, "we");
	if (!f) {
		perror(path);
		free(path);
		return -1;
	}
	fprintf(f, "#!/bin/bash\n"
		"# grade.sbatch: racelab grade-class --slurm: %d submissions of %s, a Slurm task each.\n"
		"# Submit it with: sbatch %s\n"
		"# When every task has ended: racelab gradebook %s --csv gradebook.csv\n"
		"# Task N grades one submission as grade-class does (its own namespaces, tmpfs and time cap, one\n"
		"# core): %s/tasks/N/ holds a link to it; its result goes to %s/results/.\n",
		n, lab->id, path, dir, dir, dir);
	fprintf(f, "#SBATCH --job-name=racelab-%s\n#SBATCH --array=0-%d\n#SBATCH --cpus-per-task=1\n"
		"#SBATCH --mem=%d\n#SBATCH --time=%d\n#SBATCH --output=%s/slurm/%%a.out\n#SBATCH --chdir=%s\n",
		lab->id, n - 1, SLURM_MEM_MB, (int)ceil(timeout_s / 60) + SLURM_SPARE_MIN, dir, dir);
	fprintf(f, "set -eu\ntask=${SLURM_ARRAY_TASK_ID:?run this with sbatch}\nexport RACELAB_ROOT=%s\n"
		"exec %s grade-class --lab %s \"%s/tasks/$task\" --jobs 1 --csv \"%s/tasks/$task.csv\" --out %s/results\n",
		root, self, lab->id, dir, dir, dir);
	int rc = fclose(f);
	if (rc == 0)
		printf("%s: %d tasks, one per submission. Submit it with:\n  sbatch %s\nthen, when every task has "
		       "ended:\n  racelab gradebook %s --csv gradebook.csv\n", path, n, path, dir);
	free(path);
	return rc;
}

int slurm_write(const struct lab *lab, const struct gradebook_sub *subs, int n, const char *outdir,
		double timeout_s, const char *self)
{
	char dir[PATH_MAX], root[PATH_MAX];
	/* Results of an earlier class there would pass for this one's where a task never ran. */
	char *old = u_fmt("%s/class.json", outdir);
	int used = u_exists(old);
	free(old);
	if (used) {
		fprintf(stderr, "racelab: %s already holds a graded class: give --slurm a new folder\n", outdir);
		return -1;
	}
	char *logs = u_fmt("%s/slurm", outdir), *results = u_fmt("%s/results", outdir);
	int made = u_mkdirs(logs) == 0 && u_mkdirs(results) == 0 && realpath(outdir, dir) && realpath(lab_root(), root);
	free(logs);
	free(results);
	if (!made || n < 1) {
		fprintf(stderr, "racelab: %s\n", made ? "no submission folders to grade" : "cannot make the Slurm folder");
		return -1;
	}
	if (!slurm_plain(dir) || !slurm_plain(root) || !slurm_plain(self)) {
		fprintf(stderr, "racelab: the paths of %s, %s and %s must hold no blanks or quotes: "
			"#SBATCH lines cannot quote them\n", dir, root, self);
		return -1;
	}
	if (slurm_tasks(subs, n, dir) != 0 || slurm_manifest(lab, subs, n, dir) != 0) {
		fprintf(stderr, "racelab: cannot write the tasks of %s\n", dir);
		return -1;
	}
	return slurm_script(lab, n, dir, timeout_s, self, root);
}

/* How long task i's grading took: the seconds column (the last) of the last line of its one-row gradebook. */
static double slurm_seconds(const char *dir, int i)
{
	char *path = u_fmt("%s/tasks/%d.csv", dir, i);
	char *text = u_slurp(path, NULL);
	free(path);
	double s = 0;
	if (text) {
		char *end = text + strlen(text);
		while (end > text && end[-1] == '\n')
			*--end = 0;
		char *comma = strrchr(text, ',');
		s = comma ? atof(comma + 1) : 0;
	}
	free(text);
	return s;
}

int slurm_gradebook_cmd(const struct cli_opts *o)
{
	if (!o->arg || !o->csv) {
		fputs("racelab: gradebook needs OUTDIR (grade-class --slurm's) and --csv FILE\n", stderr);
		return 1;
	}
	json_error_t err;
	char *path = u_fmt("%s/class.json", o->arg);
	json_t *doc = json_load_file(path, 0, &err), *ids = json_object_get(doc, "submissions"), *id;
	const char *labid = json_string_value(json_object_get(doc, "lab"));
	struct lab lab;
	int rc = 1;
	if (!labid || !json_is_array(ids)) {
		fprintf(stderr, "racelab: %s is not grade-class --slurm's list (%s)\n", path, doc ? "no lab or submissions" : err.text);
		goto done;
	}
	if (cli_load(labid, &lab) != 0)
		goto done;
	int n = (int)json_array_size(ids), missing = 0;
	struct gradebook_sub *subs = u_xcalloc((size_t)n + 1, sizeof *subs);
	size_t i;
	json_array_foreach(ids, i, id) {
		const char *name = json_string_value(id);
		struct gradebook_sub *s = &subs[i];
		s->id = u_xstrdup(name ? name : "?");
		s->json = u_fmt("%s/results/%s.json", o->arg, s->id);
		s->log = u_fmt("%s/results/%s.log", o->arg, s->id);
		s->seconds = slurm_seconds(o->arg, (int)i);
		if (!u_exists(s->json)) {
			s->error = u_fmt("its Slurm task %zu wrote no results (see %s/slurm/%zu.out)", i, o->arg, i);
			s->read_only = 1; /* the task may still run: a file written here would pass for its results */
			missing++;
		}
	}
	rc = gradebook_write(&lab, subs, n, o->csv) != 0 ? 3 : missing ? 1 : 0;
	if (missing)
		fprintf(stderr, "racelab: %d of %d submissions have no results: a task still running (squeue) or one "
			"that died; their rows say error\n", missing, n);
	gradebook_free(subs, n);
	lab_free(&lab);
done:
	json_decref(doc);
	free(path);
	return rc;
}
