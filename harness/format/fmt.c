/* fmt.c: the machine formats of racelab grade: which writer, and the texts they all share. */
#include <libxml/xmlstring.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fmt.h"
#include "gradescope.h"
#include "jsonout.h"
#include "junit.h"
#include "prairielearn.h"
#include "tap.h"

static const struct {
	const char *name;
	fmt_writer write;
} fmt_table[] = {
	{ "gradescope", gs_write }, { "prairielearn", pl_write }, { "junit", junit_write },
	{ "tap", tap_write },       { "json", jsonout_write },
};

fmt_writer fmt_find(const char *name)
{
	for (size_t i = 0; i < NELEM(fmt_table); i++)
		if (strcmp(fmt_table[i].name, name) == 0)
			return fmt_table[i].write;
	return NULL;
}

const char *fmt_names(void)
{
	static char names[128];
	if (!names[0])
		for (size_t i = 0; i < NELEM(fmt_table); i++)
			snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? ", " : "",
				 fmt_table[i].name);
	return names;
}

int fmt_write(const struct result *r, const char *format, const char *path)
{
	fmt_writer w = fmt_find(format);
	if (!w)
		return -1;
	if (strcmp(path, "-") == 0)
		return w(r, stdout) == 0 && fflush(stdout) == 0 ? 0 : -1;
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* /dev/null, a pipe: written in place, since a rename would replace the device itself. */
		FILE *f = fopen(path, "we");
		int rc = f && w(r, f) == 0 ? 0 : -1;
		if (f && fclose(f) != 0)
			rc = -1;
		return rc;
	}
	char *tmp = u_fmt("%s.tmp", path);
	FILE *f = fopen(tmp, "we");
	int rc = f ? w(r, f) : -1;
	if (f && fclose(f) != 0)
		rc = -1;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -1;
	if (rc != 0)
		remove(tmp);
	free(tmp);
	return rc;
}

static void fmt_clean(char *s)
{
	if (!s)
		return;
	int utf8 = xmlCheckUTF8((const unsigned char *)s);
	for (unsigned char *p = (unsigned char *)s; *p; p++)
		if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f || (*p >= 0x80 && !utf8))
			*p = '?';
}

static void fmt_clean_list(struct u_list *l)
{
	for (int i = 0; i < l->n; i++)
		fmt_clean(l->v[i]);
}

void fmt_sanitize(struct result *r)
{
	fmt_clean(r->lab);
	fmt_clean(r->title);
	fmt_clean(r->label);
	fmt_clean_list(&r->graded);
	fmt_clean_list(&r->ignored);
	fmt_clean_list(&r->why);
	for (int i = 0; i < GATE_COUNT; i++) {
		struct gate_result *g = &r->gates[i];
		fmt_clean(g->reason);
		fmt_clean(g->detail);
		fmt_clean(g->raw);
		fmt_clean_list(&g->kinds);
		for (int k = 0; k < g->found.n; k++) {
			struct finding *x = &g->found.v[k];
			fmt_clean(x->file);
			fmt_clean(x->function);
			fmt_clean(x->test);
			fmt_clean(x->evidence);
			fmt_clean(x->text);
			fmt_clean_list(&x->objects);
		}
		for (int c = 0; c < g->ncases; c++) {
			fmt_clean(g->cases[c].name);
			fmt_clean(g->cases[c].message);
		}
	}
}

char *fmt_gate_text(const struct gate_result *g)
{
	struct u_buf b = { 0 };
	u_buf_addf(&b, "%s\n", g->reason ? g->reason : status_names[g->status]);
	if (g->detail && *g->detail)
		u_buf_addf(&b, "%s%s", g->detail, g->detail[strlen(g->detail) - 1] == '\n' ? "" : "\n");
	if (g->status == RESULT_ERROR)
		u_buf_add(&b, "The tool could not run on the grading machine: this gate is not counted, and the "
			      "score is scaled over the gates that ran.\n");
	return u_buf_take(&b);
}

char *fmt_files(const struct result *r)
{
	char *graded = u_list_join(&r->graded, ", "), *ignored = u_list_join(&r->ignored, ", ");
	char *s = u_fmt("Graded: %s.%s%s%s", *graded ? graded : "nothing (the file to edit was not found)",
			r->ignored.n ? " Ignored (only the file to edit is graded; the lab's own tests, "
				       "headers and build are used): " : "",
			ignored, r->ignored.n ? "." : "");
	free(graded);
	free(ignored);
	return s;
}

char *fmt_summary(const struct result *r)
{
	struct u_buf b = { 0 };
	int pass = 0;
	struct u_list errors = { 0 };
	for (int i = 0; i < r->ngates; i++) {
		const struct gate_result *g = &r->gates[r->order[i]];
		pass += g->status == RESULT_PASS;
		if (g->status == RESULT_ERROR)
			u_list_add(&errors, u_xstrdup(gate_names[g->id]));
	}
	u_buf_addf(&b, "%s: %s\n%.4g/%d points: %d of %d gates passed.\n", r->lab, r->title, r->score,
		   r->max_score, pass, r->ngates);
	if (errors.n) {
		char *e = u_list_join(&errors, ", ");
		u_buf_addf(&b, "Could not run on the grading machine (not counted; the score is scaled over "
			       "the gates that ran, %d of %d points): %s.\n", r->counted_max, r->max_score, e);
		free(e);
	}
	for (int i = 0; i < r->why.n; i++)
		u_buf_addf(&b, "%s\n", r->why.v[i]);
	char *files = fmt_files(r);
	u_buf_addf(&b, "%s\n", files);
	free(files);
	u_list_free(&errors);
	return u_buf_take(&b);
}

char *fmt_case_name(const struct gate_result *g, int c)
{
	return c < 0 ? u_xstrdup(gate_names[g->id]) : u_fmt("%s: %s", gate_names[g->id], g->cases[c].name);
}
