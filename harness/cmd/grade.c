/* grade.c: racelab grade: an autograder's entry point, one submission folder to one result file. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fmt.h"
#include "gate.h"
#include "line.h"

/*
 * Only the lab's file to edit is taken from the submission; gate_grade builds
 * it with the lab's own tests, header and flags. Everything else in the folder
 * (a test file, a header, a Makefile, a lab.ini of its own) is listed as ignored.
 */
static void grade_files(const struct lab *lab, const char *dir, int have, struct result *r)
{
	if (have)
		u_list_add(&r->graded, u_xstrdup(lab->edit));
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
		    (strcmp(e->d_name, lab->edit) != 0 || !have))
			u_list_add(&r->ignored, u_xstrdup(e->d_name));
	if (d)
		closedir(d);
}

int grade_cmd(const struct cli_opts *o)
{
	struct lab lab;
	if (!o->lab || !o->src) {
		fputs("racelab: grade needs --lab LAB and --src DIR\n", stderr);
		return 1;
	}
	const char *format = o->format ? o->format : "json";
	if (!fmt_find(format)) {
		fprintf(stderr, "racelab: unknown format '%s' (%s)\n", format, fmt_names());
		return 1;
	}
	if (cli_load(o->lab, &lab) != 0)
		return 1;
	char *file = u_fmt("%s/%s", o->src, lab.edit);
	int have = u_exists(file) && !u_is_dir(file);
	struct gate_opts go = { .jobs = o->jobs, .label = "submission" };
	struct result r;
	line_start(stderr); /* on a terminal only: an autograder's pipe stays quiet */
	line_set("grading %s for %s", file, lab.id);
	gate_grade(&lab, have ? file : NULL, &go, &r);
	line_stop();
	if (!u_is_dir(o->src)) {
		free(r.gates[GATE_BUILD].reason);
		r.gates[GATE_BUILD].reason = u_fmt("the submission folder %s does not exist: nothing to build", o->src);
	}
	grade_files(&lab, o->src, have, &r);
	fmt_sanitize(&r);
	int rc = cli_exit_code(&r);
	if (fmt_write(&r, format, o->out ? o->out : "-") != 0) {
		fprintf(stderr, "racelab: could not write %s\n", o->out ? o->out : "the result");
		rc = 3;
	}
	result_free(&r);
	free(file);
	lab_free(&lab);
	return rc;
}
