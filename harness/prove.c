/* prove.c: the proof of one lab: broken caught, fix clean, every wrong fix rejected. */
#include <glob.h>
#include <stdlib.h>
#include <string.h>

#include "prove.h"

/*
 * Whether gate result gr failed with kind want, or with one of want's "a|b" alternatives: one bug
 * may end a run in either of two ways (a worker that leaves early loses items, or strands the
 * producer on a full queue), and which one is timing's choice.
 */
static int proof_found(const struct gate_result *gr, const char *want)
{
	if (gr->status != RESULT_FAIL)
		return 0;
	struct u_list kinds = { 0 };
	u_list_split(&kinds, want, '|');
	int found = 0;
	for (int i = 0; i < kinds.n && !found; i++)
		found = u_list_has(&gr->kinds, kinds.v[i]);
	u_list_free(&kinds);
	return found;
}

int proof_broken_shows(const struct lab *lab, const struct result *r, char **missing)
{
	struct u_buf why = { 0 };
	int any = 0;
	for (int g = 0; g < GATE_COUNT; g++) {
		if (!lab->broken[g])
			continue;
		any = 1;
		const struct gate_result *gr = &r->gates[g];
		if (!lab->enabled[g]) {
			u_buf_addf(&why, "%s is in [broken] but not enabled in [gates]; ", gate_names[g]);
			continue;
		}
		struct u_list want = { 0 };
		u_list_split(&want, lab->broken[g], ',');
		for (int i = 0; i < want.n; i++)
			if (!proof_found(gr, want.v[i]))
				u_buf_addf(&why, "%s did not find %s (%s: %s); ", gate_names[g], want.v[i],
					   status_names[gr->status], gr->reason ? gr->reason : "");
		u_list_free(&want);
		if (!lab->explain[g])
			continue;
		struct u_list words = { 0 };
		u_list_split(&words, lab->explain[g], ',');
		char *text = u_fmt("%s\n%s", gr->reason ? gr->reason : "", gr->detail ? gr->detail : "");
		for (int i = 0; i < words.n; i++)
			if (!strstr(text, words.v[i]))
				u_buf_addf(&why, "%s's explanation does not mention \"%s\"; ", gate_names[g], words.v[i]);
		free(text);
		u_list_free(&words);
	}
	if (!any)
		u_buf_add(&why, "lab.ini has no [broken] expectations; ");
	*missing = u_buf_take(&why);
	if (**missing)
		return 0;
	free(*missing);
	*missing = NULL;
	return 1;
}

int proof_wrong_rejected(const struct lab *lab, const char *file, const struct result *r, char **missing)
{
	const char *expect = lab_wrong_expect(lab, file);
	struct u_buf why = { 0 };
	/* Any failed gate is no proof: a wrong fix "rejected" by a failed build or an unrelated gate says nothing. */
	if (!expect)
		u_buf_add(&why, "lab.ini [wrong] names no gate:kind that must reject it; ");
	struct u_list want = { 0 };
	u_list_split(&want, expect ? expect : "", ',');
	for (int i = 0; i < want.n; i++) {
		char *colon = strchr(want.v[i], ':');
		int g = colon ? (*colon = '\0', gate_from_name(want.v[i])) : -1;
		if (g < 0 || !lab->enabled[g]) {
			u_buf_addf(&why, "lab.ini [wrong] names \"%s\", not an enabled gate:kind; ", want.v[i]);
			continue;
		}
		const struct gate_result *gr = &r->gates[g];
		if (!proof_found(gr, colon + 1))
			u_buf_addf(&why, "%s did not find %s (%s: %s); ", gate_names[g], colon + 1, status_names[gr->status],
				   gr->reason ? gr->reason : "");
	}
	u_list_free(&want);
	*missing = u_buf_take(&why);
	if (**missing)
		return 0;
	free(*missing);
	*missing = NULL;
	return 1;
}

