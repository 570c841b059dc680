/* main.c: racelab's commands: list, check, prove, hint, reset, grade. */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gate.h"
#include "json.h"
#include "lab.h"
#include "progress.h"
#include "prove.h"
#include "report.h"
#include "run.h"

static const char usage[] =
	"usage: racelab COMMAND [ARGS]\n"
	"\n"
	"  list                       every kata, grouped by track, with your progress\n"
	"  check [LAB] [--verbose]    grade your code for LAB (default: the next unfinished one)\n"
	"  hint LAB                   the next hint for LAB\n"
	"  reset LAB                  put LAB's file back as it shipped (broken)\n"
	"  prove [LAB...|--all] [--repeat N] [--tap]\n"
	"                             the proof: shipped code caught, solution clean, wrong fixes rejected\n"
	"  grade --lab LAB --src DIR --format json [--out FILE]\n"
	"                             grade the files in DIR (an autograder's entry point)\n"
	"\n"
	"LAB is a folder name (11-lost-update) or its number (11). Options for check, prove and\n"
	"grade: --jobs N (gates at once; default: one per CPU). NO_COLOR turns colour off.\n";

struct opts {
	int verbose, all, tap, repeat, jobs;
	const char *lab, *src, *format, *out;
	const char *arg;  /* the first operand */
	char **args;      /* every operand */
	int nargs;
};

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longs[] = {
		{ "verbose", no_argument, 0, 'v' }, { "all", no_argument, 0, 'a' },
		{ "tap", no_argument, 0, 't' },     { "repeat", required_argument, 0, 'r' },
		{ "jobs", required_argument, 0, 'j' }, { "lab", required_argument, 0, 'l' },
		{ "src", required_argument, 0, 's' }, { "format", required_argument, 0, 'f' },
		{ "out", required_argument, 0, 'o' }, { 0, 0, 0, 0 },
	};
	memset(o, 0, sizeof *o);
	o->repeat = 1;
	o->format = "json";
	const char *jobs = getenv("RACELAB_JOBS");
	o->jobs = jobs ? atoi(jobs) : 0;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "vj:", longs, NULL)) != -1) {
		switch (c) {
		case 'v': o->verbose = 1; break;
		case 'a': o->all = 1; break;
		case 't': o->tap = 1; break;
		case 'r': o->repeat = atoi(optarg); break;
		case 'j': o->jobs = atoi(optarg); break;
		case 'l': o->lab = optarg; break;
		case 's': o->src = optarg; break;
		case 'f': o->format = optarg; break;
		case 'o': o->out = optarg; break;
		default: return -1;
		}
	}
	o->arg = optind < argc ? argv[optind] : NULL;
	o->args = argv + optind;
	o->nargs = argc - optind;
	return o->repeat > 0 ? 0 : -1;
}

static int load_or_die(const char *name, struct lab *lab)
{
	char err[512];
	if (lab_load(name, lab, err, sizeof err) != 0) {
		fprintf(stderr, "racelab: %s\n", err);
		return -1;
	}
	return 0;
}

/* The lab a command names as its operand. */
static int load_operand(const struct opts *o, const char *cmd, struct lab *lab)
{
	if (!o->arg) {
		fprintf(stderr, "racelab: %s needs a LAB (racelab list shows them)\n", cmd);
		return -1;
	}
	return load_or_die(o->arg, lab);
}

/* 0 every gate passed, 1 one failed, 2 none failed but one could not run. */
static int exit_code(const struct result *r)
{
	int err = 0;
	for (int i = 0; i < r->ngates; i++) {
		enum status s = r->gates[r->order[i]].status;
		if (s == ST_FAIL || s == ST_SKIP)
			return 1;
		err |= s == ST_ERROR;
	}
	return err ? 2 : 0;
}

