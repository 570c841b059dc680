/* report.c: the terminal reporter: one line per gate, the evidence under a failure. */
#include <string.h>

#include "report.h"

const char *report_color(enum result_status s, const struct report_style *st)
{
	static const char *const c[] = { "\033[32m", "\033[31m", "\033[33m", "\033[2m" };
	return st->color ? c[s] : "";
}

const char *report_reset(const struct report_style *st)
{
	return st->color ? "\033[0m" : "";
}

void report_header(FILE *out, const struct result *r, const struct report_style *st)
{
	fprintf(out, "%s%s%s: %s (%s)\n", st->color ? "\033[1m" : "", r->lab, report_reset(st), r->title, r->label);
}

void report_block(FILE *out, const char *text, const char *pad)
{
	const char *p = text;
	while (p && *p) {
		size_t n = strcspn(p, "\n");
		fprintf(out, "%s%.*s\n", pad, (int)n, p);
		p += n + (p[n] == '\n');
	}
}

void report_gate(FILE *out, const struct result *r, int gate, const struct report_style *st)
{
	const struct gate_result *g = &r->gates[gate];
	static const char *const marks[] = { "PASS ", "FAIL ", "ERROR", "SKIP " };
	fprintf(out, "  %s%s%s %-9s %5.1fs  %s\n", report_color(g->status, st), marks[g->status],
		report_reset(st), gate_names[gate], g->seconds, g->reason ? g->reason : "");
	if (g->status == RESULT_FAIL || (g->status == RESULT_PASS && gate == GATE_BUILD) || st->verbose)
		report_block(out, g->detail, "      ");
	for (int i = 0; i < g->notes.n; i++) { /* a tool's known limit: shown, never counted */
		const struct finding *x = &g->notes.v[i];
		fprintf(out, "      note, not counted: %s", x->evidence && *x->evidence ? x->evidence : x->kind);
		if (x->file)
			fprintf(out, " (%s:%d)", x->file, x->line);
		fprintf(out, "\n");
		report_block(out, x->limit, "        ");
	}
	if (st->verbose && g->raw && *g->raw) {
		fprintf(out, "      --- raw report ---\n");
		report_block(out, g->raw, "      | ");
	}
}

char *report_waiting(const struct result *r, int gate)
{
	struct u_list rest = { 0 };
	int after = 0;
	for (int i = 0; i < r->ngates; i++) {
		if (after)
			u_list_add(&rest, u_xstrdup(gate_names[r->order[i]]));
		after |= r->order[i] == gate;
	}
	char *s = u_list_join(&rest, ", ");
	u_list_free(&rest);
	return s;
}

void report_footer(FILE *out, const struct result *r, const struct report_style *st)
{
	int pass = 0, fail = 0, err = 0;
	for (int i = 0; i < r->ngates; i++) {
		enum result_status s = r->gates[r->order[i]].status;
		pass += s == RESULT_PASS;
		fail += s == RESULT_FAIL || s == RESULT_SKIP;
		err += s == RESULT_ERROR;
	}
	enum result_status overall = fail ? RESULT_FAIL : err ? RESULT_ERROR : RESULT_PASS;
	for (int i = 0; i < r->why.n; i++) /* once per check, after all the evidence */
		fprintf(out, "  %s\n", r->why.v[i]);
	fprintf(out, "  %s%.4g/%d points%s: %d of %d gates passed", report_color(overall, st), r->score,
		r->max_score, report_reset(st), pass, r->ngates);
	if (err)
		fprintf(out, ", %d could not run on this machine (not your code's fault: not counted)", err);
	fprintf(out, " (%.1fs)\n", r->seconds);
	if (!st->verbose && fail)
		fprintf(out, "  The tools' whole reports: add --verbose. A hint: racelab hint %.2s\n", r->lab);
}
