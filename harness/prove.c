/* prove.c: the proof of one lab: broken caught, fix clean, every wrong fix rejected. */
#include <glob.h>
#include <stdlib.h>
#include <string.h>

#include "line.h"
#include "progress.h"
#include "prove.h"

int proof_broken_shows(const struct lab *lab, const struct result *r, char **missing)
{
	struct u_buf why = { 0 };
	int any = 0;
	for (int g = 0; g < G_COUNT; g++) {
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
			if (!u_list_has(&gr->kinds, want.v[i]))
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

static char *proof_failed_gates(const struct result *r)
{
	struct u_list l = { 0 };
	for (int i = 0; i < r->ngates; i++)
		if (r->gates[r->order[i]].status == ST_FAIL)
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
		if (g->status != ST_PASS)
			u_buf_addf(&b, "%s%s %s: %s", b.len ? "; " : "", gate_names[g->id], status_names[g->status],
				   g->reason ? g->reason : "");
	}
	return u_buf_take(&b);
}

static void proof_grade(const struct lab *lab, const char *file, const char *label, int run, int runs,
			const struct gate_opts *o, struct result *r)
{
	line_step("%s run %d/%d", label, run, runs);
	struct gate_opts mine = *o;
	mine.label = label;
	mine.on_gate = NULL;
	gate_grade(lab, file, &mine, r);
}

void proof_run(const struct lab *lab, int runs, const struct gate_opts *o, FILE *log, struct proof *p)
{
	memset(p, 0, sizeof *p);
	p->lab = u_xstrdup(lab->id);
	p->runs = runs;
	p->heap_bound = lab->enabled[G_MEMORY] ? lab->heap_max_kb * 1024 : 0;
	char *broken = prog_shipped(lab);
	char *fix = u_fmt("%s/%s", lab->soldir, lab->edit);
	char *pat = u_fmt("%s/wrong/*.c", lab->soldir);
	glob_t g = { 0 };
	glob(pat, 0, NULL, &g);
	p->nwrong = (int)g.gl_pathc;
	p->wrong = u_xcalloc((size_t)p->nwrong, sizeof *p->wrong);
	p->wrong_rejected = u_xcalloc((size_t)p->nwrong, sizeof *p->wrong_rejected);
	if (!u_exists(fix))
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
		memcpy(p->broken_heap, r.gates[G_MEMORY].heap, sizeof p->broken_heap);
		p->broken_nheap = r.gates[G_MEMORY].nheap;
		if (log)
			fprintf(log, "  %s run %d: broken %s (caught by %s)\n", lab->id, run,
				missing ? "NOT PROVEN" : "caught", p->broken_gates);
		result_free(&r);

		if (u_exists(fix)) {
			proof_grade(lab, fix, "solution", run, runs, o, &r);
			memcpy(p->fix_heap, r.gates[G_MEMORY].heap, sizeof p->fix_heap);
			p->fix_nheap = r.gates[G_MEMORY].nheap;
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
			char *label = u_fmt("wrong/%s", u_basename(g.gl_pathv[w]));
			if (!p->wrong[w])
				p->wrong[w] = u_xstrdup(u_basename(g.gl_pathv[w]));
			proof_grade(lab, g.gl_pathv[w], label, run, runs, o, &r);
			char *caught = proof_failed_gates(&r);
			int rejected = strcmp(caught, "nothing") != 0;
			p->wrong_rejected[w] += rejected;
			if (log)
				fprintf(log, "  %s run %d: %s %s (by %s)\n", lab->id, run, label,
					rejected ? "rejected" : "NOT REJECTED", caught);
			free(caught);
			free(label);
			result_free(&r);
		}
	}
	globfree(&g);
	free(pat);
	free(fix);
	free(broken);
}

int proof_ok(const struct proof *p)
{
	if (p->config_error || p->broken_caught != p->runs || p->fix_clean != p->runs)
		return 0;
	for (int w = 0; w < p->nwrong; w++)
		if (p->wrong_rejected[w] != p->runs)
			return 0;
	return 1;
}

void proof_free(struct proof *p)
{
	for (int w = 0; w < p->nwrong; w++)
		free(p->wrong[w]);
	free(p->wrong);
	free(p->wrong_rejected);
	free(p->lab);
	free(p->broken_gates);
	free(p->broken_missing);
	free(p->fix_problem);
	free(p->config_error);
	memset(p, 0, sizeof *p);
}