static int cmd_list(void)
{
	struct u_list ids = { 0 };
	lab_all(&ids);
	char *track = u_xstrdup("");
	int passed = 0;
	for (int i = 0; i < ids.n; i++) {
		struct lab lab;
		if (load_or_die(ids.v[i], &lab) != 0)
			continue;
		if (strcmp(track, lab.track ? lab.track : "") != 0) {
			printf("%s%s\n", i ? "\n" : "", lab.track ? lab.track : "other");
			free(track);
			track = u_xstrdup(lab.track ? lab.track : "");
		}
		const char *st = prog_status(lab.id);
		passed += strcmp(st, "passed") == 0;
		printf("  %-24s %-8s %s\n", lab.id, st, lab.title);
		char *shipped = prog_shipped(&lab); /* keep a copy of the shipped file for reset */
		free(shipped);
		lab_free(&lab);
	}
	free(track);
	printf("\n%d of %d katas passed.\n", passed, ids.n);
	u_list_free(&ids);
	return 0;
}

static void on_gate_print(const struct result *r, int gate, void *user)
{
	report_gate(stdout, r, gate, user);
	fflush(stdout);
}

static int cmd_check(const struct opts *o)
{
	struct lab lab;
	const char *name = o->arg;
	struct u_list ids = { 0 };
	if (!name) {
		lab_all(&ids);
		for (int i = 0; i < ids.n && !name; i++)
			if (strcmp(prog_status(ids.v[i]), "passed") != 0)
				name = ids.v[i];
		if (!name) {
			printf("Every kata passes. racelab check LAB grades one again.\n");
			u_list_free(&ids);
			return 0;
		}
	}
	if (load_or_die(name, &lab) != 0)
		return 1;
	free(prog_shipped(&lab));
	struct report_style st = { u_tty(1), o->verbose };
	struct gate_opts go = { .jobs = o->jobs, .label = "your code", .on_gate = on_gate_print, .user = &st };
	char *file = u_fmt("%s/%s", lab.dir, lab.edit);
	struct result r;
	report_header(stdout, &(struct result){ .lab = lab.id, .title = lab.title, .label = "your code" }, &st);
	fflush(stdout);
	gate_grade(&lab, file, &go, &r);
	report_footer(stdout, &r, &st);
	int rc = exit_code(&r);
	prog_set_status(lab.id, rc == 0 ? "passed" : "failed");
	if (rc == 0)
		printf("  Solved. racelab check moves on to the next kata.\n");
	result_free(&r);
	free(file);
	lab_free(&lab);
	u_list_free(&ids);
	return rc;
}

