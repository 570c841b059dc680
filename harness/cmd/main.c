/* main.c: racelab's entry: the usage, and which file each command lives in. */
#include <libxml/parser.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "run.h"

static const char usage[] =
	"usage: racelab COMMAND [ARGS]\n"
	"\n"
	"  list                       every kata, grouped by track, with your progress\n"
	"  check [LAB] [--verbose] [--no-cache]\n"
	"                             grade your code for LAB (default: the next unfinished one); a file\n"
	"                             unchanged since a check gets that check's answer, unless --no-cache\n"
	"        [--report-to URL --name NAME --token T]\n"
	"                             and post the result (never your code) to an instructor's room\n"
	"  watch [LAB] [--manual]     re-check LAB on every save of its file, fast gates first;\n"
	"                             keys: h hint, l list, r re-check, n next lab, q quit\n"
	"  hint LAB                   the next hint for LAB\n"
	"  reset LAB                  put LAB's file back as it shipped (broken)\n"
	"  prove [LAB...|--all] [--repeat N] [--tap] [--parallel N]\n"
	"                             the proof: shipped code caught, solution clean, wrong fixes rejected\n"
	"                             (--parallel N: N labs at once, each waiting out its hangs beside the others)\n"
	"  grade --lab LAB --src DIR [--format F] [--out FILE]\n"
	"                             grade the lab's file in DIR (an autograder's entry point); F is\n"
	"                             gradescope, prairielearn, junit, tap or json (default); docs/grading.md\n"
	"  grade-class --lab LAB SUBMISSIONS_DIR --csv FILE [--out DIR]\n"
	"                             grade every subfolder apart, --jobs at once, into a gradebook\n"
	"  grade-class --lab LAB SUBMISSIONS_DIR --slurm OUTDIR\n"
	"                             write a Slurm job array instead, a task per submission\n"
	"  gradebook OUTDIR --csv FILE  the gradebook of a --slurm OUTDIR once its job has run\n"
	"  serve [--port 8080] [--room DIR] [--token T]\n"
	"                             the instructor's live room view of the learners' checks\n"
	"  diagnose FILE.c... [--timeout S] [--args \"...\"] [--heap-max-kb N] [--format json] [--verbose]\n"
	"                             your own pthreads program (with its main) under every tool: race,\n"
	"                             deadlock, hang, memory, leak; exit 0 none found, 1 found, 2 bad build\n"
	"  replay LAB [--seed S --test NAME] [--src DIR] [--html FILE] [--budget N] [--seconds S]\n"
	"                             run LAB's tests under the controlled scheduler: search for a schedule\n"
	"                             that fails (or run schedule S) and print it as a timeline; exit 1 when\n"
	"                             one failed, 0 when none did within the budget, 2 on a usage or build error\n"
	"\n"
	"LAB is a folder name (11-lost-update) or its number (11). Options for check, watch, prove\n"
	"and grade: --jobs N (gates at once; default: one per CPU). NO_COLOR turns colour off.\n";

static const struct {
	const char *name;
	int (*run)(const struct cli_opts *o);
} commands[] = {
	{ "list", learn_list },   { "check", learn_check }, { "hint", learn_hint },
	{ "reset", learn_reset }, { "prove", prove_cmd },   { "grade", grade_cmd },
	{ "watch", watch_cmd },
	{ "grade-class", class_cmd },
	{ "diagnose", diag_cmd },
	{ "serve", serve_cmd },   { "gradebook", slurm_gradebook_cmd },
	{ "replay", replay_cmd },
};

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 1 : 0;
	}
	run_init();
	xmlInitParser(); /* once, here: the gates parse their tools' XML on several threads */
	struct cli_opts o;
	if (cli_parse(argc - 1, argv + 1, &o) != 0) {
		fputs(usage, stderr);
		/* diagnose and replay: 1 means a hazard, 2 a usage error */
		return strcmp(argv[1], "diagnose") && strcmp(argv[1], "replay") ? 1 : 2;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(&o);
	fprintf(stderr, "racelab: unknown command '%s'\n\n%s", argv[1], usage);
	return 1;
}