static char *proof_failed_gates(const struct result *r)
{
	struct u_list l = { 0 };
	for (int i = 0; i < r->ngates; i++)
		if (r->gates[r->order[i]].status == RESULT_FAIL)
			u_list_add(&l, u_xstrdup(gate_names[r->order[i]]));
	char *s = l.n ? u_list_join(&l, ", ") : u_xstrdup("nothing");
	u_list_free(&l);
	return s;
}

/* Why a result is not clean: "tsan fail: ThreadSanitizer: data-race (1 report)". */
static char *proof_unclean(const struct result *r)
{
	struct u_buf b = { 0 };
	for (int i = 0; i < r->ngates; i++) {
		const struct gate_result *g = &r->gates[r->order[i]];
		if (g->status != RESULT_PASS)
			u_buf_addf(&b, "%s%s %s: %s", b.len ? "; " : "", gate_names[g->id], status_names[g->status],
				   g->reason ? g->reason : "");
	}
	return u_buf_take(&b);
}

static void proof_grade(const struct lab *lab, const char *file, const char *label, int run, int runs,
			const struct proof_opts *o, struct result *r)
{
	if (o->step)
		o->step(label, run, runs);
	struct gate_opts mine = *o->gate;
	mine.label = label;
	mine.on_gate = NULL;
	gate_grade(lab, file, &mine, r);
}

/* The .c files of the solution's folder sub (wrong, alt), sorted; their names go to *names. */
static int proof_files(const struct lab *lab, const char *sub, glob_t *g, char ***names, int **counts, char ***why)
{
	char *pat = u_fmt("%s/%s/*.c", lab->soldir, sub);
	memset(g, 0, sizeof *g);
	glob(pat, 0, NULL, g);
	free(pat);
	int n = (int)g->gl_pathc;
	*names = u_xcalloc((size_t)n + 1, sizeof **names);
	*counts = u_xcalloc((size_t)n + 1, sizeof **counts);
	*why = u_xcalloc((size_t)n + 1, sizeof **why);
	for (int i = 0; i < n; i++)
		(*names)[i] = u_xstrdup(u_basename(g->gl_pathv[i]));
	return n;
}

/* One run over the alternatives: each must pass every gate, like the solution. */
static void proof_alts(const struct lab *lab, const glob_t *g, int run, int runs, const struct proof_opts *o,
		       struct proof *p)
{
	for (int a = 0; a < p->nalt; a++) {
		struct result r;
		char *label = u_fmt("alt/%s", p->alt[a]);
		proof_grade(lab, g->gl_pathv[a], label, run, runs, o, &r);
		int clean = result_all_passed(&r);
		p->alt_clean[a] += clean;
		if (!clean) {
			free(p->alt_problem[a]);
			p->alt_problem[a] = proof_unclean(&r);
		}
		if (o->log)
			fprintf(o->log, "  %s run %d: %s %s\n", lab->id, run, label, clean ? "clean" : "NOT CLEAN");
		free(label);
		result_free(&r);
	}
}