static int cmd_hint(const struct opts *o)
{
	struct lab lab;
	if (load_operand(o, "hint", &lab) != 0)
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

static int cmd_reset(const struct opts *o)
{
	struct lab lab;
	if (load_operand(o, "reset", &lab) != 0)
		return 1;
	char *shipped = prog_shipped(&lab);
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

static void tap_line(int *n, int ok, const char *what, const char *why)
{
	printf("%s %d - %s%s%s\n", ok ? "ok" : "not ok", ++*n, what, why && !ok ? ": " : "", why && !ok ? why : "");
}

static int cmd_prove(const struct opts *o)
{
	struct u_list ids = { 0 };
	if (o->all || !o->arg)
		lab_all(&ids);
	for (int i = 0; !o->all && i < o->nargs; i++)
		u_list_add(&ids, u_xstrdup(o->args[i]));
	struct gate_opts go = { .jobs = o->jobs };
	struct proof *proofs = u_xcalloc((size_t)ids.n, sizeof *proofs);
	int failed = 0, n = 0;
	FILE *log = o->tap ? stderr : (o->repeat > 1 || o->verbose ? stdout : NULL);
	for (int i = 0; i < ids.n; i++) {
		struct lab lab;
		if (load_or_die(ids.v[i], &lab) != 0) {
			failed++;
			proofs[i].lab = u_xstrdup(ids.v[i]);
			proofs[i].config_error = u_xstrdup("lab.ini could not be loaded");
			continue;
		}
		if (!o->tap && !log)
			fprintf(stderr, "proving %s ...\n", lab.id);
		proof_run(&lab, o->repeat, &go, log, &proofs[i]);
		struct proof *p = &proofs[i];
		failed += !proof_ok(p);
		if (o->tap) {
			char *what = u_fmt("%s: shipped code caught (%s) %d/%d", p->lab, p->broken_gates, p->broken_caught, p->runs);
			tap_line(&n, !p->config_error && p->broken_caught == p->runs, what, p->config_error ? p->config_error : p->broken_missing);
			free(what);
			what = u_fmt("%s: solution clean %d/%d", p->lab, p->fix_clean, p->runs);
			tap_line(&n, !p->config_error && p->fix_clean == p->runs, what, p->config_error ? p->config_error : p->fix_problem);
			free(what);
			for (int w = 0; w < p->nwrong; w++) {
				what = u_fmt("%s: wrong/%s rejected %d/%d", p->lab, p->wrong[w], p->wrong_rejected[w], p->runs);
				tap_line(&n, p->wrong_rejected[w] == p->runs, what, "no gate failed");
				free(what);
			}
			fflush(stdout);
		}
		lab_free(&lab);
	}
	if (o->tap) {
		printf("1..%d\n", n);
	} else {
		printf("\n%-24s %-10s %-34s %-10s %s\n", "lab", "proof", "broken version caught by", "fix", "wrong fixes rejected");
		for (int i = 0; i < ids.n; i++) {
			struct proof *p = &proofs[i];
			int wr = 0;
			for (int w = 0; w < p->nwrong; w++)
				wr += p->wrong_rejected[w] == p->runs;
			char *caught = u_fmt("%s (%d/%d)", p->broken_gates ? p->broken_gates : "-", p->broken_caught, p->runs);
			char *fix = u_fmt("%s %d/%d", p->fix_clean == p->runs ? "clean" : "UNCLEAN", p->fix_clean, p->runs);
			printf("%-24s %-10s %-34s %-10s %d of %d\n", p->lab, proof_ok(p) ? "proven" : "FAILED", caught, fix, wr, p->nwrong);
			if (p->config_error)
				printf("    %s\n", p->config_error);
			if (p->broken_missing && p->broken_caught != p->runs)
				printf("    broken: %s\n", p->broken_missing);
			if (p->fix_problem && p->fix_clean != p->runs)
				printf("    solution: %s\n", p->fix_problem);
			for (int w = 0; w < p->nwrong; w++)
				if (p->wrong_rejected[w] != p->runs)
					printf("    wrong/%s rejected only %d/%d times\n", p->wrong[w], p->wrong_rejected[w], p->runs);
			free(caught);
			free(fix);
		}
		printf("\n%d of %d labs proven.\n", ids.n - failed, ids.n);
	}
	for (int i = 0; i < ids.n; i++)
		proof_free(&proofs[i]);
	free(proofs);
	u_list_free(&ids);
	return failed ? 1 : 0;
}

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

static int cmd_grade(const struct opts *o)
{
	struct lab lab;
	if (!o->lab || !o->src) {
		fputs("racelab: grade needs --lab LAB and --src DIR\n", stderr);
		return 1;
	}
	if (strcmp(o->format, "json") != 0) {
		fprintf(stderr, "racelab: unknown format '%s' (json)\n", o->format);
		return 1;
	}
	if (load_or_die(o->lab, &lab) != 0)
		return 1;
	char *file = u_fmt("%s/%s", o->src, lab.edit);
	struct gate_opts go = { .jobs = o->jobs, .label = "submission" };
	struct result r;
	gate_grade(&lab, u_exists(file) ? file : NULL, &go, &r);
	if (u_exists(file))
		u_list_add(&r.graded, u_xstrdup(lab.edit));
	grade_files(&lab, o->src, &r);
	int rc = json_write(&r, o->out ? o->out : "-") == 0 ? exit_code(&r) : 3;
	result_free(&r);
	free(file);
	lab_free(&lab);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 1 : 0;
	}
	run_init();
	const char *cmd = argv[1];
	struct opts o;
	if (parse_opts(argc - 1, argv + 1, &o) != 0) {
		fputs(usage, stderr);
		return 1;
	}
	if (!strcmp(cmd, "list"))
		return cmd_list();
	if (!strcmp(cmd, "check"))
		return cmd_check(&o);
	if (!strcmp(cmd, "hint"))
		return cmd_hint(&o);
	if (!strcmp(cmd, "reset"))
		return cmd_reset(&o);
	if (!strcmp(cmd, "prove"))
		return cmd_prove(&o);
	if (!strcmp(cmd, "grade"))
		return cmd_grade(&o);
	fprintf(stderr, "racelab: unknown command '%s'\n\n%s", cmd, usage);
	return 1;
}
