/* cli.h: what every command shares: its parsed options, loading a lab, the exit code. */
#ifndef CLI_H
#define CLI_H

#include "lab.h"
#include "result.h"

struct cli_opts {
	int verbose, all, tap, repeat, jobs, manual;
	int no_cache;     /* check: grade even unchanged bytes anew (--no-cache) */
	int parallel;     /* prove: labs proven at once (--parallel N; 0: one) */
	const char *lab, *src, *format, *out, *csv;  /* format: NULL when not given */
	double timeout;   /* diagnose: --timeout S (0: not given) */
	long heap_max_kb; /* diagnose: --heap-max-kb N (0: not given) */
	const char *run_args; /* diagnose: --args "..." */
	const char *port, *room, *token;     /* serve: --port N, --room DIR, --token T (check: --token too) */
	const char *report_to, *name;        /* check: --report-to URL --name NAME */
	const char *slurm;                   /* grade-class: --slurm OUTDIR */
	const char *seed, *test, *html;      /* replay: --seed S, --test NAME, --html FILE */
	long budget;                         /* replay: --budget N schedules a test (0: not given) */
	double seconds;                      /* replay: --seconds S a test (0: not given) */
	const char *arg;  /* the first operand */
	char **args;      /* every operand */
	int nargs;
};

/* Parse argv (argv[0] is the command's name); 0 on success. */
int cli_parse(int argc, char **argv, struct cli_opts *o);

/* Load a lab, or say on stderr why not: 0 on success. */
int cli_load(const char *name, struct lab *lab);

/* The lab the command names as its first operand. */
int cli_load_operand(const struct cli_opts *o, const char *cmd, struct lab *lab);

/* 0 every gate passed, 1 one failed, 2 none failed but one could not run. */
int cli_exit_code(const struct result *r);

/* The commands, each in its own file. */
int learn_list(const struct cli_opts *o);     /* learn.c */
int learn_check(const struct cli_opts *o);
int learn_hint(const struct cli_opts *o);
int learn_reset(const struct cli_opts *o);
int prove_cmd(const struct cli_opts *o);      /* prove_cmd.c */
int grade_cmd(const struct cli_opts *o);      /* grade.c */
int watch_cmd(const struct cli_opts *o);      /* watch.c */
int class_cmd(const struct cli_opts *o);      /* class.c */
int diag_cmd(const struct cli_opts *o);       /* diagnose.c */
int serve_cmd(const struct cli_opts *o);      /* serve.c */
int slurm_gradebook_cmd(const struct cli_opts *o); /* slurm.c: racelab gradebook */
int replay_cmd(const struct cli_opts *o);     /* replay.c */

#endif
