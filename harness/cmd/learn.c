/* learn.c: the learner's commands: list, check, hint, reset. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "show.h"
#include "cli.h"
#include "gate.h"
#include "line.h"
#include "progress.h"
#include "report.h"

int learn_list(const struct cli_opts *o)
{
	(void)o;
	struct u_list ids = { 0 };
	lab_all(&ids);
	char *track = u_xstrdup("");
	int passed = 0;
	for (int i = 0; i < ids.n; i++) {
		struct lab lab;
		if (cli_load(ids.v[i], &lab) != 0)
			continue;
		if (strcmp(track, lab.track ? lab.track : "") != 0) {
			printf("%s%s\n", i ? "\n" : "", lab.track ? lab.track : "other");
			free(track);
			track = u_xstrdup(lab.track ? lab.track : "");
		}
		const char *st = prog_status(lab.id);
		passed += strcmp(st, "passed") == 0;
		printf("  %-24s %-8s %s\n", lab.id, st, lab.title);
		lab_free(&lab);
	}
	free(track);
	printf("\n%d of %d katas passed.\n", passed, ids.n);
	u_list_free(&ids);
	return 0;
}

/* Each gate's line as it ends; on a terminal, a line below says which gates still run. */
static void on_gate_print(const struct result *r, int gate, void *user)
{
	show_gate(r, gate, user, 0, NULL, NULL);
}

int learn_check(const struct cli_opts *o)
{
	struct lab lab;
	const char *name = o->arg;
	struct u_list ids = { 0 };
	if (!name) {
		lab_all(&ids);
		name = prog_next(&ids, -1);
		if (!name) {
			printf("Every kata passes. racelab check LAB grades one again.\n");
			u_list_free(&ids);
			return 0;
		}
	}
	if (cli_load(name, &lab) != 0)
		return 1;
	struct report_style st = { u_tty(1), o->verbose };
	struct gate_opts go = { .jobs = o->jobs, .label = "your code", .on_gate = on_gate_print, .user = &st };
	char *file = u_fmt("%s/%s", lab.dir, lab.edit);
	struct result r;
	line_start(stdout);
	show_begin(&lab, "your code", &st);
	gate_grade(&lab, file, &go, &r);
	line_stop();
	int rc = show_end(&lab, &r, &st);
	if (rc == 0)
		printf("  Solved. racelab check moves on to the next kata.\n");
	result_free(&r);
	free(file);
	lab_free(&lab);
	u_list_free(&ids);
	return rc;
}

int learn_hint(const struct cli_opts *o)
{
	struct lab lab;
	if (cli_load_operand(o, "hint", &lab) != 0)
		return 1;
	int seen = prog_hints(lab.id);
	int next = seen < lab.nhints ? seen + 1 : lab.nhints;
	for (int i = 0; i < next; i++)
		if (lab.hints[i])
			printf("Hint %d of %d: %s\n", i + 1, lab.nhints, lab.hints[i]);
	if (seen >= lab.nhints)
		printf("That was the last hint. solutions/%s/NOTES.md explains the fix.\n", lab.id);
	prog_set_hints(lab.id, next);
	lab_free(&lab);
	return 0;
}

int learn_reset(const struct cli_opts *o)
{
	struct lab lab;
	if (cli_load_operand(o, "reset", &lab) != 0)
		return 1;
	char *shipped = lab_shipped(&lab);
	char *file = u_fmt("%s/%s", lab.dir, lab.edit);
	int rc = u_copy_file(shipped, file);
	if (rc == 0) {
		printf("%s is back as it shipped (broken).\n", file);
		prog_set_status(lab.id, "untried");
	} else {
		fprintf(stderr, "racelab: could not restore %s\n", file);
	}
	free(shipped);
	free(file);
	lab_free(&lab);
	return rc ? 1 : 0;
}