void proof_run(const struct lab *lab, int runs, const struct proof_opts *o, struct proof *p)
{
	memset(p, 0, sizeof *p);
	p->lab = u_xstrdup(lab->id);
	p->runs = runs;
	p->heap_bound = lab->enabled[GATE_MEMORY] ? lab->heap_max_kb * 1024 : 0;
	const char *broken = o->shipped;
	FILE *log = o->log;
	char *fix = u_fmt("%s/%s", lab->soldir, lab->edit);
	glob_t g, ga;
	p->nwrong = proof_files(lab, "wrong", &g, &p->wrong, &p->wrong_rejected, &p->wrong_missing);
	p->nalt = proof_files(lab, "alt", &ga, &p->alt, &p->alt_clean, &p->alt_problem);
	for (int i = 0; i < lab->wrong_names.n; i++) {
		char *file = u_fmt("%s.c", lab->wrong_names.v[i]);
		int known = 0;
		for (int w = 0; w < p->nwrong; w++)
			known |= strcmp(p->wrong[w], file) == 0;
		if (!known && !p->config_error)
			p->config_error = u_fmt("lab.ini [wrong] names %s, which is not in solutions/%s/wrong/", file, lab->id);
		free(file);
	}
	if (p->config_error)
		;
	else if (!u_exists(fix))
		p->config_error = u_fmt("no solution at solutions/%s/%s", lab->id, lab->edit);
	else if (!p->nwrong)
		p->config_error = u_fmt("no wrong fix in solutions/%s/wrong/", lab->id);

	for (int run = 1; run <= runs; run++) {
		struct result r;
		char *missing = NULL;
		proof_grade(lab, broken, "shipped broken code", run, runs, o, &r);
		if (proof_broken_shows(lab, &r, &missing))
			p->broken_caught++;
		else {
			free(p->broken_missing);
			p->broken_missing = missing;
		}
		free(p->broken_gates);
		p->broken_gates = proof_failed_gates(&r);
		memcpy(p->broken_heap, r.gates[GATE_MEMORY].heap, sizeof p->broken_heap);
		p->broken_nheap = r.gates[GATE_MEMORY].nheap;
		if (log)
			fprintf(log, "  %s run %d: broken %s (caught by %s)\n", lab->id, run,
				missing ? "NOT PROVEN" : "caught", p->broken_gates);
		result_free(&r);

		if (u_exists(fix)) {
			proof_grade(lab, fix, "solution", run, runs, o, &r);
			memcpy(p->fix_heap, r.gates[GATE_MEMORY].heap, sizeof p->fix_heap);
			p->fix_nheap = r.gates[GATE_MEMORY].nheap;
			if (result_all_passed(&r))
				p->fix_clean++;
			else {
				free(p->fix_problem);
				p->fix_problem = proof_unclean(&r);
			}
			if (log)
				fprintf(log, "  %s run %d: solution %s\n", lab->id, run,
					result_all_passed(&r) ? "clean" : "NOT CLEAN");
			result_free(&r);
		}
		for (int w = 0; w < p->nwrong; w++) {
			char *label = u_fmt("wrong/%s", p->wrong[w]), *missing = NULL;
			proof_grade(lab, g.gl_pathv[w], label, run, runs, o, &r);
			char *caught = proof_failed_gates(&r);
			int rejected = proof_wrong_rejected(lab, p->wrong[w], &r, &missing);
			p->wrong_rejected[w] += rejected;
			if (!rejected) {
				free(p->wrong_missing[w]);
				p->wrong_missing[w] = missing;
			}
			if (log)
				fprintf(log, "  %s run %d: %s %s (failed: %s)\n", lab->id, run, label,
					rejected ? "rejected" : "NOT REJECTED as expected", caught);
			free(caught);
			free(label);
			result_free(&r);
		}
		proof_alts(lab, &ga, run, runs, o, p);
	}
	globfree(&g);
	globfree(&ga);
	free(fix);
}

int proof_ok(const struct proof *p)
{
	if (p->config_error || p->broken_caught != p->runs || p->fix_clean != p->runs)
		return 0;
	for (int w = 0; w < p->nwrong; w++)
		if (p->wrong_rejected[w] != p->runs)
			return 0;
	for (int a = 0; a < p->nalt; a++)
		if (p->alt_clean[a] != p->runs)
			return 0;
	return 1;
}

void proof_free(struct proof *p)
{
	for (int w = 0; w < p->nwrong; w++) {
		free(p->wrong[w]);
		free(p->wrong_missing[w]);
	}
	for (int a = 0; a < p->nalt; a++) {
		free(p->alt[a]);
		free(p->alt_problem[a]);
	}
	free(p->wrong);
	free(p->wrong_rejected);
	free(p->wrong_missing);
	free(p->alt);
	free(p->alt_clean);
	free(p->alt_problem);
	free(p->lab);
	free(p->broken_gates);
	free(p->broken_missing);
	free(p->fix_problem);
	free(p->config_error);
	memset(p, 0, sizeof *p);
}
