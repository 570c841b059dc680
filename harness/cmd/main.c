/* main.c: racelab's entry: the usage, and which file each command lives in. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "run.h"

static const char usage[] =
	"usage: racelab COMMAND [ARGS]\n"
	"\n"
	"  list                       every kata, grouped by track, with your progress\n"
	"  check [LAB] [--verbose]    grade your code for LAB (default: the next unfinished one)\n"
	"  watch [LAB] [--manual]     re-check LAB on every save of its file, fast gates first;\n"
	"                             keys: h hint, l list, r re-check, n next lab, q quit\n"
	"  hint LAB                   the next hint for LAB\n"
	"  reset LAB                  put LAB's file back as it shipped (broken)\n"
	"  prove [LAB...|--all] [--repeat N] [--tap]\n"
	"                             the proof: shipped code caught, solution clean, wrong fixes rejected\n"
	"  grade --lab LAB --src DIR [--format F] [--out FILE]\n"
	"                             grade the lab's file in DIR (an autograder's entry point); F is\n"
	"                             gradescope, prairielearn, junit, tap or json (default); docs/grading.md\n"
	"  grade-class --lab LAB SUBMISSIONS_DIR --csv FILE [--out DIR]\n"
	"                             grade every subfolder apart, --jobs at once, into a gradebook\n"
	"  diagnose FILE.c... [--timeout S] [--args \"...\"] [--heap-max-kb N] [--format json] [--verbose]\n"
	"                             your own pthreads program (with its main) under every tool: race,\n"
	"                             deadlock, hang, memory, leak; exit 0 none found, 1 found, 2 bad build\n"
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
};

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 1 : 0;
	}
	run_init();
	struct cli_opts o;
	if (cli_parse(argc - 1, argv + 1, &o) != 0) {
		fputs(usage, stderr);
		return strcmp(argv[1], "diagnose") ? 1 : 2; /* diagnose: 1 means a hazard */
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(&o);
	fprintf(stderr, "racelab: unknown command '%s'\n\n%s", argv[1], usage);
	return 1;
}
