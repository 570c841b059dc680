/* grade.c: racelab grade: an autograder's entry point, one submission folder to one result file. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gate.h"
#include "json.h"

/* The submission folder: the lab's file is graded, everything else is listed as ignored. */
static void grade_files(const struct lab *lab, const char *dir, struct result *r)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.' && strcmp(e->d_name, lab->edit) != 0)
			u_list_add(&r->ignored, u_xstrdup(e->d_name));
	if (d)
		closedir(d);
}

int grade_cmd(const struct opts *o)
{
	struct lab lab;
	if (!o->lab || !o->src) {
		fputs("racelab: grade needs --lab LAB and --src DIR\n", stderr);
		return 1;
	}
	if (o->format && strcmp(o->format, "json") != 0) {
		fprintf(stderr, "racelab: unknown format '%s' (json)\n", o->format);
		return 1;
	}
	if (cli_load(o->lab, &lab) != 0)
		return 1;
	char *file = u_fmt("%s/%s", o->src, lab.edit);
	struct gate_opts go = { .jobs = o->jobs, .label = "submission" };
	struct result r;
	gate_grade(&lab, u_exists(file) ? file : NULL, &go, &r);
	if (u_exists(file))
		u_list_add(&r.graded, u_xstrdup(lab.edit));
	grade_files(&lab, o->src, &r);
	int rc = json_write(&r, o->out ? o->out : "-") == 0 ? cli_exit_code(&r) : 3;
	result_free(&r);
	free(file);
	lab_free(&lab);
	return rc;
}
