/* show.c: one check of a learner's file as check and watch both show it. */
#include <stdio.h>
#include <stdlib.h>

#include "show.h"
#include "cli.h"
#include "line.h"
#include "progress.h"

void show_begin(const struct lab *lab, const char *label, const struct report_style *st)
{
	line_hold();
	report_header(stdout, &(struct result){ .lab = lab->id, .title = lab->title, .label = (char *)label }, st);
	fflush(stdout);
	line_release();
	line_set("checking %s", lab->id);
	line_step("%s", gate_names[GATE_BUILD]);
}

void show_gate(const struct result *r, int gate, const struct report_style *st, int stale,
		void (*more)(const struct result *r, int gate, void *user), void *user)
{
	line_hold();
	if (!stale) {
		report_gate(stdout, r, gate, st);
		if (more)
			more(r, gate, user);
		fflush(stdout);
	}
	line_release();
	char *rest = report_waiting(r, gate);
	if (!stale && *rest)
		line_step("%s", rest);
	free(rest);
}

int show_end(const struct lab *lab, const struct result *r, const struct report_style *st)
{
	report_footer(stdout, r, st);
	int rc = cli_exit_code(r);
	prog_set_status(lab->id, rc == 0 ? "passed" : "failed");
	return rc;
}
