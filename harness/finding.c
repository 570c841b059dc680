/* finding.c: what a detector found, as a record. */
#include <stdlib.h>
#include <string.h>

#include "finding.h"

struct finding *finding_add(struct findings *f, const char *tool, const char *kind)
{
	f->v = u_xrealloc(f->v, sizeof *f->v * (size_t)(f->n + 1));
	struct finding *x = &f->v[f->n++];
	memset(x, 0, sizeof *x);
	x->tool = u_xstrdup(tool);
	x->kind = u_xstrdup(kind);
	return x;
}

void findings_move(struct findings *to, struct findings *from)
{
	for (int i = 0; i < from->n; i++) {
		to->v = u_xrealloc(to->v, sizeof *to->v * (size_t)(to->n + 1));
		to->v[to->n++] = from->v[i];
	}
	free(from->v);
	from->v = NULL;
	from->n = 0;
}

const struct finding *findings_first(const struct findings *f, const char *kind)
{
	for (int i = 0; i < f->n; i++)
		if (strcmp(f->v[i].kind, kind) == 0)
			return &f->v[i];
	return NULL;
}

void findings_kinds(const struct findings *f, struct u_list *out)
{
	for (int i = 0; i < f->n; i++)
		if (!u_list_has(out, f->v[i].kind))
			u_list_add(out, u_xstrdup(f->v[i].kind));
}

/* Whether an earlier record has x's kind and names the same test (or none): it said it all before. */
static int finding_repeats(const struct findings *f, int i)
{
	const struct finding *x = &f->v[i];
	for (int k = 0; k < i; k++)
		if (!strcmp(f->v[k].kind, x->kind) &&
		    (f->v[k].test && x->test ? !strcmp(f->v[k].test, x->test) : f->v[k].test == x->test))
			return 1;
	return 0;
}

char *findings_text(const struct findings *f)
{
	struct u_buf b = { 0 };
	for (int i = 0; i < f->n; i++)
		if (!finding_repeats(f, i) && f->v[i].text)
			u_buf_addf(&b, "%s%s", f->v[i].text,
				   *f->v[i].text && f->v[i].text[strlen(f->v[i].text) - 1] != '\n' ? "\n" : "");
	return u_buf_take(&b);
}

static char *finding_dup(const char *s)
{
	return s ? u_xstrdup(s) : NULL;
}

struct finding_access *finding_add_access(struct finding *x)
{
	x->access = u_xrealloc(x->access, sizeof *x->access * (size_t)(x->naccess + 1));
	struct finding_access *a = &x->access[x->naccess++];
	memset(a, 0, sizeof *a);
	return a;
}

struct finding_site *finding_add_site(struct finding *x)
{
	x->site = u_xrealloc(x->site, sizeof *x->site * (size_t)(x->nsite + 1));
	struct finding_site *s = &x->site[x->nsite++];
	memset(s, 0, sizeof *s);
	return s;
}

void finding_copy(struct finding *to, const struct finding *from)
{
	*to = *from;
	to->tool = finding_dup(from->tool);
	to->kind = finding_dup(from->kind);
	to->file = finding_dup(from->file);
	to->function = finding_dup(from->function);
	to->test = finding_dup(from->test);
	to->evidence = finding_dup(from->evidence);
	to->text = finding_dup(from->text);
	to->limit = finding_dup(from->limit);
	memset(&to->objects, 0, sizeof to->objects);
	for (int i = 0; i < from->objects.n; i++)
		u_list_add(&to->objects, u_xstrdup(from->objects.v[i]));
	to->access = NULL;
	to->naccess = 0;
	for (int i = 0; i < from->naccess; i++) {
		struct finding_access *a = finding_add_access(to);
		*a = from->access[i];
		a->file = finding_dup(from->access[i].file);
		a->function = finding_dup(from->access[i].function);
	}
	to->site = NULL;
	to->nsite = 0;
	for (int i = 0; i < from->nsite; i++) {
		struct finding_site *s = finding_add_site(to);
		*s = from->site[i];
		s->file = finding_dup(from->site[i].file);
		s->callee = finding_dup(from->site[i].callee);
	}
}

void finding_free(struct finding *x)
{
	free(x->tool);
	free(x->kind);
	free(x->file);
	free(x->function);
	free(x->test);
	free(x->evidence);
	free(x->text);
	u_list_free(&x->objects);
	for (int i = 0; i < x->naccess; i++) {
		free(x->access[i].file);
		free(x->access[i].function);
	}
	free(x->access);
	for (int i = 0; i < x->nsite; i++) {
		free(x->site[i].file);
		free(x->site[i].callee);
	}
	free(x->site);
	free(x->limit);
	memset(x, 0, sizeof *x);
}

void findings_free(struct findings *f)
{
	for (int i = 0; i < f->n; i++)
		finding_free(&f->v[i]);
	free(f->v);
	f->v = NULL;
	f->n = 0;
	free(u_buf_take(&f->raw));
	free(f->fatal);
	f->fatal = NULL;
}
