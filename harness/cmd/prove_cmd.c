/* prove_cmd.c: racelab prove: the proof of each lab, as a table or as TAP. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "massif.h"
#include "line.h"
#include "prove.h"
#include "tap.h"

/* One proof as a TAP test point; why it failed, when it did, after the description. */
static void tap_line(int *n, int ok, const char *what, const char *why)
{
	char *desc = why && !ok ? u_fmt("%s: %s", what, why) : u_xstrdup(what);
	tap_point(stdout, "", ok, ++*n, desc, NULL);
	free(desc);
}

/* Each grading as it starts, on the progress line. */
static void prove_step(const char *label, int run, int runs)
{
	line_step("%s run %d/%d", label, run, runs);
}

/* The broken version's heap over time beside the solution's, on one scale each. */
static void prove_heap_charts(const struct proof *p)
{
	if (!p->heap_bound || (!p->broken_nheap && !p->fix_nheap))
		return;
	char *a = massif_chart(p->broken_heap, p->broken_nheap, p->heap_bound, 8, 28, "");
	char *b = massif_chart(p->fix_heap, p->fix_nheap, p->heap_bound, 8, 28, "");
	printf("    %-51s %s\n", "heap of the shipped broken code", "heap of the solution");
	const char *x = a, *y = b;
	while (*x || *y) {
		int nx = (int)strcspn(x, "\n"), ny = (int)strcspn(y, "\n");
		printf("    %-51.*s %.*s\n", nx, x, ny, y);
		x += nx + (x[nx] == '\n');
		y += ny + (y[ny] == '\n');
	}
	free(a);
	free(b);
}

int prove_cmd(const struct cli_opts *o)
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
	if (!log) /* the log's lines are progress enough; without one, a line on the terminal */
		line_start(stderr);
	for (int i = 0; i < ids.n; i++) {
		struct lab lab;
		if (cli_load(ids.v[i], &lab) != 0) {
			failed++;
			proofs[i].lab = u_xstrdup(ids.v[i]);
			proofs[i].config_error = u_xstrdup("lab.ini could not be loaded");
			continue;
		}
		line_set("proving %s (%d/%d)", lab.id, i + 1, ids.n);
		char *shipped = lab_shipped(&lab);
		struct proof_opts po = { .gate = &go, .shipped = shipped, .log = log, .step = prove_step };
		proof_run(&lab, o->repeat, &po, &proofs[i]);
		free(shipped);
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
				tap_line(&n, p->wrong_rejected[w] == p->runs, what, p->wrong_missing[w]);
				free(what);
			}
			for (int a = 0; a < p->nalt; a++) {
				what = u_fmt("%s: alt/%s clean %d/%d", p->lab, p->alt[a], p->alt_clean[a], p->runs);
				tap_line(&n, p->alt_clean[a] == p->runs, what, p->alt_problem[a]);
				free(what);
			}
			fflush(stdout);
		}
		lab_free(&lab);
	}
	line_stop();
	if (o->tap) {
		printf("1..%d\n", n);
	} else {
		printf("\n%-24s %-10s %-34s %-10s %-14s %s\n", "lab", "proof", "broken version caught by", "fix",
		       "alternatives", "wrong fixes rejected");
		for (int i = 0; i < ids.n; i++) {
			struct proof *p = &proofs[i];
			int wr = 0, ac = 0;
			for (int w = 0; w < p->nwrong; w++)
				wr += p->wrong_rejected[w] == p->runs;
			for (int a = 0; a < p->nalt; a++)
				ac += p->alt_clean[a] == p->runs;
			char *caught = u_fmt("%s (%d/%d)", p->broken_gates ? p->broken_gates : "-", p->broken_caught, p->runs);
			char *fix = u_fmt("%s %d/%d", p->fix_clean == p->runs ? "clean" : "UNCLEAN", p->fix_clean, p->runs);
			char *alts = u_fmt("clean %d of %d", ac, p->nalt);
			printf("%-24s %-10s %-34s %-10s %-14s %d of %d\n", p->lab, proof_ok(p) ? "proven" : "FAILED", caught, fix,
			       alts, wr, p->nwrong);
			free(alts);
			if (p->config_error)
				printf("    %s\n", p->config_error);
			if (p->broken_missing && p->broken_caught != p->runs)
				printf("    broken: %s\n", p->broken_missing);
			if (p->fix_problem && p->fix_clean != p->runs)
				printf("    solution: %s\n", p->fix_problem);
			for (int w = 0; w < p->nwrong; w++)
				if (p->wrong_rejected[w] != p->runs)
					printf("    wrong/%s rejected only %d/%d times: %s\n", p->wrong[w], p->wrong_rejected[w],
					       p->runs, p->wrong_missing[w] ? p->wrong_missing[w] : "");
			for (int a = 0; a < p->nalt; a++)
				if (p->alt_clean[a] != p->runs)
					printf("    alt/%s clean only %d/%d times: %s\n", p->alt[a], p->alt_clean[a], p->runs,
					       p->alt_problem[a] ? p->alt_problem[a] : "");
			prove_heap_charts(p);
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
